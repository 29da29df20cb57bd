#include "core/utc_time.hpp"

#include <gtest/gtest.h>

namespace tfa {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// 1234567890 is 2009-02-13 23:31:30 UTC (date -u -d @1234567890).
const sys_seconds kAt{seconds(1234567890)};

TEST(UtcTime, FormatsInUtcWhateverTheLocalZone) {
  EXPECT_EQ(format_utc_minute(kAt), "2009-02-13 23:31 UTC");
  EXPECT_EQ(format_rfc3339(kAt), "2009-02-13T23:31:30Z");
  EXPECT_EQ(format_utc(kAt, "%Y%m%dT%H%M%SZ"), "20090213T233130Z");
}

TEST(UtcTime, TheEpochAndTimesBeforeIt) {
  EXPECT_EQ(format_rfc3339(sys_seconds{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(sys_seconds{seconds(-1)}), "1969-12-31T23:59:59Z");
}

TEST(UtcTime, ATooLongResultIsEmptyRatherThanCutMidField) {
  // strftime writes nothing when the text does not fit: no partial or unterminated result.
  EXPECT_EQ(format_utc(kAt, std::string(70, 'x').c_str()), "");
}

}  // namespace
}  // namespace tfa
