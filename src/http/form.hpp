#pragma once
// application/x-www-form-urlencoded: the bodies of HTML form posts and the query strings of
// GET targets. Decoding is Boost.URL's; the limits here keep a hostile request cheap.
#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tfa::http {

using FormFields = std::map<std::string, std::string>;

/// At most this many fields in one form or query.
inline constexpr std::size_t kMaxFormFields = 64;

/// Decodes "a=1&b=x+y%21" into {a: "1", b: "x y!"}. '+' is a space; a field without '=' has
/// an empty value; empty pieces ("a=1&&b=2", a trailing '&') are skipped, and so are fields
/// with an empty name. Fails with Errc::invalid_argument for a character a form never
/// contains unescaped (space, '"', '<', ...), bad percent-encoding ("%G1", "%2"), a decoded
/// NUL byte, a name given twice, or more than kMaxFormFields fields. Values are not checked
/// for UTF-8.
Result<FormFields> parse_form(std::string_view body);

/// The path of a request target: "/login?next=/x" -> "/login". The fragment, which clients
/// never send, is not treated specially.
std::string_view query_path(std::string_view target);

/// The query of a request target, decoded like parse_form(); no '?' gives no fields.
Result<FormFields> parse_target_query(std::string_view target);

}  // namespace tfa::http
