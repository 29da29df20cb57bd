#pragma once
// Backup codes (seed 004): ten one-time codes shown once after 2FA is turned on, each good for
// one sign-in when the phone is not at hand.
//
// A code is ten characters of Crockford's Base32 alphabet (no i, l, o or u, so nothing looks
// like anything else), shown as two groups of five: "7kq2m-x9d4t", 50 random bits. Input
// forgives case, spaces and hyphens, and reads o as 0 and i or l as 1. The store keeps only
// HMAC-SHA256 of the normalised code under a key derived from the server key, so a copy of
// the database alone does not allow guessing codes offline.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "auth/notices.hpp"
#include "auth/throttle.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/secret_bytes.hpp"
#include "storage/audit_log.hpp"
#include "storage/backup_code_store.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

inline constexpr std::size_t kBackupCodeLength = 10;  // symbols, without the hyphen

/// The canonical form of a typed backup code (ten lower-case symbols), or nullopt when the
/// text cannot be one.
std::optional<std::string> normalize_backup_code(std::string_view typed);

/// "7kq2mx9d4t" -> "7kq2m-x9d4t".
std::string format_backup_code(std::string_view normalized);

struct BackupCodeSettings {
  int count = 10;
  /// How many remaining codes count as few, for the profile's warning.
  int low_mark = 3;
  /// Guessing backup codes is counted apart from TOTP codes, so an attacker's wrong TOTP codes
  /// do not block the owner's backup code, and the other way round.
  ThrottlePolicy per_account{5, std::chrono::seconds(60), std::chrono::hours(1), std::chrono::hours(24)};
};

struct BackupCodeUse {
  enum Outcome { accepted, rejected, throttled } outcome = rejected;
  std::int64_t remaining = 0;  // unused codes left after an accepted one
  std::chrono::seconds retry_after{0};
};

class BackupCodes {
 public:
  BackupCodes(storage::BackupCodeStore& store, storage::AuditLog& audit, Throttle& throttle,
              Notices& notices, const Clock& clock, Random& random, SecretBytes hash_key,
              BackupCodeSettings settings = {})
      : store_(store), audit_(audit), throttle_(throttle), notices_(notices), clock_(clock),
        random_(random), hash_key_(std::move(hash_key)), settings_(settings) {}

  /// A new set for the user, voiding the old one; returns the codes (formatted) to show once.
  /// `regenerated` says whether the user asked for a new set (audited and mailed) or the set
  /// comes with turning 2FA on.
  Result<std::vector<std::string>> generate(const storage::User& user, bool regenerated, const Actor& actor);

  /// Spends one code. A wrong code counts towards the user's backup-code throttle.
  Result<BackupCodeUse> use(const storage::User& user, std::string_view typed, const Actor& actor);

  Result<std::int64_t> remaining(std::int64_t user_id);
  const BackupCodeSettings& settings() const { return settings_; }

 private:
  storage::Time now() const;
  storage::CodeHash hash(std::string_view normalized) const;

  storage::BackupCodeStore& store_;
  storage::AuditLog& audit_;
  Throttle& throttle_;
  Notices& notices_;
  const Clock& clock_;
  Random& random_;
  SecretBytes hash_key_;
  BackupCodeSettings settings_;
};

}  // namespace tfa::auth
