#include "http/access_log.hpp"

#include <gtest/gtest.h>

namespace tfa::http {
namespace {

using std::chrono::microseconds;

TEST(AccessLog, FormatsOneLine) {
  EXPECT_EQ(format_access_line({.client = "10.0.0.1",
                                .method = "GET",
                                .target = "/login",
                                .status = 200,
                                .bytes = 1234,
                                .duration = microseconds(3250),
                                .user_agent = "curl/8.0"}),
            "10.0.0.1 \"GET /login\" 200 1234 3.2ms \"curl/8.0\"");
}

TEST(AccessLog, NeverWritesTheQueryString) {
  const std::string line = format_access_line(
      {.client = "::1", .method = "GET", .target = "/recover?token=SECRET123", .status = 200});
  EXPECT_NE(line.find("/recover"), std::string::npos);
  EXPECT_EQ(line.find("SECRET123"), std::string::npos);
  EXPECT_EQ(line.find('?'), std::string::npos);
}

TEST(AccessLog, StripsControlCharactersAndEscapesQuotes) {
  const std::string line = format_access_line(
      {.client = "1.2.3.4", .method = "GET", .target = "/", .status = 200,
       .user_agent = "evil\r\n1.2.3.4 \"GET /admin\" 200\x1b[31m\\"});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_NE(line.find("evil1.2.3.4 \\\"GET /admin\\\" 200[31m\\\\\""), std::string::npos) << line;
}

TEST(AccessLog, TruncatesTheUserAgent) {
  const std::string agent(1000, 'a');
  const std::string line = format_access_line(
      {.client = "1.2.3.4", .method = "GET", .target = "/", .status = 200, .user_agent = agent});
  EXPECT_NE(line.find("\"" + std::string(200, 'a') + "\""), std::string::npos);
  EXPECT_EQ(line.find(std::string(201, 'a')), std::string::npos);
}

}  // namespace
}  // namespace tfa::http
