#pragma once
// The hash functions an OTP may be built on (RFC 6238 §1.2 allows SHA-1, SHA-256, SHA-512).
#include <cstddef>
#include <string_view>

#include "core/result.hpp"

namespace tfa::crypto {

enum class HashAlgorithm { sha1, sha256, sha512 };

/// "SHA1", "SHA256" or "SHA512": the spelling of the Key URI format and of `--algorithm`.
std::string_view to_string(HashAlgorithm algorithm) noexcept;

/// Accepts SHA1, SHA256, SHA512 in any case, with or without a hyphen ("sha-256").
/// Anything else fails with a message listing the accepted names; there is no silent fallback.
Result<HashAlgorithm> parse_hash_algorithm(std::string_view name);

/// Digest length in bytes: 20, 32 or 64.
std::size_t digest_size(HashAlgorithm algorithm) noexcept;

}  // namespace tfa::crypto
