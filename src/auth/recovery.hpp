#pragma once
// Turning 2FA off when the phone is lost (seed 001): after the password step, "Lost your
// device? Disable two-factor authentication" mails a one-time token to the account's address.
// Pasting it (or opening the link that carries it) turns 2FA off and signs the user in. The
// token is 256 random bits, valid 15 minutes, works once, and only its hash is stored.
#include <chrono>
#include <optional>

#include "auth/actor.hpp"
#include "auth/notices.hpp"
#include "auth/throttle.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "storage/audit_log.hpp"
#include "storage/email_token_store.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

inline constexpr std::string_view kDisablePurpose = "disable_2fa";

struct RecoverySettings {
  std::chrono::minutes token_lifetime{15};
  /// Mails per account per hour, so the button cannot be used to flood a mailbox.
  int mails_per_hour = 3;
  /// Token guesses per client address; a token cannot be guessed, but every input is limited.
  ThrottlePolicy per_address{10, std::chrono::seconds(30), std::chrono::hours(1), std::chrono::hours(24)};
};

struct RecoveryRequest {
  enum Outcome { sent, throttled } outcome = sent;
  std::chrono::seconds retry_after{0};
};

struct RecoveryRedeem {
  enum Outcome {
    disabled,    // 2FA is off; `user_id` may be signed in
    invalid,     // no such token
    expired,
    used,
    other_user,  // the token is another account's than the one signing in
    throttled,
  } outcome = invalid;
  std::int64_t user_id = 0;
  std::chrono::seconds retry_after{0};
};

class Recovery {
 public:
  Recovery(storage::EmailTokenStore& tokens, storage::UserStore& users, storage::AuditLog& audit,
           Throttle& throttle, Notices& notices, const Clock& clock, Random& random,
           RecoverySettings settings = {})
      : tokens_(tokens), users_(users), audit_(audit), throttle_(throttle), notices_(notices),
        clock_(clock), random_(random), settings_(settings) {}

  /// Mails a new token to the user (who has just given the right password).
  Result<RecoveryRequest> request_disable(const storage::User& user, const Actor& actor);

  /// Redeems a typed or linked token. `signing_in` is the user whose password step this
  /// browser passed, if any: a token of another account is then refused. Turns 2FA off in one
  /// transaction with spending the token, and mails the notice.
  Result<RecoveryRedeem> redeem_disable(std::string_view token, std::optional<std::int64_t> signing_in,
                                        const Actor& actor);

  const RecoverySettings& settings() const { return settings_; }

 private:
  storage::Time now() const;

  storage::EmailTokenStore& tokens_;
  storage::UserStore& users_;
  storage::AuditLog& audit_;
  Throttle& throttle_;
  Notices& notices_;
  const Clock& clock_;
  Random& random_;
  RecoverySettings settings_;
};

}  // namespace tfa::auth
