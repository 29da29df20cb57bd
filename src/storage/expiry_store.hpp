#pragma once
// Removing what has expired, so that the tables do not grow without bound: a session row is
// written for every browser that opens the sign-in page, and a throttle row for every name
// typed there.
#include <chrono>
#include <cstdint>

#include "core/result.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

struct ExpiredRows {
  std::int64_t sessions = 0;
  std::int64_t trusted_devices = 0;
  std::int64_t pending_factors = 0;
  std::int64_t email_tokens = 0;
  std::int64_t throttle_keys = 0;
  std::int64_t api_tokens = 0;

  std::int64_t total() const {
    return sessions + trusted_devices + pending_factors + email_tokens + throttle_keys + api_tokens;
  }
};

class ExpiryStore {
 public:
  virtual ~ExpiryStore() = default;
  /// In one transaction, deletes sessions, trusted devices, API tokens and pending factors whose time has
  /// passed at `now`; e-mail tokens that expired before `tokens_before` (kept a while after
  /// expiry, so that a late click is told "expired", not "not valid"); and throttle keys not
  /// blocked at `now` and not touched since `throttle_before`, except the sign-in code keys
  /// ("...:otp"), whose policy remembers each failure for `code_memory_per_failure`: those go
  /// once that much per failure has passed since their last update.
  virtual Result<ExpiredRows> delete_expired(Time now, Time tokens_before, Time throttle_before,
                                             std::chrono::seconds code_memory_per_failure) = 0;
};

}  // namespace tfa::storage
