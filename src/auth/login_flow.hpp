#pragma once
// Signing in: the password step, then, for accounts with 2FA on, the code step, unless the
// device is trusted. Throttling, the replay guard and the audit trail live here, so the
// console, the API and any other front end share one path. Session handling is the caller's.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/account_service.hpp"
#include "auth/actor.hpp"
#include "auth/backup_codes.hpp"
#include "auth/throttle.hpp"
#include "auth/totp_factor.hpp"
#include "auth/trusted_devices.hpp"
#include "auth/yubikeys.hpp"
#include "storage/transactions.hpp"

namespace tfa::auth {

struct LoginSettings {
  /// Seed 002: the code may be typed directly after the password, in the password field.
  bool code_in_password = false;
  TotpSettings totp;
  /// The code length of new TOTP factors (login.totp_digits): with code_in_password, the
  /// digits at the end of a password are tried as a code of this length, then of 6.
  int totp_digits = 6;
  ThrottlePolicy password_per_account{5, std::chrono::seconds(2), std::chrono::minutes(15), std::chrono::hours(24)};
  ThrottlePolicy password_per_address{20, std::chrono::seconds(2), std::chrono::minutes(15), std::chrono::hours(1)};
  // The code step of sign-in, reached only with the right password: 5 free wrong codes, then
  // 30 s doubling up to 30 days. Failures are forgotten one per 30 days; a success clears them
  // only when they look like typos (at most 5, the latest in the last 10 minutes). The
  // arithmetic is in docs/security.md.
  ThrottlePolicy code_per_account{5, std::chrono::seconds(30), std::chrono::days(30), std::chrono::days(30),
                                  /*remembers_blocks=*/true, /*forgive_within=*/std::chrono::minutes(10)};
  // Wrong TOTP codes from one client address, whatever the account: someone holding the
  // passwords of many accounts cannot try five codes on each from one address. 20 free, then
  // 30 s doubling up to an hour, forgotten after a quiet day; a success does not clear it (the
  // guesser's own account would). Backup codes and YubiKeys, too long to guess, are exempt, so
  // an owner who shares the address still gets in with them.
  ThrottlePolicy code_per_address{20, std::chrono::seconds(30), std::chrono::hours(1), std::chrono::hours(24)};
  // Codes typed by a signed-in user (enrollment): the short memory of the other policies.
  ThrottlePolicy code_when_signed_in{5, std::chrono::seconds(30), std::chrono::hours(1), std::chrono::hours(24)};
  // YubiKey OTPs at sign-in. A forged OTP must match a 128-bit AES block, so guessing is
  // hopeless and a short memory suffices; its own counter means that an attacker flooding
  // wrong TOTP codes does not block the owner's YubiKey.
  ThrottlePolicy yubikey_per_account{5, std::chrono::seconds(30), std::chrono::hours(1), std::chrono::hours(24)};
};

enum class PasswordOutcome {
  signed_in,   // no second factor, a trusted device, or a right code typed with the password
  needs_code,  // the password is right; ask for the code
  rejected,    // unknown user, wrong password or disabled account (not told apart)
  throttled,   // too many failures; try again after retry_after
};

struct PasswordStep {
  PasswordOutcome outcome = PasswordOutcome::rejected;
  std::optional<storage::User> user;        // set for signed_in and needs_code
  bool code_was_wrong = false;              // needs_code after a code that did not match
  bool by_trusted_device = false;
  bool by_code = false;                     // signed_in with a code typed with the password
  std::chrono::seconds retry_after{0};
};

struct CodeStep {
  enum Outcome { accepted, rejected, throttled } outcome = rejected;
  std::chrono::seconds retry_after{0};
  bool by_backup_code = false;
  bool by_yubikey = false;
  std::int64_t backup_codes_left = 0;  // after an accepted backup code
};

class LoginFlow {
 public:
  LoginFlow(AccountService& accounts, storage::FactorStore& factors, storage::AuditLog& audit,
            Throttle& throttle, TrustedDevices& devices, const Clock& clock, LoginSettings settings,
            BackupCodes* backup_codes = nullptr,
            storage::Transactions& transactions = storage::separate_transactions(),
            Notices* notices = nullptr, YubiKeys* yubikeys = nullptr)
      : accounts_(accounts), factors_(factors), audit_(audit), throttle_(throttle),
        devices_(devices), clock_(clock), settings_(settings), backup_codes_(backup_codes),
        transactions_(transactions), notices_(notices), yubikeys_(yubikeys) {}

