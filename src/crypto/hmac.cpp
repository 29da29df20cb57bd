#include "crypto/hmac.hpp"

#include <cstdlib>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tfa::crypto {
namespace {

const EVP_MD* evp_md(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::sha1: return EVP_sha1();
    case HashAlgorithm::sha256: return EVP_sha256();
    case HashAlgorithm::sha512: return EVP_sha512();
  }
  return EVP_sha1();
}

}  // namespace

Digest hmac(HashAlgorithm algorithm, std::span<const std::uint8_t> key,
            std::span<const std::uint8_t> message) {
  Digest out;
  unsigned int length = 0;
  static const std::uint8_t kEmpty = 0;
  if (HMAC(evp_md(algorithm), key.empty() ? &kEmpty : key.data(), static_cast<int>(key.size()),
           message.empty() ? &kEmpty : message.data(), message.size(), out.bytes.data(),
           &length) == nullptr) {
    std::abort();  // only possible on memory exhaustion inside OpenSSL
  }
  out.size = length;
  return out;
}

}  // namespace tfa::crypto
