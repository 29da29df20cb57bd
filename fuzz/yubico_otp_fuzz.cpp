// Fuzzes the Yubico OTP reader, which takes what users type (or paste) as a YubiKey's touch.
// Whatever it splits must decode without harm; a token that decrypts under the fixed key with
// a good CRC must come out of make_yubico_otp as the same text, in lower case.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "otp/modhex.hpp"
#include "otp/yubico_otp.hpp"

namespace {

constexpr std::array<std::uint8_t, 16> kKey{0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
                                            0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66};

std::string lower_trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::string out;
  for (char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool looks = tfa::otp::looks_like_yubico_otp(text);
  auto parts = tfa::otp::split_yubico_otp(text);
  if (looks != parts.has_value()) std::abort();  // the cheap test and the reader agree
  if (!parts) return 0;
  if (!tfa::otp::is_modhex(parts->public_id)) std::abort();
  auto token = tfa::otp::decrypt_yubico_token(parts->token, kKey);
  if (!token) return 0;
  auto again = tfa::otp::make_yubico_otp(parts->public_id, *token, kKey);
  if (!again || *again != lower_trimmed(text)) std::abort();
  return 0;
}
