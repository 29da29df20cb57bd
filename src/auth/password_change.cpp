#include "auth/password_change.hpp"

#include "auth/account_rules.hpp"

namespace tfa::auth {

Result<PasswordChange> PasswordChanger::change(const storage::User& user, std::string_view current,
                                               std::string_view replacement, const Actor& actor) {
  PasswordChange result;
  // The same key as the password re-confirmation before 2FA changes: both guess this
  // account's password from inside a session.
  const std::string key = account_key(user.id, "password");
  TFA_TRY(auto wait, throttle_.retry_after(key));
  if (wait) {
    accounts_.audit(user, "user.password_change", "throttled", actor);
    result.outcome = PasswordChange::throttled;
    result.retry_after = *wait;
    return result;
  }
  TFA_TRY(auto checked, accounts_.check_password(user.name, current));
  if (!checked || checked->id != user.id) {
    accounts_.audit(user, "user.password_change", "failure", actor);
    TFA_TRY(auto blocked, throttle_.failure(key, policy_));
    result.outcome = PasswordChange::wrong_password;
    result.retry_after = blocked.value_or(std::chrono::seconds(0));
    return result;
  }
  TFA_CHECK(throttle_.success(key));
  auto changed = accounts_.change_password(user.name, replacement, actor);
  if (!changed) {
    if (changed.error().code != Errc::invalid_argument) return tl::unexpected(changed.error());
    result.outcome = PasswordChange::rejected;
    result.problem = changed.error().message;
    return result;
  }
  TFA_TRY(const auto ended, sessions_.delete_user_sessions(user.id));
  TFA_TRY(const auto revoked, api_tokens_.revoke_api_tokens_of(user.id, storage::ApiTokenKind::session));
  (void)ended;
  (void)revoked;
  if (notices_ != nullptr) notices_->password_changed(user, actor);
  result.outcome = PasswordChange::changed;
  return result;
}

}  // namespace tfa::auth
