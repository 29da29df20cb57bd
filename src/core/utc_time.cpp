#include "core/utc_time.hpp"

#include <ctime>

namespace tfa {

std::string format_utc(std::chrono::sys_seconds at, const char* pattern) {
  const std::time_t t = at.time_since_epoch().count();
  std::tm parts{};
  gmtime_r(&t, &parts);  // thread-safe, unlike gmtime
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, pattern, &parts);
  return std::string(text, n);
}

}  // namespace tfa
