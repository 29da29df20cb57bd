#pragma once
// Throttling of guessable inputs with a back-off that grows with each failure and shrinks
// with time, so that guessing is slowed to uselessness while nobody is locked out for good.
//
// A key ("account:42:otp") may fail `free_failures` times; each failure after that blocks the
// key for `base_delay * 2^(extra failures - 1)`, at most `max_delay`. Failures older than
// `forget_after` are forgotten (the count starts again), and a success clears the key.
//
// A policy that `remembers_blocks` (the sign-in code step) forgets more slowly, so that waiting
// or the owner's next success does not hand a guesser a fresh allowance: failures are forgotten
// one at a time, one per `forget_after` since the latest failure, and a success clears them
// only when they look like the owner's typos: no more than `free_failures`, the latest within
// `forgive_within` of the success. docs/security.md has the arithmetic.
#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "storage/throttle_store.hpp"
#include "storage/transactions.hpp"

namespace tfa::auth {

struct ThrottlePolicy {
  int free_failures = 5;
  std::chrono::seconds base_delay{30};
  std::chrono::seconds max_delay{std::chrono::hours(1)};
  std::chrono::seconds forget_after{std::chrono::hours(24)};
  bool remembers_blocks = false;
  std::chrono::seconds forgive_within{0};  // with remembers_blocks
};

/// How an attempt that took time to check (a password hash) ends; see Throttle::settle.
struct Settled {
  /// Attempts that ran alongside blocked the key meanwhile: answer as throttled, whether this
  /// attempt was right or wrong; nothing was counted or cleared.
  bool throttled = false;
  /// The block in force afterwards (the one found, or the one this failure started), if any.
  std::optional<std::chrono::seconds> retry_after;
};

/// The failures of `state` still counted at `now` under `policy`.
std::int64_t remembered_failures(const std::optional<storage::ThrottleState>& state, storage::Time now,
                                 const ThrottlePolicy& policy);

class Throttle {
 public:
  Throttle(storage::ThrottleStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// How long until `key` may be tried again, or nullopt when it may be tried now.
  Result<std::optional<std::chrono::seconds>> retry_after(const std::string& key);
  /// The same, inside a write transaction, with the key held until that transaction ends
  /// (ThrottleStore::locked_throttle_state): what it says still holds when the transaction
  /// then counts a failure or clears the key.
  Result<std::optional<std::chrono::seconds>> locked_retry_after(const std::string& key);
  /// Counts a failure; returns the new block, if any.
  Result<std::optional<std::chrono::seconds>> failure(const std::string& key, const ThrottlePolicy& policy);
  Result<void> success(const std::string& key);
  /// A success under `policy`: clears the key; under a policy that remembers blocks, only when
  /// at most free_failures failures are remembered and the latest is within forgive_within.
  Result<void> success(const std::string& key, const ThrottlePolicy& policy);
  /// The failures counted for `key` and not yet forgotten under `policy` (0 when none).
  Result<int> failures(const std::string& key, const ThrottlePolicy& policy);

  /// Ends an attempt that retry_after() let in and whose check took time, in one write
  /// transaction of `transactions`. When attempts that ran alongside it blocked `key` in the
  /// meantime, the attempt is throttled, right or wrong, and changes nothing: attempts sent
  /// all at once learn no more than attempts sent one after another. Otherwise a right
  /// attempt clears the key and a wrong one counts.
  Result<Settled> settle(storage::Transactions& transactions, const std::string& key,
                         const ThrottlePolicy& policy, bool right);

 private:
  storage::Time now() const;
  storage::ThrottleStore& store_;
  const Clock& clock_;
};

/// The keys, in one place so every caller spells them alike.
std::string account_key(std::int64_t user_id, std::string_view input);      // input: "password", "otp"
/// By the client's address; an IPv6 client by its /64 network, the smallest block a provider
/// hands out, so that one customer's 2^64 addresses share one counter.
std::string address_key(std::string_view address, std::string_view input);
/// By the account name (or e-mail address) as typed, lower-cased, whether or not such an
/// account exists; one longer than 128 characters by its SHA-256.
std::string name_key(std::string_view name, std::string_view input);

}  // namespace tfa::auth
