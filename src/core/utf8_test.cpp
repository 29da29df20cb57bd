#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace tfa::core {
namespace {

TEST(Utf8, ValidTextIsValid) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("Mozilla/5.0"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91"));  // é € 🔑
}

TEST(Utf8, BrokenSequencesAreNot) {
  EXPECT_FALSE(is_valid_utf8("evil\xFF"));
  EXPECT_FALSE(is_valid_utf8("\x80"));                  // a stray continuation byte
  EXPECT_FALSE(is_valid_utf8("caf\xC3"));               // cut in the middle
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));              // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));          // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));      // above U+10FFFF
}

TEST(Utf8, APrefixReplacesBadBytesAndCutsOnACharacterBoundary) {
  EXPECT_EQ(valid_utf8_prefix("evil\xFF", 100), "evil\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8_prefix("ab\xC3\xA9", 3), "ab") << "é does not fit in the third byte";
  EXPECT_EQ(valid_utf8_prefix("ab\xC3\xA9", 4), "ab\xC3\xA9");
  EXPECT_EQ(valid_utf8_prefix(std::string(600, 'a'), 500), std::string(500, 'a'));
  EXPECT_EQ(valid_utf8_prefix("", 10), "");
  EXPECT_TRUE(is_valid_utf8(valid_utf8_prefix("\xC0\xAF\x80\xF0\x9F", 100)));
}

}  // namespace
}  // namespace tfa::core
