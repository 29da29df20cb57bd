#pragma once
// Second factors: TOTP apps, YubiKeys and security keys, with their sealed secrets and the
// replay guard.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "storage/audit_log.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

enum class FactorKind { totp, yubico, webauthn };
enum class FactorStatus { pending, confirmed };

std::string_view to_string(FactorKind kind) noexcept;
std::string_view to_string(FactorStatus status) noexcept;

struct Factor {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  FactorKind kind = FactorKind::totp;
  std::string label;
  std::string params;  // JSON, per kind: {"algorithm":"SHA1","digits":6,"period":30} for TOTP
  std::optional<std::string> public_id;
  SecretBytes secret;  // opened from the sealed column; empty for kinds without a secret
  FactorStatus status = FactorStatus::pending;
  std::optional<std::int64_t> last_counter;  // last accepted TOTP step / device counter
  std::int64_t drift_steps = 0;
  Time created_at;
  std::optional<Time> confirmed_at;
  std::optional<Time> expires_at;
  std::optional<Time> last_used_at;
};

struct NewFactor {
  std::int64_t user_id = 0;
  FactorKind kind = FactorKind::totp;
  std::string label;
  std::string params = "{}";
  std::optional<std::string> public_id;
  const SecretBytes* secret = nullptr;  // sealed before it is written; nullptr for none
  FactorStatus status = FactorStatus::pending;
  std::optional<Time> expires_at;
};

/// What removing a user's second factors removed.
struct SecondFactorReset {
  std::int64_t factors = 0;
  std::int64_t backup_codes = 0;
  std::int64_t trusted_devices = 0;
};

class FactorStore {
 public:
  virtual ~FactorStore() = default;

  /// Seals the secret bound to the new row. Errc::conflict when the public id is taken.
  virtual Result<std::int64_t> add_factor(const NewFactor& factor, Time now) = 0;
  /// Every factor of the user, secrets opened; a secret that does not open is an error.
  virtual Result<std::vector<Factor>> factors_of(std::int64_t user_id) = 0;
  /// The same list with every `secret` left empty and nothing unsealed: for pages and
  /// answers that show the factors, which need no secret in memory.
  virtual Result<std::vector<Factor>> factor_list_of(std::int64_t user_id) = 0;
  virtual Result<std::optional<Factor>> find_factor(std::int64_t id) = 0;
  /// pending -> confirmed, in one statement that also records `accepted_counter` (the TOTP
  /// step of the code that proved the app has the secret) for the replay guard, so that code
  /// cannot sign in afterwards. Errc::not_found unless the factor exists and is pending.
  virtual Result<void> confirm_factor(std::int64_t id, Time now,
                                      std::optional<std::int64_t> accepted_counter,
                                      std::int64_t drift_steps) = 0;
  virtual Result<void> remove_factor(std::int64_t id) = 0;

  /// The replay guard: records that `counter` (a TOTP step or a device counter) was accepted
  /// for the factor, and returns true, only when it is newer than the last one recorded. One
  /// atomic statement, so of two servers racing with the same code exactly one gets true.
  virtual Result<bool> record_accepted_counter(std::int64_t factor_id, std::int64_t counter,
                                               std::int64_t drift_steps, Time now) = 0;

  /// Removes every second factor, backup code and trusted device of the user and appends
  /// `event` to the audit log, all in one transaction (the support desk's reset).
  virtual Result<SecondFactorReset> remove_all_second_factors(std::int64_t user_id,
                                                              const AuditEvent& event) = 0;
};

}  // namespace tfa::storage
