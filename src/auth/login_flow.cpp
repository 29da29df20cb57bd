#include "auth/login_flow.hpp"

#include <algorithm>

#include "auth/account_rules.hpp"
#include "core/utf8.hpp"
#include "otp/yubico_otp.hpp"

namespace tfa::auth {
namespace {

bool ends_with_digits(std::string_view text, std::size_t count) {
  if (text.size() <= count) return false;
  for (std::size_t i = text.size() - count; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

struct Attempt {
  std::string_view password;
  std::optional<std::string_view> code;
};

}  // namespace

storage::Time LoginFlow::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

void LoginFlow::audit(const std::optional<storage::User>& user, std::string_view name,
                      std::string_view event, std::string_view outcome, const Actor& actor,
                      std::string detail) {
  (void)audit_.append({0, now(), user ? std::optional(user->id) : std::nullopt,
                       user ? user->name : core::valid_utf8_prefix(name, 64), std::string(event),
                       std::string(outcome), actor.client_address, actor.user_agent, std::move(detail)});
}

namespace {

bool any_confirmed(const std::vector<storage::Factor>& factors) {
  for (const auto& factor : factors) {
    if (factor.status == storage::FactorStatus::confirmed) return true;
  }
  return false;
}

}  // namespace

Result<bool> LoginFlow::has_second_factor(std::int64_t user_id) {
  TFA_TRY(auto factors, factors_.factor_list_of(user_id));
  return any_confirmed(factors);
}

Result<PasswordStep> LoginFlow::submit_password(std::string_view name, std::string_view password,
                                                std::optional<std::string_view> code,
                                                std::optional<std::string_view> device_token,
                                                const Actor& actor, const SignedInHook& on_signed_in) {
  PasswordStep step;
  const std::string by_address = address_key(actor.client_address, "password");
  // Keyed by the name as typed (in lower case), not by the account: an unknown name is
  // throttled exactly like a known one, so throttling does not reveal which names exist.
  const std::string by_name = name_key(name, "password");
  std::optional<std::chrono::seconds> address_wait;
  std::optional<std::chrono::seconds> account_wait;
  std::optional<storage::User> known;  // for throttling, the audit log and the password check
  bool trusted_device = false;     // the request comes from a browser the owner trusted
  bool exempt_from_block = false;  // ... and the name is blocked: the block does not apply
  TFA_CHECK(transactions_.reading([&]() -> Result<void> {
    TFA_TRY(address_wait, throttle_.retry_after(by_address));
    // A name no account can have is not looked up: PostgreSQL's lower() folds some letters
    // beyond ASCII into ASCII ones (the Kelvin sign into k), which would give one account many
    // spellings, each with a password limit of its own.
    if (check_user_name(name)) {
      if (auto found = accounts_.find(name)) {
        known = std::move(*found);
      } else if (found.error().code != Errc::not_found) {
        return tl::unexpected(found.error());
      }
    }
    TFA_TRY(account_wait, throttle_.retry_after(by_name));
    // Guessing passwords for a name must not lock its owner out: a browser the owner trusted
    // (a 256-bit token nobody else holds) is exempt from the name's block. Its failures still
    // count, and the per-address limit still applies. Known even when the name is open now:
    // a guesser's failures may block it while this sign-in is hashing.
    if (known && device_token) {
      TFA_TRY(trusted_device, devices_.is_trusted(known->id, *device_token));
    }
    if (account_wait && trusted_device) {
      account_wait.reset();
      exempt_from_block = true;
    }
    return {};
  }));
  if (address_wait || account_wait) {
    step.outcome = PasswordOutcome::throttled;
    step.retry_after = std::max(address_wait.value_or(std::chrono::seconds(0)),
                                account_wait.value_or(std::chrono::seconds(0)));
    audit(known, name, "signin.password", "throttled", actor);
    return step;
  }

  // Seed 002: "password123456" may be the password followed by the code. Try that split first
  // (with the code length of new factors, then with 6 for older ones), then the whole text as
  // the password. The number of hashes depends only on the input's shape, never on whether
  // the user exists.
  std::vector<Attempt> attempts;
  if (settings_.code_in_password && !code) {
    for (const std::size_t digits : appended_code_lengths()) {
      if (!ends_with_digits(password, digits)) continue;
      attempts.push_back({password.substr(0, password.size() - digits), password.substr(password.size() - digits)});
    }
  }
  attempts.push_back({password, code});

  // Sign-ins sent all at once all pass the check above before any of them fails. Each one
  // therefore looks again, in the transaction that settles it, and is refused as throttled,
  // right or wrong, when the others' failures blocked its name or address in the meantime:
  // sending guesses together then tells no more than sending them one after another.
  std::optional<std::chrono::seconds> blocked_meanwhile;
  const auto look_again = [&]() -> Result<void> {
    TFA_TRY(auto address, throttle_.locked_retry_after(by_address));
    TFA_TRY(auto account, throttle_.locked_retry_after(by_name));
    if (account && trusted_device) {
      account.reset();
      exempt_from_block = true;
    }
    if (address || account) {
      blocked_meanwhile =
          std::max(address.value_or(std::chrono::seconds(0)), account.value_or(std::chrono::seconds(0)));
    }
    return {};
  };
  const auto throttled_meanwhile = [&] {
    step = PasswordStep{};
    step.outcome = PasswordOutcome::throttled;
    step.retry_after = *blocked_meanwhile;
    return step;
  };

  std::optional<storage::User> user;
  std::optional<std::string_view> typed_code;
  for (const auto& attempt : attempts) {
    TFA_TRY(auto checked, accounts_.check_password(known, attempt.password));
    if (checked && !user) {
      user = std::move(checked);
      typed_code = attempt.code;
    }
  }
  if (!user) {
    // A failure that cannot be counted is not answered as a wrong password: the caller gets
    // the error, as a right password would, so the answer tells nothing about the password.
    TFA_CHECK(transactions_.writing([&]() -> Result<void> {
      TFA_CHECK(look_again());
      if (blocked_meanwhile) {
        audit(known, name, "signin.password", "throttled", actor);
        return {};
      }
      TFA_CHECK(throttle_.failure(by_address, settings_.password_per_address));
      TFA_CHECK(throttle_.failure(by_name, settings_.password_per_account));
      audit(known, name, "signin.password", "failure", actor);
      return {};
    }));
    if (blocked_meanwhile) return throttled_meanwhile();
    return step;  // rejected
  }
  // A YubiKey OTP given with the password is validated before the write transaction opens.
  std::optional<YubicoVerdict> verdict;
  if (typed_code) {
    TFA_TRY(verdict, ask_validator(*user, *typed_code));
  }
  TFA_CHECK(transactions_.writing([&]() -> Result<void> {
    TFA_CHECK(look_again());
    if (blocked_meanwhile) {
      audit(user, name, "signin.password", "throttled", actor);
      return {};
    }
    // The owner getting in through the exemption leaves the block in place for the guesser.
    if (!exempt_from_block) (void)throttle_.success(by_name);
    audit(user, name, "signin.password", "success", actor);
    TFA_TRY(step, after_password(*user, name, typed_code, code.has_value(), device_token, actor, verdict));
    if (step.outcome == PasswordOutcome::signed_in && on_signed_in) return on_signed_in(*step.user);
    return {};
  }));
  if (blocked_meanwhile) return throttled_meanwhile();
  return step;
}

std::vector<std::size_t> LoginFlow::appended_code_lengths() const {
  const auto configured = static_cast<std::size_t>(settings_.totp_digits);
  if (configured == 6) return {6};
  return {configured, 6};
}

Result<PasswordStep> LoginFlow::after_password(storage::User user, std::string_view name,
                                               std::optional<std::string_view> typed_code,
                                               bool code_was_separate,
                                               std::optional<std::string_view> device_token,
                                               const Actor& actor,
                                               const std::optional<YubicoVerdict>& verdict) {
  PasswordStep step;
  step.user = user;
  // Read once, for the question and for the code below.
  TFA_TRY(const auto factors, factors_.factors_of(user.id));
  const bool two_factor = any_confirmed(factors);
  if (!two_factor && typed_code && !code_was_separate) {
    // The text matched only with its last digits taken as a code, but the account has no
    // second factor: "password999999" is not this user's password.
    (void)throttle_.failure(address_key(actor.client_address, "password"), settings_.password_per_address);
    (void)throttle_.failure(name_key(name, "password"), settings_.password_per_account);
    audit(user, name, "signin.password", "failure", actor);
    step.user.reset();
    return step;  // rejected
  }
  if (!two_factor) {
    step.outcome = PasswordOutcome::signed_in;
    return step;
  }
  if (device_token) {
    TFA_TRY(auto device, devices_.recognise(user.id, *device_token));
    if (device) {
      audit(user, name, "signin.trusted_device", "success", actor, "device " + std::to_string(device->id));
      step.outcome = PasswordOutcome::signed_in;
      step.by_trusted_device = true;
      return step;
    }
  }
  if (typed_code && !typed_code->empty()) {
    TFA_TRY(auto checked, check_code(user, *typed_code, actor, verdict, &factors));
    if (checked.outcome == CodeStep::accepted) {
      step.outcome = PasswordOutcome::signed_in;
      step.by_code = true;
      return step;
    }
    if (checked.outcome == CodeStep::throttled) {
      step.outcome = PasswordOutcome::throttled;
      step.retry_after = checked.retry_after;
      return step;
    }
    step.code_was_wrong = true;
  }
  step.outcome = PasswordOutcome::needs_code;
  return step;
}

Result<CodeStep> LoginFlow::submit_code(const storage::User& user, std::string_view code, const Actor& actor) {
  TFA_TRY(auto verdict, ask_validator(user, code));
  std::optional<CodeStep> step;
  TFA_CHECK(transactions_.writing([&]() -> Result<void> {
    TFA_TRY(step, check_code(user, code, actor, verdict));
    return {};
  }));
  return *step;
}

Result<std::optional<YubicoVerdict>> LoginFlow::ask_validator(const storage::User& user, std::string_view code) {
  if (yubikeys_ == nullptr || !otp::looks_like_yubico_otp(code)) return std::optional<YubicoVerdict>();
  std::optional<std::chrono::seconds> wait;
  std::vector<storage::Factor> factors;
  TFA_CHECK(transactions_.reading([&]() -> Result<void> {
    TFA_TRY(wait, throttle_.retry_after(account_key(user.id, "yubikey")));
    if (!wait) {
      TFA_TRY(factors, factors_.factors_of(user.id));
    }
    return {};
  }));
  if (wait) return std::optional<YubicoVerdict>();  // the check in the transaction says so
  return yubikeys_->ask(factors, code);
}

Result<CodeStep> LoginFlow::check_code(const storage::User& user, std::string_view code, const Actor& actor,
                                       const std::optional<YubicoVerdict>& verdict,
                                       const std::vector<storage::Factor>* read_before) {
  CodeStep step;
  // A blank code is no guess: refused without a failure counted or the owner mailed, like a
  // sign-in that sends no code at all.
  if (code.find_first_not_of(" \t") == std::string_view::npos) return step;  // rejected
  if (backup_codes_ != nullptr && normalize_backup_code(code)) {
    TFA_TRY(auto used, backup_codes_->use(user, code, actor));
    step.by_backup_code = true;
    step.backup_codes_left = used.remaining;
    step.retry_after = used.retry_after;
    step.outcome = used.outcome == BackupCodeUse::accepted    ? CodeStep::accepted
                   : used.outcome == BackupCodeUse::throttled ? CodeStep::throttled
                                                              : CodeStep::rejected;
    return step;
  }
  if (yubikeys_ != nullptr && otp::looks_like_yubico_otp(code)) return check_yubikey(user, code, actor, verdict);
  const std::string key = account_key(user.id, "otp");
  TFA_TRY(auto blocked_now, blocked(user, key, "signin.code", actor));
  if (blocked_now) return *blocked_now;
  // "" for the command line, which has no address to limit.
  const std::string from_address =
      actor.client_address.empty() ? std::string() : address_key(actor.client_address, "code");
  if (!from_address.empty()) {
    TFA_TRY(auto address_blocked, blocked(user, from_address, "signin.code", actor));
    if (address_blocked) return *address_blocked;
  }
  std::vector<storage::Factor> read_now;
  if (read_before == nullptr) {
    TFA_TRY(read_now, factors_.factors_of(user.id));
  }
  const auto& factors = read_before != nullptr ? *read_before : read_now;
  TFA_TRY(auto check, check_totp_code(factors_, factors, storage::FactorStatus::confirmed, code,
                                      settings_.totp, clock_));
  if (check == CodeCheck::accepted) {
    (void)throttle_.success(key, settings_.code_per_account);
    audit(user, user.name, "signin.code", "success", actor);
    step.outcome = CodeStep::accepted;
    return step;
  }
  TFA_TRY(auto blocked, throttle_.failure(key, settings_.code_per_account));
  std::optional<std::chrono::seconds> address_blocked;
  if (!from_address.empty()) {
    TFA_TRY(address_blocked, throttle_.failure(from_address, settings_.code_per_address));
  }
  audit(user, user.name, "signin.code", check == CodeCheck::replayed ? "replayed" : "failure", actor);
  if (blocked) {
    TFA_CHECK(tell_owner_if_first_block(user, key, settings_.code_per_account, actor));
  }
  step.retry_after = std::max(blocked.value_or(std::chrono::seconds(0)), address_blocked.value_or(std::chrono::seconds(0)));
  return step;  // rejected; a block applies to the next attempt
}

Result<CodeStep> LoginFlow::check_yubikey(const storage::User& user, std::string_view otp, const Actor& actor,
                                          const std::optional<YubicoVerdict>& verdict) {
  CodeStep step;
  step.by_yubikey = true;
  const std::string key = account_key(user.id, "yubikey");
  TFA_TRY(auto blocked_now, blocked(user, key, "signin.yubikey", actor));
  if (blocked_now) {
    blocked_now->by_yubikey = true;
    return *blocked_now;
  }
  TFA_TRY(auto factors, factors_.factors_of(user.id));
  TFA_TRY(auto check, yubikeys_->settle(factors, otp, verdict));
  auto parts = otp::split_yubico_otp(otp);
  const std::string public_id = parts ? parts->public_id : "";
  if (check == CodeCheck::accepted) {
    (void)throttle_.success(key, settings_.yubikey_per_account);
    audit(user, user.name, "signin.yubikey", "success", actor, "key " + public_id);
    step.outcome = CodeStep::accepted;
    return step;
  }
  TFA_TRY(auto blocked, throttle_.failure(key, settings_.yubikey_per_account));
  audit(user, user.name, "signin.yubikey", check == CodeCheck::replayed ? "replayed" : "failure", actor,
        "key " + public_id);
  if (blocked) {
    step.retry_after = *blocked;
    TFA_CHECK(tell_owner_if_first_block(user, key, settings_.yubikey_per_account, actor));
  }
  return step;
}

Result<std::optional<CodeStep>> LoginFlow::blocked(const storage::User& user, const std::string& key,
                                                   std::string_view event, const Actor& actor) {
  TFA_TRY(auto wait, throttle_.retry_after(key));
  if (!wait) return std::optional<CodeStep>();
  CodeStep step;
  step.outcome = CodeStep::throttled;
  step.retry_after = *wait;
  audit(user, user.name, event, "throttled", actor);
  return std::optional<CodeStep>(step);
}

Result<void> LoginFlow::tell_owner_if_first_block(const storage::User& user, const std::string& key,
                                                  const ThrottlePolicy& policy, const Actor& actor) {
  // Only someone with the right password reaches the second factor. The first block of a
  // series tells the owner, once; later blocks of the same series do not mail again.
  TFA_TRY(const int failures, throttle_.failures(key, policy));
  if (notices_ != nullptr && failures == policy.free_failures + 1) {
    notices_->password_known(user, failures, actor);
  }
  return {};
}

}  // namespace tfa::auth
