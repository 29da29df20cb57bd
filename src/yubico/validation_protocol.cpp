#include "yubico/validation_protocol.hpp"

#include <cctype>

#include <sodium.h>

#include "core/constant_time.hpp"
#include "core/utc_time.hpp"
#include "crypto/hmac.hpp"

namespace tfa::yubico {

std::string signed_text(const Parameters& parameters) {
  std::string text;
  for (const auto& [name, value] : parameters) {  // std::map: sorted by name
    if (name == "h") continue;
    if (!text.empty()) text += '&';
    text += name + "=" + value;
  }
  return text;
}

std::string signature(const Parameters& parameters, std::span<const std::uint8_t> key) {
  const std::string text = signed_text(parameters);
  const auto digest = crypto::hmac(crypto::HashAlgorithm::sha1, key,
                                   {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  return base64_encode(digest.view());
}

bool signature_ok(const Parameters& parameters, std::span<const std::uint8_t> key) {
  const auto given = parameters.find("h");
  if (given == parameters.end()) return false;
  return constant_time_equal(given->second, signature(parameters, key));
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::vector<std::uint8_t> base64_decode(std::string_view text) {
  std::vector<std::uint8_t> out(text.size());
  std::size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return {};
  }
  out.resize(length);
  return out;
}

std::string format_answer(const Parameters& parameters) {
  std::string body;
  if (auto h = parameters.find("h"); h != parameters.end()) body += "h=" + h->second + "\r\n";
  for (const auto& [name, value] : parameters) {
    if (name != "h") body += name + "=" + value + "\r\n";
  }
  return body;
}

bool safe_parameter(std::string_view name, std::string_view value) noexcept {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  for (char c : value) {
    if (c == '&' || c == '=' || c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

std::optional<Parameters> parse_answer(std::string_view body) {
  Parameters out;
  while (!body.empty()) {
    const auto end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string_view name = line.substr(0, equals);
    std::string_view value = line.substr(equals + 1);
    if (name == "h") {
      // base64: its '=' padding is the one '=' a value may hold.
      for (char c : value) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=') return std::nullopt;
      }
    } else if (!safe_parameter(name, value)) {
      return std::nullopt;
    }
    if (!out.emplace(std::string(name), std::string(value)).second) return std::nullopt;  // given twice
  }
  return out;
}

std::string protocol_time(std::chrono::system_clock::time_point at) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(at - seconds).count();
  char digits[8];
  std::snprintf(digits, sizeof digits, "%04d", static_cast<int>(millis));
  return format_rfc3339(seconds) + digits;
}

bool valid_nonce(std::string_view nonce) noexcept {
  if (nonce.size() < 16 || nonce.size() > 40) return false;
  for (char c : nonce) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace tfa::yubico
