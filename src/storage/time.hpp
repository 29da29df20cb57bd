#pragma once
// Timestamps are stored as Unix seconds in both backends.
#include <chrono>
#include <cstdint>
#include <optional>

namespace tfa::storage {

using Time = std::chrono::sys_seconds;

inline std::int64_t to_unix(Time t) { return t.time_since_epoch().count(); }
inline Time from_unix(std::int64_t s) { return Time(std::chrono::seconds(s)); }
inline std::optional<Time> from_unix(const std::optional<std::int64_t>& s) {
  return s ? std::optional<Time>(from_unix(*s)) : std::nullopt;
}
inline std::optional<std::int64_t> to_unix(const std::optional<Time>& t) {
  return t ? std::optional<std::int64_t>(to_unix(*t)) : std::nullopt;
}

}  // namespace tfa::storage
