#pragma once
// A mail as tfa sends it, and its RFC 5322 form. Pure: the date and Message-ID are parameters,
// so the same inputs always give the same bytes.
#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tfa::notify {

/// One mail to one recipient. All text is UTF-8. `html` is sent as it is: the caller has
/// already escaped whatever it put into it.
struct Message {
  std::string to;       // "alice@example.com" or "Alice <alice@example.com>"
  std::string subject;
  std::string text;     // the text/plain alternative
  std::string html;     // the text/html alternative
};

/// Refuses (Errc::invalid_argument) what cannot become a safe header: an empty `to`, or a
/// `to` or subject with CR, LF or another control character (header injection), or longer
/// than 900 bytes. Tabs are allowed in the subject.
Result<void> check_message(const Message& message);

/// "Tue, 01 Dec 2026 19:02:12 +0000" (RFC 5322 section 3.3, always UTC, English names).
std::string format_rfc5322_date(std::chrono::system_clock::time_point date);

/// The whole message, CRLF line endings, ready for SMTP DATA or a .eml file: Date, From, To,
/// Subject (an RFC 2047 "=?UTF-8?B?...?=" encoded-word when it is not short printable ASCII),
/// Message-ID (`message_id` in angle brackets, which it may already carry), MIME-Version and a
/// multipart/alternative body with a text/plain and a text/html part, both UTF-8 and base64
/// in lines of 76 characters. Line breaks in the bodies become CRLF before encoding (RFC 2045
/// section 6.8). Errors: Errc::invalid_argument for what check_message() refuses, and for a
/// `from` or `message_id` that is empty or holds control characters.
Result<std::string> compose_rfc5322(const Message& message, std::string_view from,
                                    std::chrono::system_clock::time_point date,
                                    std::string_view message_id);

}  // namespace tfa::notify
