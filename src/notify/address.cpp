#include "notify/address.hpp"

#include "notify/mime_encoding.hpp"

namespace tfa::notify::detail {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string_view bare_address(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  if (open != std::string_view::npos) {
    const auto close = mailbox.find('>', open);
    if (close != std::string_view::npos) return trim(mailbox.substr(open + 1, close - open - 1));
  }
  return trim(mailbox);
}

std::string_view address_domain(std::string_view mailbox) {
  const std::string_view address = bare_address(mailbox);
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

std::string header_mailbox(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  if (open == std::string_view::npos) return std::string(trim(mailbox));
  const std::string_view name = trim(mailbox.substr(0, open));
  const std::string_view rest = mailbox.substr(open);
  if (name.empty()) return std::string(rest);
  if (is_plain_header_text(name, 900)) return std::string(name) + " " + std::string(rest);
  // A quoted name's quotes are syntax, not part of the name.
  std::string_view unquoted = name;
  if (unquoted.size() >= 2 && unquoted.front() == '"' && unquoted.back() == '"') {
    unquoted = unquoted.substr(1, unquoted.size() - 2);
  }
  return encoded_words(unquoted) + " " + std::string(rest);
}

}  // namespace tfa::notify::detail
