#include "auth/account_rules.hpp"

#include <string>

#include "core/utf8.hpp"

namespace tfa::auth {
namespace {

bool is_name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '@' || c == '+';
}

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

Result<void> check_user_name(std::string_view name) {
  if (name.empty()) return fail(Errc::invalid_argument, "the user name is empty");
  if (name.size() > kMaxNameLength) {
    return fail(Errc::invalid_argument, "the user name is longer than 64 characters");
  }
  for (char c : name) {
    if (!is_name_character(c)) {
      return fail(Errc::invalid_argument,
                  "the user name may contain only letters, digits and . _ - @ +");
    }
  }
  return {};
}

Result<void> check_email(std::string_view email) {
  const auto at = email.find('@');
  const bool shaped = at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
                      email.find('@', at + 1) == std::string_view::npos;
  if (!shaped || email.size() > kMaxEmailLength) {
    return fail(Errc::invalid_argument, "'" + core::valid_utf8_prefix(email, 100) +
                                            "' is not an e-mail address");
  }
  // Quotes, backslashes, comments in parentheses and a final dot would give one mailbox many
  // spellings, each with a mail limit of its own; an address that is not UTF-8 could not be
  // stored (PostgreSQL).
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' ||
        c == '"' || c == '\\' || c == '(' || c == ')') {
      return fail(Errc::invalid_argument, "the e-mail address contains a space or a character "
                                          "that is not allowed");
    }
  }
  if (email.back() == '.' || !core::is_valid_utf8(email)) {
    return fail(Errc::invalid_argument, "'" + core::valid_utf8_prefix(email, 100) + "' is not an e-mail address");
  }
  return {};
}

Result<void> check_password(std::string_view password, std::size_t min_length) {
  if (code_points(password) < min_length) {
    return fail(Errc::invalid_argument,
                "the password must have at least " + std::to_string(min_length) + " characters");
  }
  if (password.size() > kMaxPasswordBytes) {
    return fail(Errc::invalid_argument, "the password is longer than 1024 bytes");
  }
  return {};
}

}  // namespace tfa::auth
