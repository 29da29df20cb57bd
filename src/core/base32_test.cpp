#include "core/base32.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tfa {
namespace {

std::string decode_to_string(std::string_view text) {
  auto bytes = base32_decode(text);
  EXPECT_TRUE(bytes.has_value()) << text << ": " << (bytes ? "" : bytes.error().message);
  if (!bytes) return {};
  auto view = bytes->expose();
  return {view.begin(), view.end()};
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// RFC 4648 §10 test vectors (encoding without padding, as tfa emits).
TEST(Base32, EncodesRfc4648Vectors) {
  EXPECT_EQ(base32_encode(as_bytes("f")), "MY");
  EXPECT_EQ(base32_encode(as_bytes("fo")), "MZXQ");
  EXPECT_EQ(base32_encode(as_bytes("foo")), "MZXW6");
  EXPECT_EQ(base32_encode(as_bytes("foob")), "MZXW6YQ");
  EXPECT_EQ(base32_encode(as_bytes("fooba")), "MZXW6YTB");
  EXPECT_EQ(base32_encode(as_bytes("foobar")), "MZXW6YTBOI");
  EXPECT_EQ(base32_encode(as_bytes("")), "");
}

TEST(Base32, DecodesRfc4648VectorsWithAndWithoutPadding) {
  EXPECT_EQ(decode_to_string("MY======"), "f");
  EXPECT_EQ(decode_to_string("MZXQ===="), "fo");
  EXPECT_EQ(decode_to_string("MZXW6==="), "foo");
  EXPECT_EQ(decode_to_string("MZXW6YQ="), "foob");
  EXPECT_EQ(decode_to_string("MZXW6YTB"), "fooba");
  EXPECT_EQ(decode_to_string("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(decode_to_string("MZXW6YTBOI"), "foobar");
}

TEST(Base32, ForgivesWhatPeopleType) {
  EXPECT_EQ(decode_to_string("mzxw6ytboi"), "foobar");
  EXPECT_EQ(decode_to_string("mzxw 6ytb oi"), "foobar");
  EXPECT_EQ(decode_to_string("MZXW-6YTB-OI"), "foobar");
  EXPECT_EQ(decode_to_string(" MzXw\t6YtB oI== "), "foobar");
}

TEST(Base32, RoundTripsEveryLength) {
  std::vector<std::uint8_t> bytes;
  for (int n = 1; n <= 70; ++n) {
    bytes.push_back(static_cast<std::uint8_t>(n * 37 + 11));
    auto decoded = base32_decode(base32_encode(bytes));
    ASSERT_TRUE(decoded.has_value()) << n;
    EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), decoded->expose().begin(),
                           decoded->expose().end()))
        << n;
  }
}

TEST(Base32, RejectsBadCharacterNamingItAndItsPosition) {
  auto result = base32_decode("ABCD1FGH");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
  EXPECT_NE(result.error().message.find("'1'"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("position 5"), std::string::npos) << result.error().message;
}

TEST(Base32, PositionCountsSeparatorsAsTyped) {
  auto result = base32_decode("AB CD-8FGH");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("'8' at position 7"), std::string::npos)
      << result.error().message;
}

TEST(Base32, NamesUnprintableCharactersByCode) {
  auto result = base32_decode(std::string("ABC\x01", 4));
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("0x01 at position 4"), std::string::npos)
      << result.error().message;
  auto utf8 = base32_decode("ABCÄ");
  ASSERT_FALSE(utf8.has_value());
  EXPECT_NE(utf8.error().message.find("0xC3 at position 4"), std::string::npos)
      << utf8.error().message;
}

TEST(Base32, RejectsPaddingInTheMiddle) {
  auto result = base32_decode("MZ=XW6YTB");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("position 3"), std::string::npos) << result.error().message;
}

TEST(Base32, RejectsLengthsNoByteCountEncodesTo) {
  for (std::string_view text : {"A", "ABC", "ABCDEF", "MZXW6YTBO"}) {
    auto result = base32_decode(text);
    EXPECT_FALSE(result.has_value()) << text;
  }
}

TEST(Base32, RejectsEmptyAndSeparatorOnlyInput) {
  EXPECT_FALSE(base32_decode("").has_value());
  EXPECT_FALSE(base32_decode(" - ").has_value());
  EXPECT_FALSE(base32_decode("====").has_value());
}

}  // namespace
}  // namespace tfa
