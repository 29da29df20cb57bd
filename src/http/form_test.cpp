#include "http/form.hpp"

#include <gtest/gtest.h>

namespace tfa::http {
namespace {

TEST(ParseForm, DecodesPercentEscapesAndPlus) {
  auto form = parse_form("user=alice%40example.com&password=p%26ss+word%21&empty=&flag");
  ASSERT_TRUE(form.has_value()) << form.error().message;
  EXPECT_EQ(*form, (FormFields{{"user", "alice@example.com"},
                               {"password", "p&ss word!"},
                               {"empty", ""},
                               {"flag", ""}}));
}

TEST(ParseForm, EncodedPlusStaysAPlus) {
  auto form = parse_form("a=1%2B1");
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(form->at("a"), "1+1");
}

TEST(ParseForm, EmptyBodyGivesNoFields) {
  auto form = parse_form("");
  ASSERT_TRUE(form.has_value());
  EXPECT_TRUE(form->empty());
}

TEST(ParseForm, SkipsEmptyPieces) {
  auto form = parse_form("&a=1&&b=2&");
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(*form, (FormFields{{"a", "1"}, {"b", "2"}}));
}

TEST(ParseForm, DecodesUtf8) {
  auto form = parse_form("name=J%C3%BCrgen");
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(form->at("name"), "J\xc3\xbcrgen");
}

TEST(ParseForm, RejectsBadPercentEncoding) {
  for (const char* body : {"a=%", "a=%2", "a=%G1", "%zz=1", "a=1%"}) {
    auto form = parse_form(body);
    ASSERT_FALSE(form.has_value()) << body;
    EXPECT_EQ(form.error().code, Errc::invalid_argument);
  }
}

TEST(ParseForm, RejectsCharactersAFormEscapes) {
  for (const char* body : {"a=b c", "a=\"x\"", "a=<b>", "a=\n"}) {
    EXPECT_FALSE(parse_form(body).has_value()) << body;
  }
}

TEST(ParseForm, RejectsNulBytes) {
  EXPECT_FALSE(parse_form("a=x%00y").has_value());
  EXPECT_FALSE(parse_form("a%00=1").has_value());
}

TEST(ParseForm, RejectsARepeatedField) {
  auto form = parse_form("csrf=1&csrf=2");
  ASSERT_FALSE(form.has_value());
  EXPECT_EQ(form.error().code, Errc::invalid_argument);
  // Equal after decoding counts as repeated too.
  EXPECT_FALSE(parse_form("a=1&%61=2").has_value());
}

TEST(ParseForm, AcceptsSixtyFourFieldsButNotSixtyFive) {
  std::string body;
  for (int i = 0; i < 64; ++i) body += "f" + std::to_string(i) + "=x&";
  EXPECT_TRUE(parse_form(body).has_value());
  body += "one=more";
  auto form = parse_form(body);
  ASSERT_FALSE(form.has_value());
  EXPECT_EQ(form.error().code, Errc::invalid_argument);
}

TEST(QueryPath, CutsAtTheQuestionMark) {
  EXPECT_EQ(query_path("/login?next=%2F"), "/login");
  EXPECT_EQ(query_path("/login"), "/login");
  EXPECT_EQ(query_path("/?"), "/");
  EXPECT_EQ(query_path(""), "");
}

TEST(ParseTargetQuery, DecodesTheQuery) {
  auto query = parse_target_query("/recover?token=abc%2Bdef&x=a+b");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(*query, (FormFields{{"token", "abc+def"}, {"x", "a b"}}));
}

TEST(ParseTargetQuery, NoQueryGivesNoFields) {
  auto query = parse_target_query("/healthz");
  ASSERT_TRUE(query.has_value());
  EXPECT_TRUE(query->empty());
  EXPECT_TRUE(parse_target_query("/healthz?")->empty());
}

TEST(ParseTargetQuery, ReadsOnlyTheViewNotTheBufferAroundIt) {
  // A request target is a view into the request's header buffer, with no NUL after it: here
  // a buffer of exactly its size (AddressSanitizer reports any read past it).
  const std::string_view text = "/recover?token=abc";
  const std::vector<char> buffer(text.begin(), text.end());
  auto query = parse_target_query(std::string_view(buffer.data(), buffer.size()));
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(*query, (FormFields{{"token", "abc"}}));
}

TEST(ParseTargetQuery, RejectsBadEncoding) { EXPECT_FALSE(parse_target_query("/x?a=%").has_value()); }

}  // namespace
}  // namespace tfa::http
