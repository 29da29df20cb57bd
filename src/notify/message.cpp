#include "notify/message.hpp"

#include <sodium.h>

#include "core/utc_time.hpp"
#include "notify/address.hpp"
#include "notify/mime_encoding.hpp"

namespace tfa::notify {
namespace {

constexpr std::size_t kMaxHeaderValue = 900;  // RFC 5322 allows lines of 998 bytes

bool has_control(std::string_view text, bool allow_tab) {
  for (unsigned char c : text) {
    if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) return true;
  }
  return false;
}

Result<void> check_header(std::string_view name, std::string_view value, bool allow_tab) {
  if (has_control(value, allow_tab)) {
    return fail(Errc::invalid_argument, "mail " + std::string(name) +
                                            " must not contain line breaks or control characters");
  }
  if (value.size() > kMaxHeaderValue) {
    return fail(Errc::invalid_argument, "mail " + std::string(name) + " is longer than " +
                                            std::to_string(kMaxHeaderValue) + " bytes");
  }
  return {};
}

// The delimiter starts with "=_", which cannot occur in base64 text (RFC 2045 section 6.8)
// nor in the fixed part headers, so it can never collide with a body line; the hash only
// makes it differ from message to message.
std::string boundary_for(std::string_view message_id, std::string_view date, const Message& m) {
  unsigned char digest[12];
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, sizeof digest);
  for (std::string_view part : {message_id, date, std::string_view(m.text),
                                std::string_view(m.html)}) {
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size());
  }
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string("=_tfa_") + hex;
}

void add_part(std::string& out, std::string_view boundary, std::string_view type,
              std::string_view body) {
  out += "--";
  out += boundary;
  out += "\r\nContent-Type: ";
  out += type;
  out += "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += detail::base64_lines(detail::to_crlf(body));
}

}  // namespace

Result<void> check_message(const Message& message) {
  if (detail::bare_address(message.to).empty()) {
    return fail(Errc::invalid_argument, "mail has no recipient");
  }
  TFA_CHECK(check_header("recipient", message.to, false));
  TFA_CHECK(check_header("subject", message.subject, true));
  return {};
}

std::string format_rfc5322_date(std::chrono::system_clock::time_point date) {
  return format_rfc5322(std::chrono::floor<std::chrono::seconds>(date));
}

Result<std::string> compose_rfc5322(const Message& message, std::string_view from,
                                    std::chrono::system_clock::time_point date,
                                    std::string_view message_id) {
  TFA_CHECK(check_message(message));
  if (detail::bare_address(from).empty()) {
    return fail(Errc::invalid_argument, "mail has no sender (From)");
  }
  TFA_CHECK(check_header("sender (From)", from, false));
  if (message_id.empty()) return fail(Errc::invalid_argument, "mail has no Message-ID");
  TFA_CHECK(check_header("Message-ID", message_id, false));

  const std::string id = message_id.starts_with('<') && message_id.ends_with('>')
                             ? std::string(message_id)
                             : "<" + std::string(message_id) + ">";
  const std::string date_text = format_rfc5322_date(date);
  const std::string subject = detail::is_plain_header_text(message.subject, 68)
                                  ? message.subject
                                  : detail::encoded_words(message.subject);
  const std::string boundary = boundary_for(id, date_text, message);

  std::string out;
  out.reserve(512 + (message.text.size() + message.html.size()) * 14 / 10);
  out += "Date: " + date_text + "\r\n";
  out += "From: " + detail::header_mailbox(from) + "\r\n";
  out += "To: " + detail::header_mailbox(message.to) + "\r\n";
  out += "Subject: " + subject + "\r\n";
  out += "Message-ID: " + id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  // Readers that do not know MIME show this; RFC 2046 section 5.1.1 lets it be anything.
  out += "This is a message in MIME format.\r\n";
  // Each part's base64 ends in CRLF, which is the line break that opens the next delimiter.
  add_part(out, boundary, "text/plain", message.text);
  add_part(out, boundary, "text/html", message.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace tfa::notify
