#pragma once
// Cookies (RFC 6265): reading the Cookie header and writing Set-Cookie values.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace tfa::http {

/// name -> value of the cookies in one Cookie header value ("a=1; b=2"). Tolerant, because the
/// header is client input: pairs without '=', with a name that is not a token or with a value
/// that is not cookie-octets are skipped; a value in double quotes is unquoted. When a name
/// appears twice the first value wins (browsers send the most specific path first).
std::map<std::string, std::string> parse_cookies(std::string_view header);

/// The same for every Cookie header of `request` together, in order.
std::map<std::string, std::string> parse_cookies(const Request& request);

struct SetCookieOptions {
  std::string path = "/";
  /// Lifetime; nullopt makes a session cookie, zero (or less) expires the cookie now.
  std::optional<std::chrono::seconds> max_age = {};
  bool http_only = true;
  /// Set it when the client came over https (ClientInfo::tls); a Secure cookie sent over plain
  /// http would be dropped by the browser.
  bool secure = false;
  /// "Strict", "Lax", "None" (needs secure) or "" to leave the attribute out.
  std::string same_site = "Lax";
};

/// A Set-Cookie header value: "name=value; Path=/; Max-Age=600; HttpOnly; SameSite=Lax".
/// The value is written as is, so it must consist of cookie-octets (printable ASCII without
/// space, '"', ',', ';' and '\'); an empty value is allowed. Throws std::invalid_argument for a
/// name that is not a token, such a value, a path with ';' or control characters, or an
/// unknown same_site: these come from the server's code, never from a client.
std::string set_cookie(const std::string& name, const std::string& value,
                       const SetCookieOptions& options = {});

/// RFC 7230 token characters only, and not empty.
bool is_token(std::string_view text);

/// RFC 6265 cookie-octets only (empty is fine).
bool is_cookie_value(std::string_view text);

}  // namespace tfa::http
