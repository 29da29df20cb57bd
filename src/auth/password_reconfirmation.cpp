#include "auth/password_reconfirmation.hpp"

namespace tfa::auth {

Result<Reconfirmation> PasswordReconfirmation::confirm(const storage::User& user, std::string_view password,
                                                       const Actor& actor) {
  Reconfirmation result;
  const std::string key = account_key(user.id, "password");
  TFA_TRY(auto wait, throttle_.retry_after(key));
  if (!wait) {
    TFA_TRY(auto checked, accounts_.check_password(user.name, password));
    const bool right = checked && checked->id == user.id;
    TFA_TRY(auto settled, throttle_.settle(transactions_, key, policy_, right));
    if (!settled.throttled) {
      result.outcome = right ? Reconfirmation::confirmed : Reconfirmation::wrong_password;
      if (!right) audit(user, "failure", actor);
      return result;
    }
    wait = settled.retry_after;
  }
  result.outcome = Reconfirmation::throttled;
  result.retry_after = wait.value_or(std::chrono::seconds(1));
  audit(user, "throttled", actor);
  return result;
}

void PasswordReconfirmation::audit(const storage::User& user, std::string_view outcome, const Actor& actor) {
  // Best effort, like every refusal's audit row: a failed write must not turn a refusal into
  // an error page.
  (void)audit_.append({0, std::chrono::floor<std::chrono::seconds>(clock_.now()), user.id, user.name,
                       "user.reauth", std::string(outcome), actor.client_address, actor.user_agent,
                       "before a change to two-factor authentication"});
}

}  // namespace tfa::auth
