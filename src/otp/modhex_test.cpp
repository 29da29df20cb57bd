#include "otp/modhex.hpp"

#include <gtest/gtest.h>

namespace tfa::otp {
namespace {

TEST(Modhex, EncodesEachNibbleWithItsLetter) {
  const std::vector<std::uint8_t> bytes{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  EXPECT_EQ(modhex_encode(bytes), "cbdefghijklnrtuv");
}

TEST(Modhex, DecodesEitherCase) {
  auto lower = modhex_decode("cbdefghijklnrtuv");
  auto upper = modhex_decode("CBDEFGHIJKLNRTUV");
  ASSERT_TRUE(lower && upper);
  EXPECT_EQ(*lower, *upper);
  EXPECT_EQ(modhex_encode(*lower), "cbdefghijklnrtuv");
}

TEST(Modhex, RefusesOddLengthsAndOtherLetters) {
  EXPECT_FALSE(modhex_decode("cbd"));
  EXPECT_FALSE(modhex_decode("ca"));  // 'a' is not modhex
  EXPECT_FALSE(modhex_decode("c1"));
  EXPECT_FALSE(is_modhex("cbd"));
  EXPECT_FALSE(is_modhex("vvccccxx"));
  EXPECT_TRUE(is_modhex(""));
  EXPECT_TRUE(is_modhex("vvcc"));
}

}  // namespace
}  // namespace tfa::otp
