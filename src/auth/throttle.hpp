#pragma once
// Throttling of guessable inputs with a back-off that grows with each failure and shrinks
// with time, so that guessing is slowed to uselessness while nobody is locked out for good.
//
// A key ("account:42:otp") may fail `free_failures` times; each failure after that blocks the
// key for `base_delay * 2^(extra failures - 1)`, at most `max_delay`. Failures older than
// `forget_after` are forgotten (the count starts again), and a success clears the key.
#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "storage/throttle_store.hpp"

namespace tfa::auth {

struct ThrottlePolicy {
  int free_failures = 5;
  std::chrono::seconds base_delay{30};
  std::chrono::seconds max_delay{std::chrono::hours(1)};
  std::chrono::seconds forget_after{std::chrono::hours(24)};
};

class Throttle {
 public:
  Throttle(storage::ThrottleStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// How long until `key` may be tried again, or nullopt when it may be tried now.
  Result<std::optional<std::chrono::seconds>> retry_after(const std::string& key);
  /// Counts a failure; returns the new block, if any.
  Result<std::optional<std::chrono::seconds>> failure(const std::string& key, const ThrottlePolicy& policy);
  Result<void> success(const std::string& key);
  /// The failures counted for `key` and not yet forgotten (0 when none).
  Result<int> failures(const std::string& key);

 private:
  storage::Time now() const;
  storage::ThrottleStore& store_;
  const Clock& clock_;
};

/// The keys, in one place so every caller spells them alike.
std::string account_key(std::int64_t user_id, std::string_view input);      // input: "password", "otp"
std::string address_key(std::string_view address, std::string_view input);
/// By the account name as typed, lower-cased, whether or not such an account exists.
std::string name_key(std::string_view name, std::string_view input);

}  // namespace tfa::auth
