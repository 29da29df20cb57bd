#include "crypto/os_random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace tfa::crypto {
namespace {

// Not a statistical test: it catches a source that returns zeros or repeats itself.
TEST(OsRandom, FillsWithBytesThatDifferBetweenCalls) {
  OsRandom random;
  std::set<std::array<std::uint8_t, 32>> seen;
  for (int i = 0; i < 100; ++i) {
    std::array<std::uint8_t, 32> buffer{};
    random.fill(buffer);
    EXPECT_TRUE(seen.insert(buffer).second) << "repeated output";
  }
  std::array<std::uint8_t, 32> zeros{};
  EXPECT_EQ(seen.count(zeros), 0u);
}

TEST(OsRandom, AcceptsAnEmptyBuffer) {
  OsRandom random;
  random.fill({});
}

}  // namespace
}  // namespace tfa::crypto
