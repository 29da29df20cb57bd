#pragma once
// JSON in and out for the API: the error body every failure has, responses, and reading a
// request body into an object with typed fields. Bad input is always a 4xx with a message
// that says what was wrong; it never reaches a handler's logic.
#include <chrono>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "core/result.hpp"
#include "http/types.hpp"

namespace tfa::api {

namespace json = boost::json;

/// Seed 002, word for word: the answer when the second factor is missing or wrong.
inline constexpr std::string_view kSecondFactorRequired = "Additional authentications steps required.";

/// "Unauthorized", "Too Many Requests", ...: the title for a status.
std::string_view status_title(unsigned status);

/// {"error": {"message", "code", "title"}} with the status, and for 401s also "identity": null
/// (seed 002's shape). A 401 carries WWW-Authenticate: Bearer.
http::Response error_response(unsigned status, std::string_view message, const http::Request& request);
/// 429 with Retry-After.
http::Response throttled_response(std::chrono::seconds retry_after, const http::Request& request);
/// A JSON body (application/json) with the security headers; 204 sends no body.
http::Response json_response(unsigned status, const json::value& body, const http::Request& request);
http::Response no_content(const http::Request& request);

/// A request's body, checked: Content-Type application/json (else 415), a JSON object (else
/// 400). The error is the response to send.
tl::expected<json::object, http::Response> read_object(const http::Request& request);

/// Field access with the type checked; a wrong type is a 400 response naming the field.
/// `required_string` also refuses a missing field; an empty string is a value like any other.
tl::expected<std::string, http::Response> required_string(const json::object& body, std::string_view field,
                                                          const http::Request& request);
tl::expected<std::optional<std::string>, http::Response> optional_string(const json::object& body,
                                                                         std::string_view field,
                                                                         const http::Request& request);
tl::expected<std::int64_t, http::Response> required_integer(const json::object& body, std::string_view field,
                                                            const http::Request& request);

/// RFC 3339 in UTC, "2026-12-01T22:00:00Z".
std::string format_time(std::chrono::sys_seconds time);
/// An RFC 3339 date-time: that form, or with a fraction of a second (dropped), a "+HH:MM" or
/// "-HH:MM" offset, a lower-case "t" or "z"; nullopt otherwise.
std::optional<std::chrono::sys_seconds> parse_time(std::string_view text);
/// null for nullopt, else format_time.
json::value time_or_null(const std::optional<std::chrono::sys_seconds>& time);

}  // namespace tfa::api
