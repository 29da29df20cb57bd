#pragma once
// Password hashing with Argon2id (libsodium), stored as a PHC string
// ("$argon2id$v=19$m=12288,t=3,p=1$salt$hash") that carries its own parameters, so hashes made
// under old settings still verify and can be upgraded at the next sign-in.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/concurrency_limit.hpp"
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
  static Result<PasswordHasher> create(Argon2Params params, int at_once = 0);

  /// A fresh salt and hash. Fails only when memory cannot be allocated.
  Result<std::string> hash(std::string_view password) const;

  /// Constant time in the password. False for a wrong password and for a malformed hash.
  bool verify(std::string_view phc_hash, std::string_view password) const;

  /// True when the hash was made with other parameters than the current ones (or is not ours).
  bool needs_rehash(std::string_view phc_hash) const;

  const Argon2Params& params() const noexcept { return params_; }

 private:
  PasswordHasher(Argon2Params params, std::shared_ptr<core::ConcurrencyLimit> limit)
      : params_(params), limit_(std::move(limit)) {}
  Argon2Params params_;
  std::shared_ptr<core::ConcurrencyLimit> limit_;  // shared by copies; null without a limit
};

}  // namespace tfa::crypto
