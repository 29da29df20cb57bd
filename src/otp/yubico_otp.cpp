#include "otp/yubico_otp.hpp"

#include <cctype>

#include "core/constant_time.hpp"
#include "otp/modhex.hpp"

namespace tfa::otp {
namespace {

constexpr std::size_t kMinChars = kYubicoTokenChars + 2;
constexpr std::size_t kMaxChars = kYubicoTokenChars + kYubicoMaxPublicIdChars;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

bool looks_like_yubico_otp(std::string_view text) noexcept {
  text = trimmed(text);
  return text.size() >= kMinChars && text.size() <= kMaxChars && is_modhex(text);
}

Result<YubicoOtpParts> split_yubico_otp(std::string_view text) {
  text = trimmed(text);
  if (text.size() < kMinChars || text.size() > kMaxChars || text.size() % 2 != 0) {
    return fail(Errc::invalid_argument, "a Yubico OTP is 34 to 64 modhex characters");
  }
  if (!is_modhex(text)) return fail(Errc::invalid_argument, "a Yubico OTP is written in modhex");
  const std::string_view public_part = text.substr(0, text.size() - kYubicoTokenChars);
  auto token = modhex_decode(text.substr(public_part.size()));
  YubicoOtpParts parts;
  for (char c : public_part) parts.public_id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::copy(token->begin(), token->end(), parts.token.begin());
  return parts;
}

std::uint16_t yubico_crc16(std::span<const std::uint8_t> bytes) noexcept {
  std::uint16_t crc = 0xffff;
  for (std::uint8_t b : bytes) {
    crc ^= b;
    for (int bit = 0; bit < 8; ++bit) {
      const bool low = crc & 1;
      crc >>= 1;
      if (low) crc ^= 0x8408;
    }
  }
  return crc;
}

Result<YubicoToken> decrypt_yubico_token(const crypto::AesBlock& token, std::span<const std::uint8_t> aes_key) {
  TFA_TRY(const crypto::AesBlock plain, crypto::aes128_decrypt_block(aes_key, token));
  if (yubico_crc16(plain) != kYubicoCrcResidue) {
    return fail(Errc::invalid_argument, "the OTP does not decrypt to a valid token");
  }
  YubicoToken out;
  std::copy(plain.begin(), plain.begin() + kYubicoPrivateIdSize, out.private_id.begin());
  out.usage_counter = static_cast<std::uint16_t>(plain[6] | plain[7] << 8);
  out.timestamp = static_cast<std::uint32_t>(plain[8] | plain[9] << 8 | plain[10] << 16);
  out.session_counter = plain[11];
  out.random = static_cast<std::uint16_t>(plain[12] | plain[13] << 8);
  return out;
}

Result<YubicoToken> open_yubico_otp(const YubicoOtpParts& otp, std::span<const std::uint8_t> private_id,
                                    std::span<const std::uint8_t> aes_key) {
  TFA_TRY(auto token, decrypt_yubico_token(otp.token, aes_key));
  if (!constant_time_equal(token.private_id, private_id)) {
    return fail(Errc::invalid_argument, "the OTP's private ID is not this key's");
  }
  return token;
}

Result<std::string> make_yubico_otp(std::string_view public_id, const YubicoToken& token,
                                    std::span<const std::uint8_t> aes_key) {
  if (!is_modhex(public_id) || public_id.empty() || public_id.size() > kYubicoMaxPublicIdChars) {
    return fail(Errc::invalid_argument, "a public ID is 2 to 32 modhex characters");
  }
  crypto::AesBlock plain{};
  std::copy(token.private_id.begin(), token.private_id.end(), plain.begin());
  plain[6] = static_cast<std::uint8_t>(token.usage_counter);
  plain[7] = static_cast<std::uint8_t>(token.usage_counter >> 8);
  plain[8] = static_cast<std::uint8_t>(token.timestamp);
  plain[9] = static_cast<std::uint8_t>(token.timestamp >> 8);
  plain[10] = static_cast<std::uint8_t>(token.timestamp >> 16);
  plain[11] = token.session_counter;
  plain[12] = static_cast<std::uint8_t>(token.random);
  plain[13] = static_cast<std::uint8_t>(token.random >> 8);
  // The stored CRC is the one's complement of the CRC of the first 14 bytes, little-endian,
  // which makes the CRC over all 16 bytes the fixed residue.
  const std::uint16_t crc = static_cast<std::uint16_t>(~yubico_crc16(std::span(plain).first(14)));
  plain[14] = static_cast<std::uint8_t>(crc);
  plain[15] = static_cast<std::uint8_t>(crc >> 8);
  TFA_TRY(const crypto::AesBlock encrypted, crypto::aes128_encrypt_block(aes_key, plain));
  std::string out;
  for (char c : public_id) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out + modhex_encode(encrypted);
}

}  // namespace tfa::otp
