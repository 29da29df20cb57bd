#include "core/utc_time.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace tfa {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// 1234567890 is Friday 2009-02-13 23:31:30 UTC (date -u -d @1234567890).
const sys_seconds kAt{seconds(1234567890)};

TEST(UtcTime, EachFormatOfOneMoment) {
  EXPECT_EQ(format_utc_minute(kAt), "2009-02-13 23:31 UTC");
  EXPECT_EQ(format_utc_second(kAt), "2009-02-13 23:31:30 UTC");
  EXPECT_EQ(format_rfc3339(kAt), "2009-02-13T23:31:30Z");
  EXPECT_EQ(format_compact(kAt), "20090213T233130Z");
  EXPECT_EQ(format_rfc5322(kAt), "Fri, 13 Feb 2009 23:31:30 +0000");
}

// In UTC+14 (a POSIX zone, so no time-zone database is needed) 23:31 UTC is already the
// next day. A formatter that used the local zone would print the 14th.
TEST(UtcTime, TheLocalTimeZoneChangesNothing) {
  const char* old = std::getenv("TZ");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  setenv("TZ", "KIR-14", 1);
  tzset();
  const std::time_t t = 1234567890;
  std::tm local{};
  localtime_r(&t, &local);
  const std::string text = format_rfc3339(kAt);
  const std::string mail = format_rfc5322(kAt);
  if (saved) setenv("TZ", saved->c_str(), 1); else unsetenv("TZ");
  tzset();
  EXPECT_EQ(local.tm_mday, 14) << "the zone took effect";
  EXPECT_EQ(text, "2009-02-13T23:31:30Z");
  EXPECT_EQ(mail, "Fri, 13 Feb 2009 23:31:30 +0000");
}

TEST(UtcTime, TheEpochLeapDaysAndTimesBeforeTheEpoch) {
  EXPECT_EQ(format_rfc3339(sys_seconds{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc5322(sys_seconds{}), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(format_rfc3339(sys_seconds{seconds(-1)}), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(sys_seconds{seconds(951782400)}), "2000-02-29T00:00:00Z");
  EXPECT_EQ(format_rfc5322(sys_seconds{seconds(951782400)}), "Tue, 29 Feb 2000 00:00:00 +0000");
}

}  // namespace
}  // namespace tfa
