#include "otp/key_uri.hpp"

#include <gtest/gtest.h>

#include "core/base32.hpp"

namespace tfa::otp {
namespace {

using crypto::HashAlgorithm;

SecretBytes example_secret() { return base32_decode("JBSWY3DPEHPK3PXP").value(); }

KeyUri example_key(std::string issuer, std::string account) {
  KeyUri key;
  key.issuer = std::move(issuer);
  key.account = std::move(account);
  key.secret = example_secret();
  return key;
}

std::string error_of(std::string_view uri) {
  auto parsed = parse_key_uri(uri);
  EXPECT_FALSE(parsed.has_value()) << uri;
  return parsed ? std::string() : parsed.error().message;
}

TEST(KeyUri, BuildsTheFormatsExample) {
  EXPECT_EQ(build_key_uri(example_key("Example", "alice@google.com")).value(),
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(KeyUri, EncodesSpacesColonsAndNonAscii) {
  const auto uri = build_key_uri(example_key("Zürich Cloud", "José Müller:ops@example.com")).value();
  EXPECT_EQ(uri,
            "otpauth://totp/Z%C3%BCrich%20Cloud:Jos%C3%A9%20M%C3%BCller%3Aops@example.com"
            "?secret=JBSWY3DPEHPK3PXP&issuer=Z%C3%BCrich%20Cloud&algorithm=SHA1&digits=6"
            "&period=30");
  const auto parsed = parse_key_uri(uri).value();
  EXPECT_EQ(parsed.issuer, "Zürich Cloud");
  EXPECT_EQ(parsed.account, "José Müller:ops@example.com");
}

TEST(KeyUri, RoundTripsEveryField) {
  KeyUri key = example_key("Example Cloud", "bob");
  key.algorithm = HashAlgorithm::sha512;
  key.digits = 8;
  key.period = std::chrono::seconds(60);
  const auto parsed = parse_key_uri(build_key_uri(key).value()).value();
  EXPECT_EQ(parsed.kind, OtpKind::totp);
  EXPECT_EQ(parsed.issuer, "Example Cloud");
  EXPECT_EQ(parsed.account, "bob");
  EXPECT_TRUE(parsed.secret == key.secret);
  EXPECT_EQ(parsed.algorithm, HashAlgorithm::sha512);
  EXPECT_EQ(parsed.digits, 8);
  EXPECT_EQ(parsed.period, std::chrono::seconds(60));
}

TEST(KeyUri, RoundTripsHotpWithItsCounter) {
  KeyUri key = example_key("Example", "carol");
  key.kind = OtpKind::hotp;
  key.counter = 42;
  const auto uri = build_key_uri(key).value();
  EXPECT_NE(uri.find("otpauth://hotp/"), std::string::npos);
  const auto parsed = parse_key_uri(uri).value();
  EXPECT_EQ(parsed.kind, OtpKind::hotp);
  EXPECT_EQ(parsed.counter, 42u);
}

TEST(KeyUri, BuildRefusesWhatAppsWouldMisread) {
  EXPECT_FALSE(build_key_uri(example_key("Example", "")).has_value());
  EXPECT_FALSE(build_key_uri(example_key("Ex:ample", "alice")).has_value());
  EXPECT_FALSE(build_key_uri(example_key("", "ops:alice")).has_value());
  EXPECT_TRUE(build_key_uri(example_key("", "alice")).has_value());
  KeyUri no_secret = example_key("Example", "alice");
  no_secret.secret = SecretBytes();
  EXPECT_FALSE(build_key_uri(no_secret).has_value());
  KeyUri bad_digits = example_key("Example", "alice");
  bad_digits.digits = 9;
  EXPECT_FALSE(build_key_uri(bad_digits).has_value());
}

TEST(KeyUri, ParsesWithDefaultsAndLenience) {
  const auto key = parse_key_uri("OTPAUTH://TOTP/ACME%20Co:john.doe@email.com?secret=jbswy3dpehpk3pxp"
                                 "&image=https%3A%2F%2Fexample.com%2Fa.png").value();
  EXPECT_EQ(key.issuer, "ACME Co");
  EXPECT_EQ(key.account, "john.doe@email.com");
  EXPECT_TRUE(key.secret == example_secret());
  EXPECT_EQ(key.algorithm, HashAlgorithm::sha1);
  EXPECT_EQ(key.digits, 6);
  EXPECT_EQ(key.period, std::chrono::seconds(30));
}

TEST(KeyUri, ParsesEncodedColonAndSpacesAfterIt) {
  const auto key = parse_key_uri("otpauth://totp/ACME%3A%20%20john?secret=JBSWY3DPEHPK3PXP").value();
  EXPECT_EQ(key.issuer, "ACME");
  EXPECT_EQ(key.account, "john");
}

TEST(KeyUri, TakesIssuerFromParameterWhenLabelHasNone) {
  const auto key = parse_key_uri("otpauth://totp/john?secret=JBSWY3DPEHPK3PXP&issuer=Big+Corp").value();
  EXPECT_EQ(key.issuer, "Big Corp");
  EXPECT_EQ(key.account, "john");
}

TEST(KeyUri, ParseErrorsSayWhatIsWrong) {
  EXPECT_NE(error_of("https://totp/a?secret=JBSWY3DPEHPK3PXP").find("scheme"), std::string::npos);
  EXPECT_NE(error_of("otpauth://motp/a?secret=JBSWY3DPEHPK3PXP").find("'motp'"), std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a").find("secret parameter is missing"), std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/?secret=JBSWY3DPEHPK3PXP").find("label"), std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a?secret=JBSW1").find("parameter secret: invalid character '1'"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=MD5").find("algorithm"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=9").find("digits"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=six").find("whole number"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=5").find("period"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=99999999999999999999")
                .find("period"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP").find("counter"), std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP")
                .find("twice"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=B").find("differs"),
            std::string::npos);
  EXPECT_NE(error_of("otpauth://totp/a%ZZ?secret=JBSWY3DPEHPK3PXP").find("not a valid URI"),
            std::string::npos);
  EXPECT_NE(error_of("not a uri at all").find("not a valid URI"), std::string::npos);
}

}  // namespace
}  // namespace tfa::otp
