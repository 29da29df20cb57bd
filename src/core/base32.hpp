#pragma once
// Base32 (RFC 4648 §6), the alphabet authenticator apps use for TOTP secrets.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"

namespace tfa {

/// Upper-case Base32 without '=' padding, as the Key URI format asks for.
std::string base32_encode(std::span<const std::uint8_t> bytes);

/// Decodes a secret as a person may have typed it: lower case, spaces, tabs and hyphens are
/// ignored and '=' padding is optional. Anything else fails with invalid_argument and a message
/// naming the first bad character and its 1-based position in `text`, e.g.
/// "invalid character '1' at position 5 (Base32 uses A-Z and 2-7)". A length that cannot come
/// from encoding whole bytes (1, 3 or 6 characters in the last group) and an empty secret fail too.
Result<SecretBytes> base32_decode(std::string_view text);

}  // namespace tfa
