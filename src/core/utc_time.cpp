#include "core/utc_time.hpp"

#include <cstdio>

namespace tfa {
namespace {

struct CivilTime {
  int year;
  unsigned month, day, hour, minute, second, weekday;  // weekday: 0 is Sunday
};

CivilTime civil(std::chrono::sys_seconds at) {
  using namespace std::chrono;
  const sys_days day = floor<days>(at);
  const year_month_day date{day};
  const hh_mm_ss time{at - day};
  return {static_cast<int>(date.year()),
          static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()),
          static_cast<unsigned>(time.hours().count()),
          static_cast<unsigned>(time.minutes().count()),
          static_cast<unsigned>(time.seconds().count()),
          weekday{day}.c_encoding()};
}

template <typename... Fields>
std::string print(const char* pattern, Fields... fields) {
  char text[64];
  const int n = std::snprintf(text, sizeof text, pattern, fields...);
  return std::string(text, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace

std::string format_utc_minute(std::chrono::sys_seconds at) {
  const auto t = civil(at);
  return print("%04d-%02u-%02u %02u:%02u UTC", t.year, t.month, t.day, t.hour, t.minute);
}

std::string format_utc_second(std::chrono::sys_seconds at) {
  const auto t = civil(at);
  return print("%04d-%02u-%02u %02u:%02u:%02u UTC", t.year, t.month, t.day, t.hour, t.minute, t.second);
}

std::string format_rfc3339(std::chrono::sys_seconds at) {
  const auto t = civil(at);
  return print("%04d-%02u-%02uT%02u:%02u:%02uZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
}

std::string format_compact(std::chrono::sys_seconds at) {
  const auto t = civil(at);
  return print("%04d%02u%02uT%02u%02u%02uZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
}

std::string format_rfc5322(std::chrono::sys_seconds at) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto t = civil(at);
  return print("%s, %02u %s %04d %02u:%02u:%02u +0000", kDays[t.weekday], t.day, kMonths[t.month - 1],
               t.year, t.hour, t.minute, t.second);
}

}  // namespace tfa
