#include "api/json_io.hpp"

#include <cctype>
#include <charconv>
#include <ctime>

#include <boost/beast/core/string.hpp>

#include "core/utc_time.hpp"
#include "http/security_headers.hpp"

namespace tfa::api {
namespace {

/// "application/json" or "application/json; charset=utf-8", any case; nothing else.
bool is_json(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string_view type = content_type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::beast::iequals(type, "application/json")) return false;
  if (semicolon == std::string_view::npos) return true;
  // The one parameter JSON may carry; its value may be quoted (RFC 9110, 5.6.6).
  std::string parameter(content_type.substr(semicolon + 1));
  std::erase(parameter, ' ');
  return boost::beast::iequals(parameter, "charset=utf-8") || boost::beast::iequals(parameter, "charset=\"utf-8\"");
}

http::Response wrong_type(std::string_view field, std::string_view type, const http::Request& request) {
  return error_response(400, "\"" + std::string(field) + "\" must be " + std::string(type) + ".", request);
}

/// A JSON string, escaped as Boost.JSON's serializer escapes it: '"', '\\' and control
/// characters; other bytes, UTF-8 included, as they are.
void write_string(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the bytes not yet copied, none of which needs escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0x0f];
    }
  }
  out.append(text, plain, text.size() - plain);
  out += '"';
}

/// JSON with a space after every ':' and ',', the way seed 002 prints its error body, so that
/// the 401 body is the seed's byte for byte and every other body looks the same. Written
/// straight into `out`: a response body costs no allocation per value.
void write_spaced(const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out += ", ";
        first = false;
        write_string(member.key(), out);
        out += ": ";
        write_spaced(member.value(), out);
      }
      out += '}';
      break;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out += ", ";
        first = false;
        write_spaced(element, out);
      }
      out += ']';
      break;
    }
    case json::kind::string:
      write_string(value.get_string(), out);
      break;
    case json::kind::int64: {
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof digits, value.get_int64()).ptr;
      out.append(digits, end);
      break;
    }
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      break;
    case json::kind::null:
      out += "null";
      break;
    default:  // uint64 and double, which tfa does not send: Boost.JSON's own text
      out += json::serialize(value);
  }
}

}  // namespace

std::string_view status_title(unsigned status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
  }
}

http::Response json_response(unsigned status, const json::value& body, const http::Request& request) {
  http::Response response{static_cast<http::bhttp::status>(status), request.version()};
  response.set(http::bhttp::field::content_type, "application/json");
  write_spaced(body, response.body());
  http::add_security_headers(response);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

http::Response no_content(const http::Request& request) {
  http::Response response{http::bhttp::status::no_content, request.version()};
  http::add_security_headers(response);
  response.keep_alive(request.keep_alive());
  return response;
}

http::Response error_response(unsigned status, std::string_view message, const http::Request& request) {
  // Member order as in seed 002: message, code, identity, title.
  json::object error;
  error["message"] = message;
  error["code"] = status;
  if (status == 401) error["identity"] = nullptr;
  error["title"] = status_title(status);
  auto response = json_response(status, json::object{{"error", std::move(error)}}, request);
  if (status == 401) response.set(http::bhttp::field::www_authenticate, "Bearer realm=\"tfa\"");
  return response;
}

http::Response throttled_response(std::chrono::seconds retry_after, const http::Request& request) {
  const auto seconds = std::max<std::int64_t>(1, retry_after.count());
  auto response = error_response(
      429, "Too many attempts. Try again in " + std::to_string(seconds) + " seconds.", request);
  response.set(http::bhttp::field::retry_after, std::to_string(seconds));
  return response;
}

tl::expected<json::object, http::Response> read_object(const http::Request& request) {
  if (!is_json(request[http::bhttp::field::content_type])) {
    return tl::unexpected(error_response(415, "The request body must be JSON (Content-Type: application/json).", request));
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body(), ec);
  if (ec) return tl::unexpected(error_response(400, "The request body is not valid JSON.", request));
  if (!parsed.is_object()) return tl::unexpected(error_response(400, "The request body must be a JSON object.", request));
  return std::move(parsed.as_object());
}

tl::expected<std::string, http::Response> required_string(const json::object& body, std::string_view field,
                                                          const http::Request& request) {
  const auto* value = body.if_contains(field);
  if (value == nullptr) return tl::unexpected(error_response(400, "\"" + std::string(field) + "\" is required.", request));
  if (!value->is_string()) return tl::unexpected(wrong_type(field, "a string", request));
  return std::string(value->as_string());
}

tl::expected<std::optional<std::string>, http::Response> optional_string(const json::object& body,
                                                                         std::string_view field,
                                                                         const http::Request& request) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return tl::unexpected(wrong_type(field, "a string", request));
  return std::optional<std::string>(std::string(value->as_string()));
}

tl::expected<std::int64_t, http::Response> required_integer(const json::object& body, std::string_view field,
                                                            const http::Request& request) {
  const auto* value = body.if_contains(field);
  if (value == nullptr) return tl::unexpected(error_response(400, "\"" + std::string(field) + "\" is required.", request));
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  return tl::unexpected(wrong_type(field, "an integer", request));
}

std::string format_time(std::chrono::sys_seconds time) { return format_rfc3339(time); }

namespace {

bool two_digits(std::string_view text, int max, int& value) {
  if (text.size() != 2 || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1]))) {
    return false;
  }
  value = (text[0] - '0') * 10 + (text[1] - '0');
  return value <= max;
}

/// The offset from UTC at the end of an RFC 3339 date-time: "Z" (either case) or "+HH:MM" /
/// "-HH:MM"; nullopt for anything else.
std::optional<std::chrono::seconds> utc_offset(std::string_view text) {
  if (text == "Z" || text == "z") return std::chrono::seconds(0);
  int hours = 0;
  int minutes = 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':' ||
      !two_digits(text.substr(1, 2), 23, hours) || !two_digits(text.substr(4, 2), 59, minutes)) {
    return std::nullopt;
  }
  const std::chrono::seconds offset = std::chrono::hours(hours) + std::chrono::minutes(minutes);
  return text[0] == '-' ? -offset : offset;
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_time(std::string_view text) {
  // "YYYY-MM-DDTHH:MM:SS", then an optional fraction, then the offset (RFC 3339, 5.6).
  constexpr std::size_t kDateTime = 19;
  if (text.size() <= kDateTime) return std::nullopt;
  std::string date_time(text.substr(0, kDateTime));
  if (date_time[10] == 't') date_time[10] = 'T';
  // strptime needs a NUL-terminated string; libstdc++ 12 has no std::chrono::parse.
  std::tm parts{};
  const char* end = strptime(date_time.c_str(), "%Y-%m-%dT%H:%M:%S", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const auto local = std::chrono::sys_seconds(std::chrono::seconds(timegm(&parts)));
  // strptime takes "2026-02-30" and single digits; the round trip does not.
  if (format_time(local).substr(0, kDateTime) != date_time) return std::nullopt;
  std::string_view rest = text.substr(kDateTime);
  if (rest.front() == '.') {  // a fraction of a second, dropped: times here are whole seconds
    std::size_t digits = 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == 1) return std::nullopt;
    rest.remove_prefix(digits);
  }
  const auto offset = utc_offset(rest);
  if (!offset) return std::nullopt;
  return local - *offset;
}

json::value time_or_null(const std::optional<std::chrono::sys_seconds>& time) {
  if (!time) return nullptr;
  return json::string(format_time(*time));
}

}  // namespace tfa::api
