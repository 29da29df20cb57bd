#include "core/escape_html.hpp"

#include <gtest/gtest.h>

namespace tfa {
namespace {

TEST(EscapeHtml, EscapesTheFiveSpecialCharactersAndNothingElse) {
  EXPECT_EQ(escape_html(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(escape_html("Zürich: alice@example.com"), "Zürich: alice@example.com");
  EXPECT_EQ(escape_html(""), "");
}

}  // namespace
}  // namespace tfa
