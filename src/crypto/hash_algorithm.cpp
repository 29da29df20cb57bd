#include "crypto/hash_algorithm.hpp"

#include <string>

namespace tfa::crypto {

std::string_view to_string(HashAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case HashAlgorithm::sha1: return "SHA1";
    case HashAlgorithm::sha256: return "SHA256";
    case HashAlgorithm::sha512: return "SHA512";
  }
  return "SHA1";
}

Result<HashAlgorithm> parse_hash_algorithm(std::string_view name) {
  std::string canonical;
  for (char c : name) {
    if (c == '-') continue;
    canonical.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  if (canonical == "SHA1") return HashAlgorithm::sha1;
  if (canonical == "SHA256") return HashAlgorithm::sha256;
  if (canonical == "SHA512") return HashAlgorithm::sha512;
  return fail(Errc::invalid_argument,
              "unknown algorithm '" + std::string(name) + "' (expected SHA1, SHA256 or SHA512)");
}

std::size_t digest_size(HashAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case HashAlgorithm::sha1: return 20;
    case HashAlgorithm::sha256: return 32;
    case HashAlgorithm::sha512: return 64;
  }
  return 20;
}

}  // namespace tfa::crypto
