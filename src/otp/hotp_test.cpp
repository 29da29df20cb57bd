#include "otp/hotp.hpp"

#include <gtest/gtest.h>

#include "testing/rfc_vectors.hpp"

namespace tfa::otp {
namespace {

using crypto::HashAlgorithm;

SecretBytes secret_of(std::string_view ascii) {
  return SecretBytes::copy_of(
      {reinterpret_cast<const std::uint8_t*>(ascii.data()), ascii.size()});
}

Hotp rfc4226_hotp() {
  return Hotp::create(HashAlgorithm::sha1, 6, secret_of(testing::kRfc4226Secret)).value();
}

// RFC 4226 Appendix D, all ten counters: both the truncated value and the 6-digit code.
TEST(Hotp, MatchesRfc4226AppendixD) {
  const auto hotp = rfc4226_hotp();
  const auto key = secret_of(testing::kRfc4226Secret);
  auto mac = crypto::CounterHmac::create(HashAlgorithm::sha1, key.expose()).value();
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(dynamic_truncate(mac.mac(counter).view()), testing::kRfc4226Truncated[counter])
        << counter;
    EXPECT_EQ(hotp.code_text(counter), testing::kRfc4226Codes[counter]) << counter;
    EXPECT_TRUE(hotp.matches(testing::kRfc4226Codes[counter], counter)) << counter;
  }
}

TEST(Hotp, PadsCodesWithLeadingZeros) {
  // Counter 7 of RFC 4226 has truncated value 82162583: 8 digits "82162583", 7 digits "2162583".
  const auto key = secret_of(testing::kRfc4226Secret);
  EXPECT_EQ(Hotp::create(HashAlgorithm::sha1, 8, key).value().code_text(7), "82162583");
  EXPECT_EQ(Hotp::create(HashAlgorithm::sha1, 7, key).value().code_text(7), "2162583");
  // Counter 2: 137359152 -> 8 digits "37359152"; the 9-digit value has a leading 1.
  EXPECT_EQ(Hotp::create(HashAlgorithm::sha1, 8, key).value().code_text(2), "37359152");
}

TEST(Hotp, RejectsDigitCountsOutsideSixToEight) {
  const auto key = secret_of(testing::kRfc4226Secret);
  for (int digits : {-1, 0, 5, 9, 10}) {
    auto hotp = Hotp::create(HashAlgorithm::sha1, digits, key);
    ASSERT_FALSE(hotp.has_value()) << digits;
    EXPECT_EQ(hotp.error().code, Errc::invalid_argument);
  }
}

TEST(Hotp, RejectsAnEmptySecret) {
  EXPECT_FALSE(Hotp::create(HashAlgorithm::sha1, 6, SecretBytes()).has_value());
}

TEST(Hotp, MalformedCodesNeverMatch) {
  const auto hotp = rfc4226_hotp();
  for (std::string_view code : {"", "75522", "7552244", "75522a", " 755224", "755 224", "７55224"}) {
    EXPECT_FALSE(hotp.matches(code, 0)) << code;
    EXPECT_FALSE(hotp.verify(code, 0, 5).has_value()) << code;
  }
}

TEST(Hotp, VerifyLooksAheadAndReportsTheCounter) {
  const auto hotp = rfc4226_hotp();
  EXPECT_EQ(hotp.verify("359152", 0, 5), std::optional<std::uint64_t>(2));
  EXPECT_EQ(hotp.verify("359152", 2, 0), std::optional<std::uint64_t>(2));
  EXPECT_FALSE(hotp.verify("359152", 3, 5).has_value()) << "codes behind the counter are spent";
  EXPECT_FALSE(hotp.verify("520489", 0, 8).has_value()) << "counter 9 is beyond the window";
  EXPECT_EQ(hotp.verify("520489", 0, 9), std::optional<std::uint64_t>(9));
}

}  // namespace
}  // namespace tfa::otp
