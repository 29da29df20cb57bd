#pragma once
// The access log: one line per request, written after the response. It names the path only,
// never the query string (it may carry a token), headers, cookies or bodies.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace tfa::http {

struct AccessRecord {
  std::string_view client = {};      // ClientInfo::address
  std::string_view method = {};      // "GET"; "-" when the request could not be parsed
  std::string_view target = {};      // the request target; only its path is logged
  unsigned status = 0;
  std::size_t bytes = 0;        // bytes written for the response, header and body
  std::chrono::steady_clock::duration duration{};  // from the request's arrival to the end of the write
  std::string_view user_agent = {};
};

/// `127.0.0.1 "GET /login" 200 1234 3.2ms "Mozilla/5.0 ..."`. The path is cut at '?' and at
/// 1000 bytes, the user agent at 200; control characters are dropped and '"' and '\' escaped,
/// so a client cannot forge a line or a field.
std::string format_access_line(const AccessRecord& record);

/// Writes format_access_line() at info level to spdlog's default logger.
void log_access(const AccessRecord& record);

}  // namespace tfa::http
