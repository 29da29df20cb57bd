#pragma once
// One AES-128 block decryption (ECB of a single block) over OpenSSL: what a Yubico OTP needs,
// since each OTP is exactly one block encrypted under the key's AES secret.
#include <array>
#include <cstdint>
#include <span>

#include "core/result.hpp"

namespace tfa::crypto {

inline constexpr std::size_t kAesBlockSize = 16;
inline constexpr std::size_t kAes128KeySize = 16;
using AesBlock = std::array<std::uint8_t, kAesBlockSize>;

/// Decrypts one 16-byte block under a 16-byte key. Errc::invalid_argument for a key of
/// another size; Errc::internal when OpenSSL fails.
Result<AesBlock> aes128_decrypt_block(std::span<const std::uint8_t> key, const AesBlock& block);
/// The inverse, for tests and tools that make tokens.
Result<AesBlock> aes128_encrypt_block(std::span<const std::uint8_t> key, const AesBlock& block);

}  // namespace tfa::crypto
