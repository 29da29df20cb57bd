#pragma once
// Times as text, always in UTC, computed from std::chrono's civil calendar: no time-zone
// database, no locale and no C library state, so the text is the same on every machine.
#include <chrono>
#include <string>

namespace tfa {

/// "2026-12-02 15:53 UTC": how people read a time, in pages, mail and the command line.
std::string format_utc_minute(std::chrono::sys_seconds at);
/// "2026-12-02 15:53:07 UTC": the same to the second.
std::string format_utc_second(std::chrono::sys_seconds at);
/// "2026-12-02T15:53:07Z" (RFC 3339 in UTC): how programs read a time, in JSON.
std::string format_rfc3339(std::chrono::sys_seconds at);
/// "20261202T155307Z": sorts by time and holds no ':', for file names.
std::string format_compact(std::chrono::sys_seconds at);
/// "Wed, 02 Dec 2026 15:53:07 +0000": the Date header of mail (RFC 5322 §3.3), in English
/// whatever the locale, as the RFC requires.
std::string format_rfc5322(std::chrono::sys_seconds at);

}  // namespace tfa
