#pragma once
// The web console: sign-up, sign-in with a second factor, and the security settings. Each
// handler parses the request, calls an auth service and renders a view; the rules live in auth/.
#include <string>

#include "auth/account_service.hpp"
#include "auth/backup_codes.hpp"
#include "auth/disable_two_factor.hpp"
#include "auth/recovery.hpp"
#include "auth/signup.hpp"
#include "auth/enrollment.hpp"
#include "auth/login_flow.hpp"
#include "auth/password_change.hpp"
#include "auth/password_reconfirmation.hpp"
#include "auth/session_service.hpp"
#include "auth/throttle.hpp"
#include "auth/trusted_devices.hpp"
#include "auth/yubikeys.hpp"
#include "http/blocking_pool.hpp"
#include "http/router.hpp"

namespace tfa::web {

struct ConsoleSettings {
  bool signup = true;  // self sign-up at /signup
  std::string issuer = "tfa";  // the name users know the service by (backup codes file)
  int code_digits = 6;  // the code length of new TOTP factors, for the pages' "6-digit code"
};

/// What the console's handlers use. All references outlive the Console.
struct ConsoleServices {
  auth::AccountService& accounts;
  auth::SessionService& sessions;
  auth::LoginFlow& login;
  auth::Enrollment& enrollment;
  auth::TrustedDevices& devices;
  auth::Throttle& throttle;
  storage::FactorStore& factors;
  http::BlockingPool& pool;  // for Argon2id, off the I/O threads
  auth::BackupCodes& backup_codes;
  auth::Recovery& recovery;
  auth::DisableTwoFactor& disable_two_factor;
  storage::AuditLog& audit;  // "Recent security activity"
  auth::YubiKeys& yubikeys;
  auth::PasswordChanger& password_changer;  // "Change password"
  auth::PasswordReconfirmation& reconfirmation;  // "Confirm your password"
  auth::Signup& signup;                     // "Create your account", confirmed by e-mail
};

class Console {
 public:
  Console(ConsoleServices services, ConsoleSettings settings)
      : s_(services), settings_(settings) {}

  /// Registers every console page, the stylesheet and the HTML error pages on `router`.
  void add_routes(http::Router& router);

  ConsoleServices& services() { return s_; }
  const ConsoleSettings& settings() const { return settings_; }

 private:
  ConsoleServices s_;
  ConsoleSettings settings_;
};

}  // namespace tfa::web
