#pragma once
// The MIME encodings compose_rfc5322() uses. Internal to tfa_notify.
#include <string>
#include <string_view>

namespace tfa::notify::detail {

/// Base64 (RFC 4648 section 4, with padding) in lines of at most 76 characters, each ending
/// in CRLF (RFC 2045 section 6.8). "" gives "".
std::string base64_lines(std::string_view bytes);

/// `text` with every line break (CRLF, LF or a lone CR) written as CRLF.
std::string to_crlf(std::string_view text);

/// True when `text` can stand in a header as it is: printable ASCII and tabs only, no "=?"
/// (which a reader could take for an encoded-word), and at most `max` bytes.
bool is_plain_header_text(std::string_view text, std::size_t max);

/// RFC 2047 "=?UTF-8?B?...?=" encoded-words for `text`, folded with CRLF SP between them.
/// Each word is at most 64 characters and holds whole UTF-8 sequences, so a header line
/// stays under 78 characters and no reader has to join a character split across words.
std::string encoded_words(std::string_view text);

}  // namespace tfa::notify::detail
