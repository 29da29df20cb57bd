#pragma once
// Seals secrets for storage with XChaCha20-Poly1305 (libsodium, IETF variant) under the
// server key, bound to where they are stored.
//
// The `context` is authenticated but not stored: callers pass the table, column and row id
// ("factors.sealed_secret:42"), so a sealed value copied into another row, or another column,
// no longer opens. A sealed value is
//   version (1 byte, = 1) | key id (4 bytes) | nonce (24 bytes) | ciphertext + tag (16 bytes)
// The key id (a hash of the key) lets a value be matched to the key that sealed it, which is
// what makes key rotation recoverable if it is interrupted.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "core/result.hpp"
#include "core/secret_bytes.hpp"

namespace tfa::crypto {

inline constexpr std::size_t kServerKeySize = 32;

class Sealer {
 public:
  /// `primary` seals; it and the `older` keys open. Each key must be 32 bytes.
  static Result<Sealer> create(SecretBytes primary, std::vector<SecretBytes> older = {});

  std::vector<std::uint8_t> seal(std::span<const std::uint8_t> plaintext,
                                 std::string_view context, Random& random) const;

  /// Fails with Errc::internal when the value is malformed, was sealed under a key this Sealer
  /// does not hold, or does not authenticate for `context` (tampered, or moved from another row).
  Result<SecretBytes> open(std::span<const std::uint8_t> sealed, std::string_view context) const;

  /// True when `sealed` was sealed under the primary key (so rotation can skip it).
  bool sealed_with_primary(std::span<const std::uint8_t> sealed) const noexcept;

  /// A 32-byte key for another purpose (e.g. "csrf"), derived from the primary key with
  /// keyed BLAKE2b, so one key file serves every instance and nothing else needs storing.
  SecretBytes derive_key(std::string_view purpose) const;

  /// The primary key's 4-byte id, as 8 hex digits, for logs and `tfa key status`.
  std::string primary_key_id() const;

 private:
  struct Key {
    SecretBytes bytes;
    std::uint32_t id;
  };
  explicit Sealer(std::vector<Key> keys) : keys_(std::move(keys)) {}

  std::vector<Key> keys_;  // keys_[0] is the primary
};

}  // namespace tfa::crypto
