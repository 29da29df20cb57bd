#include "otp/secret.hpp"

namespace tfa::otp {

std::size_t recommended_secret_size(crypto::HashAlgorithm algorithm) noexcept {
  return crypto::digest_size(algorithm);
}

SecretBytes generate_secret(crypto::HashAlgorithm algorithm, Random& random) {
  SecretBytes secret(recommended_secret_size(algorithm));
  random.fill(secret.expose_mutable());
  return secret;
}

}  // namespace tfa::otp
