#pragma once
// Fresh OTP secrets.
#include <cstddef>

#include "core/random.hpp"
#include "core/secret_bytes.hpp"
#include "crypto/hash_algorithm.hpp"

namespace tfa::otp {

/// The secret length RFC 4226 §4 / RFC 6238 §5.1 recommend: as long as the hash output,
/// so 20 bytes for SHA-1, 32 for SHA-256 and 64 for SHA-512.
std::size_t recommended_secret_size(crypto::HashAlgorithm algorithm) noexcept;

/// A new secret of the recommended size for `algorithm`, drawn from `random`.
SecretBytes generate_secret(crypto::HashAlgorithm algorithm, Random& random);

}  // namespace tfa::otp
