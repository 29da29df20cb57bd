#pragma once
// Password hashing with Argon2id (libsodium), stored as a PHC string
// ("$argon2id$v=19$m=12288,t=3,p=1$salt$hash") that carries its own parameters, so hashes made
// under old settings still verify and can be upgraded at the next sign-in.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/concurrency_limit.hpp"
#include "core/worker_threads.hpp"
#include "core/result.hpp"

namespace tfa::crypto {

struct Argon2Params {
  std::uint64_t ops = 3;             // iterations (t)
  std::uint64_t memory_kib = 12288;  // memory (m), in KiB
};

class PasswordHasher {
 public:
  /// Fails when the parameters are below libsodium's minimum (1 iteration, 8 KiB). At most
  /// `at_once` hashes and verifications run at the same time, over all copies of this hasher
  /// (0: no limit); further callers wait their turn. Each holds `params.memory_kib` while it
  /// runs, so this bounds the memory hashing takes, whatever the number of calling threads.
  ///
  /// With a limit, a hash that takes long (kLongHash and above: milliseconds) runs on one of
  /// `at_once` threads of the hasher's own (core::WorkerThreads), which go from one hash to
  /// the next and so keep their cores; the caller waits. A shorter one runs on the calling
  /// thread, since handing it over would cost more than it does.
  static Result<PasswordHasher> create(Argon2Params params, int at_once = 0);

  /// Passes over memory, in KiB (ops × memory_kib), from which a hash counts as long: about
  /// 0.3 ms, some ten times what handing it to another thread and back costs.
  static constexpr std::uint64_t kLongHash = 1024;

  /// A fresh salt and hash. Fails only when memory cannot be allocated.
  Result<std::string> hash(std::string_view password) const;

  /// Constant time in the password. False for a wrong password and for a malformed hash.
  bool verify(std::string_view phc_hash, std::string_view password) const;

  /// True when the hash was made with other parameters than the current ones (or is not ours).
  bool needs_rehash(std::string_view phc_hash) const;

  const Argon2Params& params() const noexcept { return params_; }

 private:
  /// Runs `hash` as the limit says: on the hasher's threads, under the limit on this one,
  /// or here without a limit.
  void run(const std::function<void()>& hash) const;

  PasswordHasher(Argon2Params params, std::shared_ptr<core::ConcurrencyLimit> limit,
                 std::shared_ptr<core::WorkerThreads> threads)
      : params_(params), limit_(std::move(limit)), threads_(std::move(threads)) {}
  Argon2Params params_;
  // Shared by copies; at most one is set, neither without a limit.
  std::shared_ptr<core::ConcurrencyLimit> limit_;  // short hashes
  std::shared_ptr<core::WorkerThreads> threads_;   // long hashes
};

}  // namespace tfa::crypto
