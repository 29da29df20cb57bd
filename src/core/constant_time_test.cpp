#include "core/constant_time.hpp"

#include <gtest/gtest.h>

#include <array>

namespace tfa {
namespace {

TEST(ConstantTime, EqualStringsCompareEqual) {
  EXPECT_TRUE(constant_time_equal(std::string_view("123456"), std::string_view("123456")));
  EXPECT_TRUE(constant_time_equal(std::string_view(""), std::string_view("")));
}

TEST(ConstantTime, AnyDifferingByteMakesThemUnequal) {
  const std::string base = "12345678";
  for (std::size_t i = 0; i < base.size(); ++i) {
    std::string changed = base;
    changed[i] = 'x';
    EXPECT_FALSE(constant_time_equal(std::string_view(base), std::string_view(changed))) << i;
  }
}

TEST(ConstantTime, DifferentLengthsAreUnequal) {
  EXPECT_FALSE(constant_time_equal(std::string_view("12345"), std::string_view("123456")));
  std::array<std::uint8_t, 2> a = {1, 2};
  std::array<std::uint8_t, 3> b = {1, 2, 3};
  EXPECT_FALSE(constant_time_equal(std::span<const std::uint8_t>(a), std::span<const std::uint8_t>(b)));
}

TEST(ConstantTime, SecureWipeZeroes) {
  std::array<std::uint8_t, 8> bytes = {1, 2, 3, 4, 5, 6, 7, 8};
  secure_wipe(bytes);
  for (auto b : bytes) EXPECT_EQ(b, 0);
}

}  // namespace
}  // namespace tfa
