#include "http/cookies.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace tfa::http {
namespace {

using Map = std::map<std::string, std::string>;

TEST(ParseCookies, ReadsPairsSeparatedBySemicolons) {
  EXPECT_EQ(parse_cookies("a=1; b=two;c=3"), (Map{{"a", "1"}, {"b", "two"}, {"c", "3"}}));
}

TEST(ParseCookies, EmptyHeaderGivesNoCookies) {
  EXPECT_TRUE(parse_cookies("").empty());
  EXPECT_TRUE(parse_cookies(" ;; ; ").empty());
}

TEST(ParseCookies, UnquotesQuotedValues) {
  EXPECT_EQ(parse_cookies("a=\"xyz\""), (Map{{"a", "xyz"}}));
}

TEST(ParseCookies, KeepsEmptyValues) { EXPECT_EQ(parse_cookies("a="), (Map{{"a", ""}})); }

TEST(ParseCookies, SkipsMalformedPairsAndKeepsTheRest) {
  // No '=', empty name, a name with a space, a value with a space, a comma or a backslash.
  EXPECT_EQ(parse_cookies("junk; =v; a b=1; c=x y; d=1,2; e=\\; ok=yes"), (Map{{"ok", "yes"}}));
}

TEST(ParseCookies, SkipsControlAndNonAsciiBytes) {
  EXPECT_EQ(parse_cookies(std::string("a=\x01; b=\xc3\xa9; c=3")), (Map{{"c", "3"}}));
}

TEST(ParseCookies, FirstOfTwoSameNamesWins) {
  EXPECT_EQ(parse_cookies("s=first; s=second"), (Map{{"s", "first"}}));
}

TEST(ParseCookies, KeepsEqualsSignsInTheValue) {
  EXPECT_EQ(parse_cookies("t=abc=="), (Map{{"t", "abc=="}}));
}

TEST(ParseCookies, ReadsEveryCookieHeaderOfARequest) {
  Request request;
  request.insert(bhttp::field::cookie, "a=1");
  request.insert(bhttp::field::cookie, "b=2; a=ignored");
  EXPECT_EQ(parse_cookies(request), (Map{{"a", "1"}, {"b", "2"}}));
}

TEST(SetCookie, DefaultsAreHttpOnlyLaxOnTheRootPath) {
  EXPECT_EQ(set_cookie("sid", "abc"), "sid=abc; Path=/; HttpOnly; SameSite=Lax");
}

TEST(SetCookie, WritesEveryOption) {
  EXPECT_EQ(set_cookie("sid", "abc",
                       {.path = "/app", .max_age = std::chrono::seconds(600), .http_only = true,
                        .secure = true, .same_site = "Strict"}),
            "sid=abc; Path=/app; Max-Age=600; HttpOnly; Secure; SameSite=Strict");
}

TEST(SetCookie, ExpiresWithMaxAgeZero) {
  EXPECT_EQ(set_cookie("sid", "", {.max_age = std::chrono::seconds(0)}),
            "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
  EXPECT_EQ(set_cookie("sid", "", {.max_age = std::chrono::seconds(-5)}),
            "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

TEST(SetCookie, LeavesOutEmptySameSiteAndHttpOnlyWhenOff) {
  EXPECT_EQ(set_cookie("a", "b", {.http_only = false, .same_site = ""}), "a=b; Path=/");
}

TEST(SetCookie, RejectsValuesThatAreNotCookieOctets) {
  for (const char* value : {"a b", "a;b", "a,b", "\"q\"", "a\\b", "\x7f", "caf\xc3\xa9"}) {
    EXPECT_THROW(set_cookie("n", value), std::invalid_argument) << value;
  }
}

TEST(SetCookie, RejectsBadNamesPathsAndSameSite) {
  EXPECT_THROW(set_cookie("", "v"), std::invalid_argument);
  EXPECT_THROW(set_cookie("a=b", "v"), std::invalid_argument);
  EXPECT_THROW(set_cookie("n", "v", {.path = "/;Domain=evil"}), std::invalid_argument);
  EXPECT_THROW(set_cookie("n", "v", {.same_site = "lax"}), std::invalid_argument);
  EXPECT_THROW(set_cookie("n", "v", {.same_site = "None"}), std::invalid_argument);
  EXPECT_NO_THROW(set_cookie("n", "v", {.secure = true, .same_site = "None"}));
}

TEST(SetCookie, RoundTripsThroughParse) {
  const std::string value = "AbC-_.~!#$%&'()*+/:<=>?@[]^`{|}09";
  const std::string header = set_cookie("t", value);
  EXPECT_EQ(parse_cookies(header.substr(0, header.find(';'))), (Map{{"t", value}}));
}

}  // namespace
}  // namespace tfa::http
