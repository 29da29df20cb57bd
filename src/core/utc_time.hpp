#pragma once
// Times as text, always in UTC: the one place that turns a time point into calendar fields.
#include <chrono>
#include <string>

namespace tfa {

/// `at`, to the second, through strftime's `pattern` in UTC; e.g. "%Y-%m-%dT%H:%M:%SZ" gives
/// "2026-12-02T15:53:07Z". A result longer than 63 characters comes back empty.
std::string format_utc(std::chrono::sys_seconds at, const char* pattern);

/// "2026-12-02 15:53 UTC": how people read a time, in pages, mail and the command line.
inline std::string format_utc_minute(std::chrono::sys_seconds at) {
  return format_utc(at, "%Y-%m-%d %H:%M UTC");
}

/// "2026-12-02T15:53:07Z" (RFC 3339 in UTC): how programs read a time, in JSON.
inline std::string format_rfc3339(std::chrono::sys_seconds at) { return format_utc(at, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace tfa
