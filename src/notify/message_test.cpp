// compose_rfc5322: headers, encodings, line endings and the refusal of header injection.
#include "notify/message.hpp"

#include <gtest/gtest.h>

#include "notify/mime_encoding.hpp"
#include "notify/notify_test_support.hpp"

namespace tfa::notify {
namespace {

using namespace std::chrono;

// 2026-12-01 19:02:12 UTC, a Tuesday.
const system_clock::time_point kDate = sys_days{year{2026} / 12 / 1} + 19h + 2min + 12s;

Message sample() {
  return {.to = "Alice <alice@example.com>",
          .subject = "Your sign-in code",
          .text = "Hello Alice,\nyour code is 123456.\n",
          .html = "<p>Hello Alice,</p>\n<p>your code is <b>123456</b>.</p>"};
}

std::string compose(const Message& m) {
  auto text = compose_rfc5322(m, "tfa <tfa@auth.example.com>", kDate, "abc123@auth.example.com");
  EXPECT_TRUE(text.has_value()) << text.error().message;
  return text.value_or("");
}

TEST(Compose, WritesTheHeaders) {
  const auto parsed = test::parse(compose(sample()));
  auto headers = parsed.headers;
  EXPECT_EQ(headers["Date"], "Tue, 01 Dec 2026 19:02:12 +0000");
  EXPECT_EQ(headers["From"], "tfa <tfa@auth.example.com>");
  EXPECT_EQ(headers["To"], "Alice <alice@example.com>");
  EXPECT_EQ(headers["Subject"], "Your sign-in code");
  EXPECT_EQ(headers["Message-ID"], "<abc123@auth.example.com>");
  EXPECT_EQ(headers["MIME-Version"], "1.0");
  EXPECT_TRUE(headers["Content-Type"].starts_with("multipart/alternative; boundary=\"=_tfa_"))
      << headers["Content-Type"];
}

TEST(Compose, KeepsAMessageIdThatHasItsBrackets) {
  auto text = compose_rfc5322(sample(), "tfa@x.org", kDate, "<id@x.org>");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(test::parse(*text).headers["Message-ID"], "<id@x.org>");
}

TEST(Compose, UsesCrlfEverywhere) {
  Message m = sample();
  m.text = "one\ntwo\r\nthree\rfour";
  const std::string text = compose(m);
  EXPECT_TRUE(test::only_crlf(text));
  EXPECT_TRUE(text.ends_with("--\r\n"));
}

TEST(Compose, HasATextAndAnHtmlPartThatDecodeBack) {
  Message m = sample();
  m.text = "Grüße, 你好\nline two";
  const auto parsed = test::parse(compose(m));
  ASSERT_EQ(parsed.parts.size(), 2u);
  auto plain = parsed.parts[0];
  auto html = parsed.parts[1];
  EXPECT_EQ(plain.headers["Content-Type"], "text/plain; charset=utf-8");
  EXPECT_EQ(plain.headers["Content-Transfer-Encoding"], "base64");
  EXPECT_EQ(html.headers["Content-Type"], "text/html; charset=utf-8");
  EXPECT_EQ(html.headers["Content-Transfer-Encoding"], "base64");
  // Line breaks are canonical CRLF inside the encoded text (RFC 2045 section 6.8).
  EXPECT_EQ(test::base64_decode(plain.body), "Grüße, 你好\r\nline two");
  EXPECT_EQ(test::base64_decode(html.body), detail::to_crlf(m.html));
}

TEST(Compose, WrapsBase64At76Characters) {
  Message m = sample();
  m.text = std::string(1000, 'x');
  const auto parsed = test::parse(compose(m));
  ASSERT_EQ(parsed.parts.size(), 2u);
  const std::string& body = parsed.parts[0].body;
  std::size_t at = 0;
  int lines = 0;
  while (at < body.size()) {
    auto end = body.find("\r\n", at);
    if (end == std::string::npos) end = body.size();
    EXPECT_LE(end - at, 76u);
    if (end < body.size()) {
      EXPECT_EQ(end - at, 76u) << "only the last line may be short";
    }
    at = end + 2;
    ++lines;
  }
  EXPECT_EQ(lines, 18);  // 1000 bytes are 1336 base64 characters
  EXPECT_EQ(test::base64_decode(body), m.text);
}

TEST(Compose, EmptyBodiesGiveEmptyParts) {
  Message m = sample();
  m.text.clear();
  m.html.clear();
  const auto parsed = test::parse(compose(m));
  ASSERT_EQ(parsed.parts.size(), 2u);
  EXPECT_EQ(test::base64_decode(parsed.parts[0].body), "");
}

TEST(Compose, BoundaryCannotOccurInTheBodies) {
  Message m = sample();
  const std::string text = compose(m);
  auto type = test::parse(text).headers["Content-Type"];
  const auto quote = type.find('"');
  const std::string boundary = type.substr(quote + 1, type.rfind('"') - quote - 1);
  // "=_" is outside the base64 alphabet, so no encoded line can start a delimiter.
  EXPECT_TRUE(boundary.starts_with("=_"));
  EXPECT_LE(boundary.size(), 70u);  // RFC 2046 section 5.1.1
  // Three delimiters: two parts and the close.
  std::size_t count = 0;
  for (auto at = text.find("--" + boundary); at != std::string::npos;
       at = text.find("--" + boundary, at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
  // A different message gets a different boundary.
  m.text += "!";
  EXPECT_NE(test::parse(compose(m)).headers["Content-Type"], type);
}

TEST(Compose, EncodesANonAsciiSubject) {
  Message m = sample();
  m.subject = "Ihr Anmeldecode für tfa";
  const auto parsed = test::parse(compose(m));
  auto subject = parsed.headers.at("Subject");
  EXPECT_TRUE(subject.starts_with("=?UTF-8?B?")) << subject;
  EXPECT_EQ(test::decode_words(subject), m.subject);
}

TEST(Compose, FoldsALongSubjectBetweenWholeCharacters) {
  Message m = sample();
  for (int i = 0; i < 40; ++i) m.subject += "ü€😀";  // 2-, 3- and 4-byte sequences
  const auto parsed = test::parse(compose(m));
  EXPECT_EQ(test::decode_words(parsed.headers.at("Subject")), m.subject);
  for (const auto& line : parsed.header_lines) EXPECT_LE(line.size(), 78u) << line;
  // Each word decodes to valid UTF-8 on its own.
  const std::string& value = parsed.headers.at("Subject");
  std::size_t words = 0;
  for (auto at = value.find("=?UTF-8?B?"); at != std::string::npos;
       at = value.find("=?UTF-8?B?", at + 10)) {
    ++words;
    const auto end = value.find("?=", at + 10);
    const std::string word = test::base64_decode(value.substr(at + 10, end - at - 10));
    const auto first = static_cast<unsigned char>(word.front());
    EXPECT_TRUE(first < 0x80 || first >= 0xc0) << "word starts inside a character";
  }
  EXPECT_GT(words, 10u);
}

TEST(Compose, EncodesALongAsciiSubjectAndOneThatLooksEncoded) {
  Message m = sample();
  m.subject = std::string(120, 'a');
  EXPECT_EQ(test::decode_words(test::parse(compose(m)).headers.at("Subject")), m.subject);
  m.subject = "=?UTF-8?B?SGk=?=";
  auto subject = test::parse(compose(m)).headers.at("Subject");
  EXPECT_NE(subject, m.subject);
  EXPECT_EQ(test::decode_words(subject), m.subject);
}

TEST(Compose, EncodesANonAsciiDisplayName) {
  Message m = sample();
  m.to = "Zoë Ünal <zoe@example.com>";
  auto to = test::parse(compose(m)).headers.at("To");
  EXPECT_TRUE(to.starts_with("=?UTF-8?B?")) << to;
  EXPECT_TRUE(to.ends_with(" <zoe@example.com>")) << to;
  EXPECT_EQ(test::decode_words(to.substr(0, to.find(" <"))), "Zoë Ünal");
}

TEST(Compose, RefusesHeaderInjection) {
  const std::string evils[] = {"\r\nBcc: eve@example.com", "\nBcc: eve@example.com",
                               "\rBcc: eve@example.com", std::string("a\0b", 3)};
  for (const std::string& evil : evils) {
    Message m = sample();
    m.to = "bob@example.com" + evil;
    auto r = compose_rfc5322(m, "tfa@x.org", kDate, "id@x.org");
    ASSERT_FALSE(r.has_value()) << evil;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);

    m = sample();
    m.subject = "Hello" + evil;
    r = compose_rfc5322(m, "tfa@x.org", kDate, "id@x.org");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_FALSE(check_message(m).has_value());

    r = compose_rfc5322(sample(), "tfa@x.org" + evil, kDate, "id@x.org");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::invalid_argument);

    r = compose_rfc5322(sample(), "tfa@x.org", kDate, "id@x.org" + evil);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
  }
}

TEST(Compose, RefusesMissingAddressesAndHugeHeaders) {
  Message m = sample();
  m.to = "";
  EXPECT_FALSE(check_message(m).has_value());
  m.to = "Nobody <>";
  EXPECT_FALSE(check_message(m).has_value());
  m = sample();
  m.subject = std::string(901, 'a');
  EXPECT_FALSE(check_message(m).has_value());
  EXPECT_FALSE(compose_rfc5322(sample(), "", kDate, "id@x.org").has_value());
  EXPECT_FALSE(compose_rfc5322(sample(), "tfa@x.org", kDate, "").has_value());
}

TEST(Compose, AllowsATabInTheSubject) {
  Message m = sample();
  m.subject = "a\tb";
  EXPECT_TRUE(check_message(m).has_value());
}

TEST(Compose, FormatsDatesInUtc) {
  EXPECT_EQ(format_rfc5322_date(sys_days{year{1970} / 1 / 1}), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(format_rfc5322_date(sys_days{year{2024} / 2 / 29} + 23h + 59min + 59s),
            "Thu, 29 Feb 2024 23:59:59 +0000");
}

TEST(MimeEncoding, Base64MatchesRfc4648Vectors) {
  // RFC 4648 section 10.
  EXPECT_EQ(detail::base64_lines(""), "");
  EXPECT_EQ(detail::base64_lines("f"), "Zg==\r\n");
  EXPECT_EQ(detail::base64_lines("foobar"), "Zm9vYmFy\r\n");
  EXPECT_EQ(detail::base64_lines(std::string(57, 'a')).size(), 78u);  // exactly one full line
}

}  // namespace
}  // namespace tfa::notify
