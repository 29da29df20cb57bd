#pragma once
// HMAC of an 8-byte counter under a fixed key: the one message shape HOTP and TOTP need
// (RFC 4226 §5.2: HMAC(K, C) with C the 8-byte big-endian counter).
//
// The key's inner and outer padded blocks are hashed once, in create(). Each mac() then costs
// exactly two compression-function calls (one for the inner hash, one for the outer), which
// is the least any HMAC of a short message can cost. A TOTP check over a window of steps
// calls mac() once per step, so this is what makes verification fast.
#include <cstdint>
#include <span>
#include <variant>

#include <openssl/sha.h>

#include "core/result.hpp"
#include "crypto/digest.hpp"
#include "crypto/hash_algorithm.hpp"

namespace tfa::crypto {

class CounterHmac {
 public:
  /// Fails only for an empty key (RFC 4226 §4 requires a shared secret).
  static Result<CounterHmac> create(HashAlgorithm algorithm, std::span<const std::uint8_t> key);

  CounterHmac(CounterHmac&&) noexcept;
  CounterHmac& operator=(CounterHmac&&) noexcept;
  CounterHmac(const CounterHmac&) = delete;
  CounterHmac& operator=(const CounterHmac&) = delete;
  /// Wipes the key-derived states.
  ~CounterHmac();

  /// HMAC(key, big-endian counter). Thread-safe: the object is not modified.
  Digest mac(std::uint64_t counter) const noexcept;

  HashAlgorithm algorithm() const noexcept { return algorithm_; }

 private:
  // The inner and outer hash states after absorbing key^ipad and key^opad.
  template <class Ctx>
  struct PadStates {
    Ctx inner;
    Ctx outer;
  };
  using States = std::variant<PadStates<SHA_CTX>, PadStates<SHA256_CTX>, PadStates<SHA512_CTX>>;

  CounterHmac(HashAlgorithm algorithm, States states) noexcept
      : algorithm_(algorithm), states_(states) {}
  void wipe() noexcept;

  HashAlgorithm algorithm_;
  States states_;
};

}  // namespace tfa::crypto
