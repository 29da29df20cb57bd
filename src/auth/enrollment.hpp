#pragma once
// Turning on TOTP: a fresh secret kept as a sealed *pending* factor until a code from the app
// proves it holds the secret (seed 002: "at this point the secret is not set"), then confirmed.
// A wrong code leaves the pending factor as it was, so the same QR code still works.
#include <chrono>
#include <optional>
#include <string>

#include "auth/actor.hpp"
#include "auth/notices.hpp"
#include "auth/totp_factor.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "otp/key_uri.hpp"
#include "storage/audit_log.hpp"
#include "storage/factor_store.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

struct EnrollmentSettings {
  std::string issuer = "tfa";
  otp::TotpParams params;  // SHA1, 6 digits, 30 s: what every authenticator app supports
  TotpSettings totp;
  std::chrono::seconds pending_lifetime{std::chrono::minutes(15)};
};

struct PendingTotp {
  std::int64_t factor_id = 0;
  otp::KeyUri key;  // issuer, account, secret and parameters, for the QR code
};

class Enrollment {
 public:
  Enrollment(storage::FactorStore& factors, storage::AuditLog& audit, const Clock& clock,
             Random& random, EnrollmentSettings settings, Notices* notices = nullptr)
      : factors_(factors), audit_(audit), clock_(clock), random_(random), settings_(std::move(settings)),
        notices_(notices) {}

  /// Creates a pending TOTP factor with a new secret, replacing the user's other pending ones.
  Result<PendingTotp> start(const storage::User& user);
  /// The pending factor `factor_id` of the user, or nullopt when it is gone, confirmed or expired.
  Result<std::optional<PendingTotp>> pending(const storage::User& user, std::int64_t factor_id);
  /// Checks `code` against the pending factor; on success the factor becomes the user's second
  /// factor and the event is audited. A wrong code changes nothing. `Errc::conflict` when the
  /// user already has a confirmed factor: enrollment turns two-factor on, it does not add to it.
  Result<CodeCheck> confirm(const storage::User& user, std::int64_t factor_id, std::string_view code,
                            const Actor& actor);

 private:
  storage::Time now() const;
  otp::KeyUri key_for(const storage::User& user, SecretBytes secret, const otp::TotpParams& params) const;

  storage::FactorStore& factors_;
  storage::AuditLog& audit_;
  const Clock& clock_;
  Random& random_;
  EnrollmentSettings settings_;
  Notices* notices_;  // mails "2FA was turned on"; none in some tests
};

}  // namespace tfa::auth
