#pragma once
// The Yubico validation protocol, version 2.0, as both ends speak it: a GET of
// /wsapi/2.0/verify?id=..&otp=..&nonce=..&h=.. answered by "key=value" lines. Both the request
// and the answer are signed with HMAC-SHA1 under the client's API key, over the other
// parameters sorted by name and joined as "a=1&b=2", and carried base64 in `h`.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace tfa::yubico {

using Parameters = std::map<std::string, std::string>;

/// The statuses of the protocol that tfa uses.
namespace status {
inline constexpr std::string_view ok = "OK";
inline constexpr std::string_view bad_otp = "BAD_OTP";
inline constexpr std::string_view replayed_otp = "REPLAYED_OTP";
inline constexpr std::string_view bad_signature = "BAD_SIGNATURE";
inline constexpr std::string_view missing_parameter = "MISSING_PARAMETER";
inline constexpr std::string_view no_such_client = "NO_SUCH_CLIENT";
inline constexpr std::string_view operation_not_allowed = "OPERATION_NOT_ALLOWED";
inline constexpr std::string_view backend_error = "BACKEND_ERROR";
}  // namespace status

/// "a=1&b=2": every parameter but `h`, sorted by name, values as they are (not URL-encoded).
std::string signed_text(const Parameters& parameters);
/// base64 of HMAC-SHA1(key, signed_text(parameters)).
std::string signature(const Parameters& parameters, std::span<const std::uint8_t> key);
/// True when `parameters` carry an `h` that is their signature under `key`. Constant time.
bool signature_ok(const Parameters& parameters, std::span<const std::uint8_t> key);

/// Standard base64, for API keys as operators are given them.
std::string base64_encode(std::span<const std::uint8_t> bytes);
/// The bytes, or an empty vector when `text` is not standard base64.
std::vector<std::uint8_t> base64_decode(std::string_view text);

/// An answer body: "h=..\r\nt=..\r\n.." with `h` first when present and the rest sorted.
std::string format_answer(const Parameters& parameters);
/// The parameters of an answer body, or nullopt when it cannot be one that its signature
/// covers unambiguously: a line without '=', a name given twice, or a value other than `h`
/// holding '&' or '=' (the signed text joins "name=value" with '&', so such a value could
/// make one set of lines sign like another). The value of `h` is everything after its first
/// '=' (base64 ends in '=').
std::optional<Parameters> parse_answer(std::string_view body);

/// True when `name=value` can be part of a signed text without ambiguity: a name of letters,
/// a value without '&', '=', CR, LF or NUL.
bool safe_parameter(std::string_view name, std::string_view value) noexcept;

/// The protocol's timestamp: "2026-12-02T06:30:00Z0123" (UTC, then milliseconds).
std::string protocol_time(std::chrono::system_clock::time_point at);

/// A nonce as the protocol wants it: 16 to 40 letters and digits.
bool valid_nonce(std::string_view nonce) noexcept;

}  // namespace tfa::yubico
