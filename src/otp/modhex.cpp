#include "otp/modhex.hpp"

namespace tfa::otp {
namespace {

constexpr std::string_view kAlphabet = "cbdefghijklnrtuv";

int nibble(char c) noexcept {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::string modhex_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kAlphabet[b >> 4];
    out += kAlphabet[b & 0x0f];
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> modhex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = nibble(text[i]);
    const int low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(high << 4 | low));
  }
  return out;
}

bool is_modhex(std::string_view text) noexcept {
  if (text.size() % 2 != 0) return false;
  for (char c : text) {
    if (nibble(c) < 0) return false;
  }
  return true;
}

}  // namespace tfa::otp
