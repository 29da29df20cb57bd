#pragma once
// Bearer tokens: session ids, trusted-device cookies, API tokens, e-mail tokens. The holder
// gets a random string; the database gets only its hash, so a copy of the database lets
// nobody act as a user.
#include <cstdint>
#include <optional>
#include <span>
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

/// A token as a person pasted it, with the spaces, tabs and line breaks that mail programs
/// and copying add removed. Reads at most `max_chars` of `typed`.
std::string typed_token(std::string_view typed, std::size_t max_chars = 4096);

/// Unpadded base64url, the alphabet of every token and link tfa hands out.
std::string to_base64url(std::span<const std::uint8_t> bytes);
/// The bytes of unpadded base64url text; nullopt for anything else.
std::optional<std::vector<std::uint8_t>> from_base64url(std::string_view text);

}  // namespace tfa::crypto
