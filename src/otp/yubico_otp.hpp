#pragma once
// Yubico OTP: what a YubiKey types when touched. The text is the key's public ID followed by
// one AES-128 block, both in modhex. The block decrypts under the key's AES secret to
//   private ID (6) | usage counter (2, LE) | timestamp (3, LE) | session counter (1) |
//   random (2) | CRC-16 (2, LE)
// and is genuine when the CRC checks and the private ID is the one on record. The counters
// only grow: a token whose counters are not newer than the last accepted ones is a replay.
// Pure functions: storage and replay state are the caller's.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/aes_block.hpp"

namespace tfa::otp {

inline constexpr std::size_t kYubicoTokenChars = 32;       // the encrypted block, in modhex
inline constexpr std::size_t kYubicoPrivateIdSize = 6;
inline constexpr std::size_t kYubicoMaxPublicIdChars = 32; // 16 bytes; keys ship with 12 chars

/// An OTP split into its public ID (lower-case modhex) and encrypted block.
struct YubicoOtpParts {
  std::string public_id;
  crypto::AesBlock token{};
};

/// The decrypted block.
struct YubicoToken {
  std::array<std::uint8_t, kYubicoPrivateIdSize> private_id{};
  std::uint16_t usage_counter = 0;  // power-ups; bit 15 is a flag, not part of the count
  std::uint32_t timestamp = 0;      // 24 bits, 8 Hz, since power-up
  std::uint8_t session_counter = 0; // touches since power-up
  std::uint16_t random = 0;

  /// One number that grows with every OTP of a key: usage counter (without its flag) and
  /// session counter. What the replay guard compares.
  std::int64_t counter() const noexcept {
    return static_cast<std::int64_t>(usage_counter & 0x7fff) << 8 | session_counter;
  }
};

/// True when `text` has the shape of a Yubico OTP: 34 to 64 modhex characters, an even
/// number. Cheap; used to tell an OTP from a 6-digit code or a backup code.
bool looks_like_yubico_otp(std::string_view text) noexcept;

/// Splits an OTP, ignoring surrounding white space and case. Errc::invalid_argument for a
/// wrong length or a character that is not modhex.
Result<YubicoOtpParts> split_yubico_otp(std::string_view text);

/// CRC-16 as Yubico OTP uses it (ISO 13239, initial 0xffff, reflected, not inverted). Over a
/// whole genuine block, including its stored CRC, the result is kYubicoCrcResidue.
std::uint16_t yubico_crc16(std::span<const std::uint8_t> bytes) noexcept;
inline constexpr std::uint16_t kYubicoCrcResidue = 0xf0b8;

/// Decrypts the block under `aes_key` and checks its CRC. Errc::invalid_argument when the CRC
/// does not check (a forged or mistyped OTP, or the wrong key).
Result<YubicoToken> decrypt_yubico_token(const crypto::AesBlock& token, std::span<const std::uint8_t> aes_key);

/// Decrypts and also checks the private ID, in constant time. Errc::invalid_argument on
/// either failure, with a message saying which.
Result<YubicoToken> open_yubico_otp(const YubicoOtpParts& otp, std::span<const std::uint8_t> private_id,
                                    std::span<const std::uint8_t> aes_key);

/// The OTP a key with this public ID and AES secret would type for `token` (the CRC is
/// computed here). For tests and for tools that stand in for a key.
Result<std::string> make_yubico_otp(std::string_view public_id, const YubicoToken& token,
                                    std::span<const std::uint8_t> aes_key);

}  // namespace tfa::otp
