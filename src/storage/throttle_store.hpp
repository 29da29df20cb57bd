#pragma once
// Failure counters for throttling, by key ("account:42:otp", "address:203.0.113.7:password").
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

struct ThrottleState {
  std::int64_t failures = 0;
  Time window_start;
  Time blocked_until;
};

class ThrottleStore {
 public:
  virtual ~ThrottleStore() = default;
  virtual Result<std::optional<ThrottleState>> throttle_state(std::string_view key) = 0;
  /// Applies `update` to the key's state (nullopt when the key has none) and stores the
  /// result, atomically: concurrent failures are all counted. `update` may run while the key
  /// is locked, so it must be quick and must not use the store. `now` is the row's updated_at.
  virtual Result<ThrottleState> update_throttle(
      std::string_view key, Time now,
      const std::function<ThrottleState(const std::optional<ThrottleState>&)>& update) = 0;
  /// Inside a write transaction: the key's state, held so that no other transaction changes it
  /// before this one ends. For a check that must still hold when the transaction writes
  /// (auth::Throttle::settle). On PostgreSQL the key's row is locked, and made first, blank,
  /// when the key has none; SQLite's write transactions hold the whole database anyway.
  virtual Result<std::optional<ThrottleState>> locked_throttle_state(std::string_view key, Time now) = 0;
  /// Forgets the key's state; succeeds when it has none.
  virtual Result<void> clear_throttle(std::string_view key) = 0;
};

}  // namespace tfa::storage
