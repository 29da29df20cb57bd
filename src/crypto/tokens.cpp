#include "crypto/tokens.hpp"

#include <array>

#include <sodium.h>

#include "core/constant_time.hpp"

namespace tfa::crypto {

namespace {
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenChars = 43;  // ceil(32 * 4 / 3), unpadded
}  // namespace

std::string new_token(Random& random) {
  std::array<std::uint8_t, kTokenBytes> bytes;
  random.fill(bytes);
  auto text = to_base64url(bytes);
  secure_wipe(bytes);
  return text;
}

std::vector<std::uint8_t> token_hash(std::string_view token) {
  // libsodium's SHA-256: OpenSSL 3's one-shot SHA256() looks the algorithm up in its provider
  // tables on every call, which costs more than hashing a 43-byte token.
  std::vector<std::uint8_t> hash(crypto_hash_sha256_BYTES);
  crypto_hash_sha256(hash.data(), reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return hash;
}

bool looks_like_token(std::string_view token) noexcept {
  if (token.size() != kTokenChars) return false;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string typed_token(std::string_view typed, std::size_t max_chars) {
  std::string token;
  for (char c : typed.substr(0, max_chars)) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') token += c;
  }
  return token;
}

std::string to_base64url(std::span<const std::uint8_t> bytes) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

std::optional<std::vector<std::uint8_t>> from_base64url(std::string_view text) {
  std::vector<std::uint8_t> bytes(text.size());
  std::size_t length = 0;
  if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

}  // namespace tfa::crypto
