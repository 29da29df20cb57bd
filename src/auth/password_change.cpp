#include "auth/password_change.hpp"

#include <optional>

namespace tfa::auth {
namespace {

/// A `rejected` result when `replacement` breaks the password rules; nullopt when it keeps them.
std::optional<PasswordChange> broken_rule(const AccountService& accounts, std::string_view replacement) {
  auto keeps_rules = accounts.check_new_password(replacement);
  if (keeps_rules) return std::nullopt;
  PasswordChange result;
  result.outcome = PasswordChange::rejected;
  result.problem = keeps_rules.error().message;
  return result;
}

}  // namespace

Result<PasswordChange> PasswordChanger::change(const storage::User& user, std::string_view current,
                                               std::string_view replacement, const Actor& actor) {
  // The rules first: a new password that could never be stored costs no attempt.
  if (auto rejected = broken_rule(accounts_, replacement)) return *rejected;
  PasswordChange result;
  // The same key as the password re-confirmation before 2FA changes: both guess this
  // account's password from inside a session.
  const std::string key = account_key(user.id, "password");
  TFA_TRY(auto wait, throttle_.retry_after(key));
  if (wait) {
    audit(user, "throttled", actor, "");
    result.outcome = PasswordChange::throttled;
    result.retry_after = *wait;
    return result;
  }
  TFA_TRY(auto checked, accounts_.check_password(user.name, current));
  const bool right = checked && checked->id == user.id;
  // Settled after the hash: attempts sent all at once, blocked meanwhile by each other's
  // failures, are refused whatever they guessed.
  TFA_TRY(auto settled, throttle_.settle(stores_.transactions, key, policy_, right));
  if (settled.throttled) {
    audit(user, "throttled", actor, "");
    result.outcome = PasswordChange::throttled;
    result.retry_after = settled.retry_after.value_or(std::chrono::seconds(1));
    return result;
  }
  if (!right) {
    audit(user, "failure", actor, "wrong current password");
    result.outcome = PasswordChange::wrong_password;
    result.retry_after = settled.retry_after.value_or(std::chrono::seconds(0));
    return result;
  }
  TFA_CHECK(replace(user, replacement, actor, "from the security settings", result));
  if (notices_ != nullptr) notices_->password_changed(user, actor);
  return result;
}

Result<PasswordChange> PasswordChanger::set_by_administrator(const storage::User& user,
                                                             std::string_view replacement,
                                                             const Actor& actor) {
  if (auto rejected = broken_rule(accounts_, replacement)) return *rejected;
  PasswordChange result;
  TFA_CHECK(replace(user, replacement, actor, "by an administrator", result));
  return result;
}

Result<void> PasswordChanger::replace(const storage::User& user, std::string_view replacement,
                                      const Actor& actor, std::string_view origin, PasswordChange& result) {
  TFA_TRY(const auto hash, accounts_.hash_new_password(replacement));  // slow: outside the transaction
  TFA_CHECK(stores_.transactions.writing([&]() -> Result<void> {
    const auto now = std::chrono::floor<std::chrono::seconds>(clock_.now());
    TFA_CHECK(stores_.users.set_password_hash(user.id, hash, now));
    TFA_TRY(result.sessions_ended, stores_.sessions.delete_user_sessions(user.id));
    auto& tokens = stores_.api_tokens;
    TFA_TRY(const auto sign_ins, tokens.revoke_api_tokens_of(user.id, storage::ApiTokenKind::session));
    TFA_TRY(const auto keys, tokens.revoke_api_tokens_of(user.id, storage::ApiTokenKind::key));
    result.tokens_revoked = sign_ins + keys;
    // A "Lost your device?" token was mailed after someone typed the old password; the new
    // one must lock that someone out, token or not.
    TFA_CHECK(stores_.email_tokens.end_email_tokens(user.id, now));
    return stores_.audit.append({0, now, user.id, user.name, "user.password_changed", "success",
                                 actor.client_address, actor.user_agent,
                                 std::string(origin) + "; " + std::to_string(result.sessions_ended) +
                                     " sessions and " + std::to_string(result.tokens_revoked) +
                                     " API tokens ended"});
  }));
  result.outcome = PasswordChange::changed;
  return {};
}

void PasswordChanger::audit(const storage::User& user, std::string_view outcome, const Actor& actor,
                            std::string detail) {
  // Best effort, like every refusal's audit event: a failed write must not turn a refusal
  // into an error page.
  (void)stores_.audit.append({0, std::chrono::floor<std::chrono::seconds>(clock_.now()), user.id, user.name,
                              "user.password_change", std::string(outcome), actor.client_address,
                              actor.user_agent, std::move(detail)});
}

}  // namespace tfa::auth