  /// What a front end keeps of a sign-in (an API token, say), made inside the sign-in's own
  /// write transaction: both commit, or neither does.
  using SignedInHook = std::function<Result<void>(const storage::User&)>;

  /// The password step. `code` is the separate code field of seed 002's variant, if filled;
  /// `device_token` the trusted-device cookie, if any. When the step ends signed in,
  /// `on_signed_in` (if given) runs in its write transaction; its failure undoes the sign-in
  /// (the code stays unused) and is returned. Runs Argon2id: call it off the I/O threads.
  Result<PasswordStep> submit_password(std::string_view name, std::string_view password,
                                       std::optional<std::string_view> code,
                                       std::optional<std::string_view> device_token,
                                       const Actor& actor, const SignedInHook& on_signed_in = {});

  /// The code step for a user whose password was right. `code` is a TOTP code or, when it has
  /// the shape of one, a backup code or a Yubico OTP; each kind has its own throttle. A
  /// Yubico OTP may be checked by a remote server: call it off the I/O threads.
  Result<CodeStep> submit_code(const storage::User& user, std::string_view code, const Actor& actor);

  /// True when the user has a confirmed second factor.
  Result<bool> has_second_factor(std::int64_t user_id);

  const LoginSettings& settings() const { return settings_; }

 private:
  storage::Time now() const;
  /// How many digits at the end of a password may be a code, longest first.
  std::vector<std::size_t> appended_code_lengths() const;
  void audit(const std::optional<storage::User>& user, std::string_view name, std::string_view event,
             std::string_view outcome, const Actor& actor, std::string detail = {});
  /// What follows a right password: the second factor, a trusted device or a typed code.
  Result<PasswordStep> after_password(storage::User user, std::string_view name,
                                      std::optional<std::string_view> typed_code, bool code_was_separate,
                                      std::optional<std::string_view> device_token, const Actor& actor,
                                      const std::optional<YubicoVerdict>& verdict);
  /// For a Yubico OTP, the validator's verdict, asked before any write transaction opens (a
  /// remote validator may take seconds): only when the OTP's key is the user's and its
  /// throttle is not blocked. nullopt for anything else, codes included.
  Result<std::optional<YubicoVerdict>> ask_validator(const storage::User& user, std::string_view code);
  /// Inside the write transaction. `verdict` is ask_validator's, for a Yubico OTP;
  /// `read_before` the user's factors when this transaction has read them already.
  Result<CodeStep> check_code(const storage::User& user, std::string_view code, const Actor& actor,
                              const std::optional<YubicoVerdict>& verdict,
                              const std::vector<storage::Factor>* read_before = nullptr);
  Result<CodeStep> check_yubikey(const storage::User& user, std::string_view otp, const Actor& actor,
                                 const std::optional<YubicoVerdict>& verdict);
  /// When `key` is blocked: the throttled step, audited as `event`; nullopt when it may be tried.
  Result<std::optional<CodeStep>> blocked(const storage::User& user, const std::string& key,
                                          std::string_view event, const Actor& actor);
  /// After a wrong second factor blocked `key`: the first block of a series tells the owner.
  Result<void> tell_owner_if_first_block(const storage::User& user, const std::string& key,
                                         const ThrottlePolicy& policy, const Actor& actor);

  AccountService& accounts_;
  storage::FactorStore& factors_;
  storage::AuditLog& audit_;
  Throttle& throttle_;
  TrustedDevices& devices_;
  const Clock& clock_;
  LoginSettings settings_;
  BackupCodes* backup_codes_;
  // The reads before the password check share one transaction, and so do the writes and
  // reads after it; the password hash runs outside both.
  storage::Transactions& transactions_;
  Notices* notices_;  // "someone knows your password"; none in some tests
  YubiKeys* yubikeys_;  // none when YubiKeys are not set up (some tests)
};

}  // namespace tfa::auth
