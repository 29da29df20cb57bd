#include "yubico/local_validator.hpp"

#include "yubico/yubico_test_fixture.hpp"

namespace tfa::yubico {
namespace {

using auth::YubicoVerdict;

class LocalValidatorTest : public test::YubicoTest {
 protected:
  YubicoVerdict verify(const std::string& text) {
    LocalValidator validator(*keys_);
    return validator.verify(text).value();
  }
};

TEST_F(LocalValidatorTest, AcceptsAFreshOtpAndReportsItsCounter) {
  auto verdict = verify(otp(3, 7));
  EXPECT_EQ(verdict.status, YubicoVerdict::ok) << verdict.detail;
  EXPECT_EQ(verdict.public_id, test::kPublicId);
  EXPECT_EQ(verdict.counter, 3 << 8 | 7);
  EXPECT_EQ(keys_->find_key(test::kPublicId).value()->last_counter, 3 << 8 | 7);
}

TEST_F(LocalValidatorTest, RefusesTheSameOtpAndOlderCountersAsReplays) {
  const std::string first = otp(3, 7);
  ASSERT_EQ(verify(first).status, YubicoVerdict::ok);
  EXPECT_EQ(verify(first).status, YubicoVerdict::replayed);
  EXPECT_EQ(verify(otp(3, 6)).status, YubicoVerdict::replayed);  // older touch, same power-up
  EXPECT_EQ(verify(otp(2, 200)).status, YubicoVerdict::replayed);  // older power-up
  EXPECT_EQ(verify(otp(3, 8)).status, YubicoVerdict::ok);
  EXPECT_EQ(verify(otp(4, 0)).status, YubicoVerdict::ok);  // a new power-up starts at 0
}

TEST_F(LocalValidatorTest, RefusesAWrongPrivateIdWithoutUsingUpTheCounter) {
  const std::array<std::uint8_t, 6> other{1, 2, 3, 4, 5, 6};
  auto verdict = verify(otp(9, 0, other));
  EXPECT_EQ(verdict.status, YubicoVerdict::bad_otp);
  EXPECT_NE(verdict.detail.find("private ID"), std::string::npos);
  EXPECT_FALSE(keys_->find_key(test::kPublicId).value()->last_counter);
  EXPECT_EQ(verify(otp(1, 0)).status, YubicoVerdict::ok);
}

TEST_F(LocalValidatorTest, RefusesAnOtpUnderAnotherAesKey) {
  std::array<std::uint8_t, 16> other{};
  auto verdict = verify(otp(1, 0, test::kPrivateId, other));
  EXPECT_EQ(verdict.status, YubicoVerdict::bad_otp);
  EXPECT_NE(verdict.detail.find("valid token"), std::string::npos);
}

TEST_F(LocalValidatorTest, RefusesUnknownKeysAndJunk) {
  std::string unknown = otp(1, 0);
  unknown[0] = 'b';  // another public ID
  EXPECT_EQ(verify(unknown).status, YubicoVerdict::bad_otp);
  EXPECT_EQ(verify("123456").status, YubicoVerdict::bad_otp);
  EXPECT_EQ(verify(otp(1, 0).substr(1)).status, YubicoVerdict::bad_otp);
}

TEST_F(LocalValidatorTest, ReimportingAKeyStartsItsCountersAgain) {
  ASSERT_EQ(verify(otp(5, 5)).status, YubicoVerdict::ok);
  auto again = keys_->import_key(test::kPublicId, test::kPrivateId, test::kAesKey, now(), false);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
  ASSERT_TRUE(keys_->import_key(test::kPublicId, test::kPrivateId, test::kAesKey, now(), true));
  EXPECT_EQ(verify(otp(1, 0)).status, YubicoVerdict::ok);
}

}  // namespace
}  // namespace tfa::yubico
