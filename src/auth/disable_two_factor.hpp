#pragma once
// Profile -> "Disable two-factor authentication" (seeds 001, 004): with the password confirmed
// a moment ago (the caller checks that) and a current code or a backup code, every second
// factor, backup code and trusted device of the user is removed in one transaction.
#include "auth/login_flow.hpp"
#include "auth/notices.hpp"

namespace tfa::auth {

class DisableTwoFactor {
 public:
  DisableTwoFactor(storage::FactorStore& factors, LoginFlow& login, Notices& notices, const Clock& clock)
      : factors_(factors), login_(login), notices_(notices), clock_(clock) {}

  /// `code` is checked exactly as at sign-in (throttle, replay guard, backup codes spent); only
  /// an accepted one turns 2FA off. A rejected or throttled code changes nothing.
  Result<CodeStep> disable(const storage::User& user, std::string_view code, const Actor& actor);

 private:
  storage::FactorStore& factors_;
  LoginFlow& login_;
  Notices& notices_;
  const Clock& clock_;
};

}  // namespace tfa::auth
