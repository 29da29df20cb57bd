#include "cli/yubikey_import.hpp"

#include <cctype>

#include "otp/modhex.hpp"
#include "otp/yubico_otp.hpp"

namespace tfa::cli {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  return text;
}

template <std::size_t N>
bool parse_hex(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < N; ++i) {
    const int high = nibble(text[2 * i]);
    const int low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto comma = line.find(',');
    fields.push_back(trimmed(line.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return fields;
}

}  // namespace

Result<YubiKeySecrets> parse_yubikey_secrets(std::string_view public_id, std::string_view private_id,
                                             std::string_view aes_key) {
  YubiKeySecrets key;
  public_id = trimmed(public_id);
  if (public_id.empty() || public_id.size() > otp::kYubicoMaxPublicIdChars || !otp::is_modhex(public_id)) {
    return fail(Errc::invalid_argument, "the public ID must be 2 to 32 modhex characters (cbdefghijklnrtuv), as in vvcccchnrhbr");
  }
  for (char c : public_id) key.public_id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!parse_hex(trimmed(private_id), key.private_id)) {
    return fail(Errc::invalid_argument, "the private ID must be 12 hexadecimal digits");
  }
  if (!parse_hex(trimmed(aes_key), key.aes_key)) {
    return fail(Errc::invalid_argument, "the AES key must be 32 hexadecimal digits");
  }
  return key;
}

Result<std::vector<YubiKeySecrets>> parse_yubikey_csv(std::string_view text) {
  std::vector<YubiKeySecrets> keys;
  int number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = trimmed(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    if (line.empty() || line.front() == '#' || line.starts_with("LOGGING START")) continue;
    const auto fields = split(line);
    Result<YubiKeySecrets> key = fail(Errc::invalid_argument, "not a key");
    if (fields.size() >= 6 && fields[0] == "Yubico OTP") {
      key = parse_yubikey_secrets(fields[3], fields[4], fields[5]);
    } else if (fields.size() >= 3) {
      key = parse_yubikey_secrets(fields[0], fields[1], fields[2]);
    } else {
      key = fail(Errc::invalid_argument, "expected \"public ID,private ID,AES key\" or a "
                                         "Personalization Tool \"Yubico OTP,...\" row");
    }
    if (!key) return fail(Errc::invalid_argument, "line " + std::to_string(number) + ": " + key.error().message);
    keys.push_back(std::move(*key));
  }
  return keys;
}

}  // namespace tfa::cli
