// Known OTPs made by two independent generators: python3-yubiotp (its documented example and
// one more) and ykgenerate from libyubikey, each decoded field by field.
#include "otp/yubico_otp.hpp"

#include <gtest/gtest.h>

#include "otp/modhex.hpp"

namespace tfa::otp {
namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// python3-yubiotp's documented example: key b"0123456789abcdef", private ID 0123456789ab,
// usage counter 5, timestamp 0x0153f8, session counter 0, random 0x1234.
constexpr std::string_view kPyOtp = "cclngiuvttkhthcilurtkerbjnnkljfkjccklkhl";
const std::string kPyKey = "30313233343536373839616263646566";
const std::string kPyPrivateId = "0123456789ab";

// ecde18db... with private ID 8792ebfe26cc, usage counter 0x13, timestamp 0xc0a8, session 0x10.
constexpr std::string_view kKey2 = "ecde18dbe76fbd0c33330f1c354871db";
constexpr std::string_view kPrivateId2 = "8792ebfe26cc";
constexpr std::string_view kYubiotpOtp2 = "vvcccchnrhbrtcljtntgtflivuikteglgcejfeliivkh";  // random 0x1234
constexpr std::string_view kYkgenerateToken2 = "gdbnjjbkekdtfhgfjdbdnfnitfcrggni";           // random 0x3a81

TEST(YubicoOtp, SplitsThePublicIdFromTheToken) {
  auto parts = split_yubico_otp(kPyOtp);
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ(parts->public_id, "cclngiuv");
  EXPECT_EQ(modhex_encode(parts->token), "ttkhthcilurtkerbjnnkljfkjccklkhl");
}

TEST(YubicoOtp, DecodesPython3YubiotpsDocumentedExample) {
  auto parts = split_yubico_otp(kPyOtp);
  ASSERT_TRUE(parts);
  auto token = open_yubico_otp(*parts, hex(kPyPrivateId), hex(kPyKey));
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->usage_counter, 5);
  EXPECT_EQ(token->timestamp, 0x0153f8u);
  EXPECT_EQ(token->session_counter, 0);
  EXPECT_EQ(token->random, 0x1234);
  EXPECT_EQ(token->counter(), 5 << 8);
}

TEST(YubicoOtp, DecodesATokenMadeByYkgenerate) {
  auto parts = split_yubico_otp("vvcccchnrhbr" + std::string(kYkgenerateToken2));
  ASSERT_TRUE(parts);
  auto token = open_yubico_otp(*parts, hex(kPrivateId2), hex(kKey2));
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->usage_counter, 0x13);
  EXPECT_EQ(token->timestamp, 0xc0a8u);
  EXPECT_EQ(token->session_counter, 0x10);
  EXPECT_EQ(token->random, 0x3a81);
  EXPECT_EQ(token->counter(), 0x13 << 8 | 0x10);
}

TEST(YubicoOtp, MakesTheSameOtpAsPython3Yubiotp) {
  YubicoToken token;
  const auto id = hex(kPrivateId2);
  std::copy(id.begin(), id.end(), token.private_id.begin());
  token.usage_counter = 0x13;
  token.timestamp = 0xc0a8;
  token.session_counter = 0x10;
  token.random = 0x1234;
  auto otp = make_yubico_otp("vvcccchnrhbr", token, hex(kKey2));
  ASSERT_TRUE(otp) << otp.error().message;
  EXPECT_EQ(*otp, kYubiotpOtp2);
}

TEST(YubicoOtp, IgnoresCaseAndSurroundingSpace) {
  std::string typed = " " + std::string(kPyOtp) + "\n";
  for (auto& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto parts = split_yubico_otp(typed);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->public_id, "cclngiuv");
  EXPECT_TRUE(open_yubico_otp(*parts, hex(kPyPrivateId), hex(kPyKey)));
}

TEST(YubicoOtp, RefusesAWrongCrc) {
  // One modhex letter of the token changed: the block decrypts to noise, whose CRC fails.
  std::string forged(kPyOtp);
  forged[20] = forged[20] == 'c' ? 'b' : 'c';
  auto parts = split_yubico_otp(forged);
  ASSERT_TRUE(parts);
  auto token = decrypt_yubico_token(parts->token, hex(kPyKey));
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, Errc::invalid_argument);
  EXPECT_NE(token.error().message.find("valid token"), std::string::npos);
}

TEST(YubicoOtp, RefusesTheWrongAesKey) {
  auto parts = split_yubico_otp(kPyOtp);
  ASSERT_TRUE(parts);
  EXPECT_FALSE(decrypt_yubico_token(parts->token, hex(kKey2)));
}

TEST(YubicoOtp, RefusesAWrongPrivateId) {
  auto parts = split_yubico_otp(kPyOtp);
  ASSERT_TRUE(parts);
  auto token = open_yubico_otp(*parts, hex("0123456789ac"), hex(kPyKey));
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find("private ID"), std::string::npos);
}

TEST(YubicoOtp, RefusesBadModhexAndWrongLengths) {
  EXPECT_FALSE(split_yubico_otp("cclngiuvttkhthcilurtkerbjnnkljfkjccklkha"));  // 'a'
  EXPECT_FALSE(split_yubico_otp("cclngiuvttkhthcilurtkerbjnnkljfkjccklkh1"));  // '1'
  EXPECT_FALSE(split_yubico_otp(kPyOtp.substr(1)));                             // odd length
  EXPECT_FALSE(split_yubico_otp(kPyOtp.substr(8)));                             // no public ID
  EXPECT_FALSE(split_yubico_otp(std::string(34, 'c') + std::string(32, 'c')));  // 66 > 64
  EXPECT_FALSE(split_yubico_otp(""));
  EXPECT_FALSE(looks_like_yubico_otp("123456"));
  EXPECT_FALSE(looks_like_yubico_otp("7kq2m-x9d4t"));
  EXPECT_TRUE(looks_like_yubico_otp(kPyOtp));
}

TEST(YubicoOtp, CountersGrowWithEitherCounterAndIgnoreTheFlagBit) {
  YubicoToken a, b, c;
  a.usage_counter = 3;
  a.session_counter = 200;
  b.usage_counter = 4;  // a new power-up resets the session counter
  b.session_counter = 0;
  c.usage_counter = 4 | 0x8000;
  c.session_counter = 1;
  EXPECT_LT(a.counter(), b.counter());
  EXPECT_LT(b.counter(), c.counter());
  EXPECT_EQ(c.counter(), 4 << 8 | 1);
}

}  // namespace
}  // namespace tfa::otp
