#pragma once
// Bearer tokens: session ids, trusted-device cookies, API tokens, e-mail tokens. The holder
// gets a random string; the database gets only its hash, so a copy of the database lets
// nobody act as a user.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"

namespace tfa::crypto {

/// 32 random bytes as unpadded base64url (43 characters): safe in cookies and URLs.
std::string new_token(Random& random);

/// SHA-256 of the token's text, the value stored and looked up.
std::vector<std::uint8_t> token_hash(std::string_view token);

/// True when `token` could be one of ours (43 base64url characters). Lets callers refuse
/// junk before touching the database.
bool looks_like_token(std::string_view token) noexcept;

}  // namespace tfa::crypto
