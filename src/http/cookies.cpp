#include "http/cookies.hpp"

#include <stdexcept>

namespace tfa::http {
namespace {

bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E (RFC 6265 section 4.1.1).
bool is_cookie_octet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void parse_into(std::string_view header, std::map<std::string, std::string>& out) {
  while (!header.empty()) {
    const auto end = header.find(';');
    const std::string_view pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = trim(pair.substr(0, eq));
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!is_token(name) || !is_cookie_value(value)) continue;
    out.try_emplace(std::string(name), value);
  }
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

bool is_cookie_value(std::string_view text) {
  for (unsigned char c : text) {
    if (!is_cookie_octet(c)) return false;
  }
  return true;
}

std::map<std::string, std::string> parse_cookies(std::string_view header) {
  std::map<std::string, std::string> cookies;
  parse_into(header, cookies);
  return cookies;
}

std::map<std::string, std::string> parse_cookies(const Request& request) {
  std::map<std::string, std::string> cookies;
  const auto [first, end] = request.equal_range(bhttp::field::cookie);
  for (auto field = first; field != end; ++field) parse_into(field->value(), cookies);
  return cookies;
}

std::string set_cookie(const std::string& name, const std::string& value,
                       const SetCookieOptions& options) {
  if (!is_token(name)) throw std::invalid_argument("set_cookie: the name is not a token");
  if (!is_cookie_value(value)) {
    throw std::invalid_argument("set_cookie: the value of " + name + " is not cookie-octets");
  }
  for (unsigned char c : options.path) {
    if (c < 0x20 || c == 0x7f || c == ';') {
      throw std::invalid_argument("set_cookie: the path of " + name + " has ';' or a control");
    }
  }
  const std::string& same_site = options.same_site;
  if (!same_site.empty() && same_site != "Strict" && same_site != "Lax" && same_site != "None") {
    throw std::invalid_argument("set_cookie: unknown SameSite value for " + name);
  }
  if (same_site == "None" && !options.secure) {
    // Browsers drop SameSite=None cookies without Secure.
    throw std::invalid_argument("set_cookie: SameSite=None needs secure for " + name);
  }

  std::string out = name + "=" + value;
  if (!options.path.empty()) out += "; Path=" + options.path;
  if (options.max_age) {
    const auto seconds = options.max_age->count();
    out += "; Max-Age=" + std::to_string(seconds < 0 ? 0 : seconds);
  }
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  if (!same_site.empty()) out += "; SameSite=" + same_site;
  return out;
}

}  // namespace tfa::http
