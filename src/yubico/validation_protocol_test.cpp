#include "yubico/validation_protocol.hpp"

#include <gtest/gtest.h>

namespace tfa::yubico {
namespace {

// Cross-checked with Python's hmac module: base64(HMAC-SHA1(key, "id=1&nonce=...&otp=...")).
TEST(ValidationProtocol, SignsTheSortedParametersWithHmacSha1) {
  const auto key = base64_decode("mG5be6ZJU1qBGz24yPh/ESM3UdU=");
  ASSERT_EQ(key.size(), 20u);
  Parameters request{{"otp", "vvungrrdhvtklknvrtvuvbbkeidikkvgglrvdgrfcdft"},
                     {"nonce", "jrFwbaYFhn0HoxZIsd9LQ6w2ceU"},
                     {"id", "1"}};
  EXPECT_EQ(signed_text(request),
            "id=1&nonce=jrFwbaYFhn0HoxZIsd9LQ6w2ceU&otp=vvungrrdhvtklknvrtvuvbbkeidikkvgglrvdgrfcdft");
  EXPECT_EQ(signature(request, key), "+ja8S3IjbX593/LAgTBixwPNGX4=");
  request["h"] = "+ja8S3IjbX593/LAgTBixwPNGX4=";
  EXPECT_TRUE(signature_ok(request, key));
  request["otp"].back() = 'e';
  EXPECT_FALSE(signature_ok(request, key));
  request.erase("h");
  EXPECT_FALSE(signature_ok(request, key));
}

TEST(ValidationProtocol, ParsesAnswersWithBase64Signatures) {
  const auto answer = parse_answer("h=abc+/d==\r\nt=2026-12-02T06:30:00Z0123\r\nstatus=OK\r\n\r\n");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->size(), 3u);
  EXPECT_EQ(answer->at("h"), "abc+/d==");
  EXPECT_EQ(answer->at("status"), "OK");
}

// Lines that would let one answer's signature cover another: a value with '&' or '=' makes
// "otp=X&status=OK" out of one line, and a name given twice lets a reader pick either.
TEST(ValidationProtocol, RefusesAnswersThatCouldSignAmbiguously) {
  EXPECT_FALSE(parse_answer("status=OK\r\nstatus=BAD_OTP\r\n"));
  EXPECT_FALSE(parse_answer("otp=vvcc&status=OK\r\nstatus=BAD_SIGNATURE\r\n"));
  EXPECT_FALSE(parse_answer("t=x&status=BAD_SIGNATURE&t=y\r\n"));
  EXPECT_FALSE(parse_answer("nonce=a=b\r\n"));
  EXPECT_FALSE(parse_answer("junk\r\n"));
  EXPECT_FALSE(parse_answer("=x\r\n"));
  EXPECT_FALSE(parse_answer("h=ab&c\r\n"));
  EXPECT_TRUE(safe_parameter("otp", "vvcccchnrhbr"));
  EXPECT_FALSE(safe_parameter("otp", "vv&status=OK"));
  EXPECT_FALSE(safe_parameter("o-tp", "x"));
}

TEST(ValidationProtocol, FormatsAnswersWithTheSignatureFirst) {
  EXPECT_EQ(format_answer({{"status", "OK"}, {"h", "x="}, {"nonce", "n"}}), "h=x=\r\nnonce=n\r\nstatus=OK\r\n");
}

TEST(ValidationProtocol, WritesTimesAsTheProtocolDoes) {
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'764'657'000'123));
  EXPECT_EQ(protocol_time(at), "2025-12-02T06:30:00Z0123");
}

TEST(ValidationProtocol, NoncesAre16To40LettersOrDigits) {
  EXPECT_TRUE(valid_nonce("0123456789abcdef"));
  EXPECT_TRUE(valid_nonce(std::string(40, 'a')));
  EXPECT_FALSE(valid_nonce("0123456789abcde"));
  EXPECT_FALSE(valid_nonce(std::string(41, 'a')));
  EXPECT_FALSE(valid_nonce("0123456789abcde&"));
}

TEST(ValidationProtocol, Base64RoundTripsAndRefusesJunk) {
  const std::vector<std::uint8_t> bytes{0, 1, 2, 250, 251, 252};
  EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  EXPECT_TRUE(base64_decode("not base64!").empty());
}

}  // namespace
}  // namespace tfa::yubico
