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
  char text[sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
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

}  // namespace tfa::crypto
