#include "auth/yubikeys.hpp"

#include <cctype>

#include "core/utf8.hpp"
#include "otp/yubico_otp.hpp"

namespace tfa::auth {
namespace {

/// The label trimmed, at most kMaxLabel characters (not bytes), without control characters
/// or bytes that are not UTF-8: it is shown on pages, in mail, and stored in a TEXT column
/// that PostgreSQL keeps in UTF-8.
std::string clean_label(std::string_view label) {
  while (!label.empty() && std::isspace(static_cast<unsigned char>(label.front()))) label.remove_prefix(1);
  std::string out;
  std::size_t characters = 0;
  while (!label.empty() && characters < YubiKeys::kMaxLabel) {
    const std::size_t length = core::utf8_sequence(label);
    if (length == 0) {
      label.remove_prefix(1);
      continue;
    }
    const unsigned char first = static_cast<unsigned char>(label.front());
    const bool control = length == 1 && (first < 0x20 || first == 0x7f);
    if (!control) {
      out.append(label.substr(0, length));
      ++characters;
    }
    label.remove_prefix(length);
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  return out.empty() ? std::string("YubiKey") : out;
}

const storage::Factor* key_of(const std::vector<storage::Factor>& factors, std::string_view public_id) {
  for (const auto& factor : factors) {
    if (factor.kind == storage::FactorKind::yubico && factor.status == storage::FactorStatus::confirmed &&
        factor.public_id == public_id) {
      return &factor;
    }
  }
  return nullptr;
}

}  // namespace

storage::Time YubiKeys::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

void YubiKeys::audit(const storage::User& user, std::string_view event, std::string_view outcome,
                     const Actor& actor, std::string detail) {
  (void)audit_.append({0, now(), user.id, user.name, std::string(event), std::string(outcome),
                       actor.client_address, actor.user_agent, std::move(detail)});
}

Result<YubiKeyAdded> YubiKeys::add(const storage::User& user, std::string_view otp, std::string_view label,
                                   const Actor& actor) {
  YubiKeyAdded result;
  const auto parts = otp::split_yubico_otp(otp);
  if (!parts) {
    audit(user, "yubikey.add", "failure", actor, "not a Yubico OTP");
    return result;  // bad_otp
  }
  // The caller's own key, added again, is refused before its OTP is checked: checking uses the
  // OTP up, and it may be the one its owner is about to sign in with. Whether another account
  // has the key is told only after a genuine OTP (below), so that a public ID alone does not
  // reveal where a key is registered.
  TFA_TRY(auto factors, factors_.factor_list_of(user.id));  // no secret needs opening for this
  for (const auto& factor : factors) {
    if (factor.kind == storage::FactorKind::yubico && factor.public_id == parts->public_id) {
      result.outcome = YubiKeyAdded::taken;
      audit(user, "yubikey.add", "failure", actor, "key " + parts->public_id + " is registered already");
      return result;
    }
  }
  TFA_TRY(auto verdict, validator_.verify(otp));
  if (verdict.status != YubicoVerdict::ok) {
    result.outcome = verdict.status == YubicoVerdict::replayed ? YubiKeyAdded::replayed : YubiKeyAdded::bad_otp;
    audit(user, "yubikey.add", verdict.status == YubicoVerdict::replayed ? "replayed" : "failure", actor,
          "key " + verdict.public_id + ": " + verdict.detail);
    return result;
  }
  bool had_factor = false;
  for (const auto& factor : factors) had_factor |= factor.status == storage::FactorStatus::confirmed;

  storage::NewFactor factor;
  factor.user_id = user.id;
  factor.kind = storage::FactorKind::yubico;
  factor.label = clean_label(label);
  factor.public_id = verdict.public_id;
  factor.status = storage::FactorStatus::confirmed;
  auto id = factors_.add_factor(factor, now());
  if (!id) {
    if (id.error().code != Errc::conflict) return tl::unexpected(id.error());
    result.outcome = YubiKeyAdded::taken;
    audit(user, "yubikey.add", "failure", actor, "key " + verdict.public_id + " is registered already");
    return result;
  }
  if (verdict.counter) (void)factors_.record_accepted_counter(*id, *verdict.counter, 0, now());
  result.outcome = YubiKeyAdded::added;
  result.factor_id = *id;
  result.first_factor = !had_factor;
  audit(user, "yubikey.added", "success", actor, "key " + verdict.public_id + " \"" + factor.label + "\"");
  if (result.first_factor) audit(user, "2fa.enabled", "success", actor, "yubikey");
  if (notices_ != nullptr) {
    if (result.first_factor) {
      notices_->two_factor_enabled(user, actor);
    } else {
      notices_->yubikey_added(user, factor.label, actor);
    }
  }
  return result;
}

Result<void> YubiKeys::remove(const storage::User& user, std::int64_t factor_id, const Actor& actor) {
  TFA_TRY(auto factors, factors_.factors_of(user.id));
  const storage::Factor* target = nullptr;
  int confirmed = 0;
  for (const auto& factor : factors) {
    if (factor.status == storage::FactorStatus::confirmed) ++confirmed;
    if (factor.id == factor_id && factor.kind == storage::FactorKind::yubico) target = &factor;
  }
  if (target == nullptr) return fail(Errc::not_found, "no such YubiKey on this account");
  if (target->status == storage::FactorStatus::confirmed && confirmed <= 1) {
    return fail(Errc::conflict,
                "This YubiKey is your only second factor. Disable two-factor authentication instead, "
                "or add another factor first.");
  }
  const std::string label = target->label;
  const std::string public_id = target->public_id.value_or("");
  TFA_CHECK(factors_.remove_factor(factor_id));
  audit(user, "yubikey.removed", "success", actor, "key " + public_id + " \"" + label + "\"");
  if (notices_ != nullptr) notices_->yubikey_removed(user, label, actor);
  return {};
}

Result<std::optional<YubicoVerdict>> YubiKeys::ask(const std::vector<storage::Factor>& factors,
                                                    std::string_view otp) {
  auto parts = otp::split_yubico_otp(otp);
  if (!parts || key_of(factors, parts->public_id) == nullptr) return std::optional<YubicoVerdict>();
  TFA_TRY(auto verdict, validator_.verify(otp));
  return std::optional<YubicoVerdict>(std::move(verdict));
}

Result<CodeCheck> YubiKeys::settle(const std::vector<storage::Factor>& factors, std::string_view otp,
                                   const std::optional<YubicoVerdict>& verdict) {
  auto parts = otp::split_yubico_otp(otp);
  if (!parts || !verdict) return CodeCheck::rejected;
  const storage::Factor* factor = key_of(factors, parts->public_id);
  if (factor == nullptr || verdict->public_id != parts->public_id) return CodeCheck::rejected;
  if (verdict->status == YubicoVerdict::replayed) return CodeCheck::replayed;
  if (verdict->status != YubicoVerdict::ok) return CodeCheck::rejected;
  // The validator guards its own counters; this guard per factor also holds when a remote
  // validator forgets (a restored backup, a second validation service).
  if (verdict->counter) {
    TFA_TRY(const bool fresh, factors_.record_accepted_counter(factor->id, *verdict->counter, 0, now()));
    if (!fresh) return CodeCheck::replayed;
  }
  return CodeCheck::accepted;
}

Result<CodeCheck> YubiKeys::check(const std::vector<storage::Factor>& factors, std::string_view otp) {
  TFA_TRY(auto verdict, ask(factors, otp));
  return settle(factors, otp, verdict);
}

}  // namespace tfa::auth
