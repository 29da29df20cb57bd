#pragma once
// UTF-8 checks for text that arrives from outside (headers, form fields) and ends up in the
// database, in mail or on pages. PostgreSQL refuses TEXT that is not valid UTF-8, so such
// text is made valid, and cut on a character boundary, before it is stored.
#include <cstddef>
#include <string>
#include <string_view>

namespace tfa::core {

/// The length of the UTF-8 sequence that starts `text`, or 0 when it is not valid UTF-8
/// (a stray continuation byte, a truncated or overlong sequence, a surrogate, above U+10FFFF)
/// or `text` is empty.
std::size_t utf8_sequence(std::string_view text);

/// True when all of `text` is valid UTF-8.
bool is_valid_utf8(std::string_view text);

/// `text` with every byte that does not start a valid sequence replaced by U+FFFD, cut before
/// the first character that would take it past `max_bytes`.
std::string valid_utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace tfa::core
