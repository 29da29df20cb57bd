#pragma once
// HMAC (RFC 2104) over OpenSSL.
#include <cstdint>
#include <span>

#include "crypto/digest.hpp"
#include "crypto/hash_algorithm.hpp"

namespace tfa::crypto {

/// HMAC of any message: for signing protocol messages, not for the OTP hot path
/// (see CounterHmac). Never fails for the three supported algorithms.
Digest hmac(HashAlgorithm algorithm, std::span<const std::uint8_t> key,
            std::span<const std::uint8_t> message);

}  // namespace tfa::crypto
