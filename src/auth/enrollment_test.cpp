#include "auth/enrollment.hpp"

#include <gtest/gtest.h>

#include "auth/auth_test_db.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;

class EnrollmentTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    EnrollmentSettings settings;
    settings.issuer = "Example Cloud";
    enrollment_ = std::make_unique<Enrollment>(*factors_, *audit_, clock_, random_, settings);
    alice_ = accounts_->create_user("alice", "alice@example.com", "password", cli_).value();
    bob_ = accounts_->create_user("bob", "bob@example.com", "bob's password", cli_).value();
  }
  void TearDownServices() override { enrollment_.reset(); }

  /// The generator for the factor's codes, from the secret read back through the store.
  otp::Totp totp_of(std::int64_t factor_id) {
    auto factor = factors_->find_factor(factor_id).value();
    EXPECT_TRUE(factor.has_value());
    return otp::Totp::create(parse_totp_params(factor->params).value(), factor->secret).value();
  }
  std::string code_of(std::int64_t factor_id) { return totp_of(factor_id).code_at(now()); }
  std::string wrong_code_of(std::int64_t factor_id) {
    const auto totp = totp_of(factor_id);
    for (const char* c : {"000000", "111111", "222222", "333333"}) {
      if (!totp.verify(c, now(), {1, 1})) return c;
    }
    return "444444";
  }
  storage::FactorStatus status_of(std::int64_t factor_id) {
    return factors_->find_factor(factor_id).value().value().status;
  }

  std::unique_ptr<Enrollment> enrollment_;
  storage::User alice_;
  storage::User bob_;
};

TEST_F(EnrollmentTest, StartCreatesAPendingFactor) {
  const auto pending = enrollment_->start(alice_).value();
  EXPECT_GT(pending.factor_id, 0);
  EXPECT_EQ(pending.key.secret.size(), 20u);
  EXPECT_EQ(pending.key.issuer, "Example Cloud");
  EXPECT_EQ(pending.key.account, "alice");
  EXPECT_EQ(pending.key.kind, otp::OtpKind::totp);
  EXPECT_EQ(pending.key.digits, 6);
  EXPECT_EQ(pending.key.period, 30s);
  EXPECT_EQ(pending.key.algorithm, crypto::HashAlgorithm::sha1);

  const auto factor = factors_->find_factor(pending.factor_id).value();
  ASSERT_TRUE(factor.has_value());
  EXPECT_EQ(factor->user_id, alice_.id);
  EXPECT_EQ(factor->kind, storage::FactorKind::totp);
  EXPECT_EQ(factor->status, storage::FactorStatus::pending);
  EXPECT_TRUE(factor->secret == pending.key.secret);  // the stored secret is the one in the QR code
  ASSERT_TRUE(factor->expires_at.has_value());
  EXPECT_EQ(*factor->expires_at, now() + 15min);

  const auto uri = otp::build_key_uri(pending.key).value();
  EXPECT_EQ(uri.rfind("otpauth://totp/Example%20Cloud:alice?", 0), 0u) << uri;
}

TEST_F(EnrollmentTest, EightDigitFactorsWhenConfigured) {
  EnrollmentSettings settings;
  settings.params.digits = 8;  // login.totp_digits = 8
  Enrollment eight(*factors_, *audit_, clock_, random_, settings);
  const auto pending = eight.start(alice_).value();
  EXPECT_EQ(pending.key.digits, 8);
  const auto totp = totp_of(pending.factor_id);
  const std::string code = totp.code_at(now());
  ASSERT_EQ(code.size(), 8u);
  EXPECT_EQ(eight.confirm(alice_, pending.factor_id, code.substr(2), cli_).value(), CodeCheck::rejected)
      << "six of its eight digits are no code";
  EXPECT_EQ(eight.confirm(alice_, pending.factor_id, code, cli_).value(), CodeCheck::accepted);
  EXPECT_EQ(status_of(pending.factor_id), storage::FactorStatus::confirmed);
  EXPECT_EQ(parse_totp_params(factors_->find_factor(pending.factor_id).value()->params).value().digits, 8);
}

TEST_F(EnrollmentTest, PendingReturnsTheSameKey) {
  const auto started = enrollment_->start(alice_).value();
  const auto pending = enrollment_->pending(alice_, started.factor_id).value();
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->factor_id, started.factor_id);
  EXPECT_TRUE(pending->key.secret == started.key.secret);
  EXPECT_EQ(pending->key.account, "alice");
  EXPECT_EQ(pending->key.issuer, "Example Cloud");
}

TEST_F(EnrollmentTest, EachStartMakesANewSecret) {
  const auto a = enrollment_->start(alice_).value();
  const auto b = enrollment_->start(bob_).value();
  EXPECT_FALSE(a.key.secret == b.key.secret);
}

TEST_F(EnrollmentTest, ASecondStartReplacesThePendingFactor) {
  const auto first = enrollment_->start(alice_).value();
  const auto second = enrollment_->start(alice_).value();
  EXPECT_FALSE(first.key.secret == second.key.secret);
  // SQLite may hand the freed row id to the new factor, so the old id can name the new one;
  // what matters is that the old secret is gone.
  if (first.factor_id != second.factor_id) {
    EXPECT_EQ(factors_->find_factor(first.factor_id).value(), std::nullopt);
    EXPECT_EQ(enrollment_->pending(alice_, first.factor_id).value(), std::nullopt);
  }
  const auto old_code = otp::Totp::create({}, first.key.secret).value().code_at(now());
  if (old_code != code_of(second.factor_id)) {
    EXPECT_EQ(enrollment_->confirm(alice_, second.factor_id, old_code, browser_).value(), CodeCheck::rejected);
  }
  EXPECT_TRUE(enrollment_->pending(alice_, second.factor_id).value().has_value());
  EXPECT_EQ(factors_->factors_of(alice_.id).value().size(), 1u);
}

TEST_F(EnrollmentTest, StartDoesNotTouchConfirmedFactorsOrOtherUsers) {
  const auto first = enrollment_->start(alice_).value();
  ASSERT_EQ(enrollment_->confirm(alice_, first.factor_id, code_of(first.factor_id), browser_).value(),
            CodeCheck::accepted);
  const auto bobs = enrollment_->start(bob_).value();
  const auto second = enrollment_->start(alice_).value();
  EXPECT_EQ(status_of(first.factor_id), storage::FactorStatus::confirmed);
  EXPECT_TRUE(enrollment_->pending(bob_, bobs.factor_id).value().has_value());
  EXPECT_EQ(factors_->factors_of(alice_.id).value().size(), 2u);
  (void)second;
}

TEST_F(EnrollmentTest, WrongCodeIsRejectedAndTheFactorStaysPending) {
  const auto pending = enrollment_->start(alice_).value();
  EXPECT_EQ(enrollment_->confirm(alice_, pending.factor_id, wrong_code_of(pending.factor_id), browser_).value(),
            CodeCheck::rejected);
  EXPECT_EQ(status_of(pending.factor_id), storage::FactorStatus::pending);
  EXPECT_TRUE(enrollment_->pending(alice_, pending.factor_id).value().has_value());
  const auto events = audit_->list({alice_.id, std::nullopt, 100}).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].event, "2fa.enable");
  EXPECT_EQ(events[0].outcome, "failure");
  // The same QR code still works.
  EXPECT_EQ(enrollment_->confirm(alice_, pending.factor_id, code_of(pending.factor_id), browser_).value(),
            CodeCheck::accepted);
}

TEST_F(EnrollmentTest, RightCodeConfirmsAndIsAudited) {
  const auto pending = enrollment_->start(alice_).value();
  EXPECT_EQ(enrollment_->confirm(alice_, pending.factor_id, code_of(pending.factor_id), browser_).value(),
            CodeCheck::accepted);
  const auto factor = factors_->find_factor(pending.factor_id).value();
  ASSERT_TRUE(factor.has_value());
  EXPECT_EQ(factor->status, storage::FactorStatus::confirmed);
  EXPECT_EQ(factor->confirmed_at, now());
  // No longer pending.
  EXPECT_EQ(enrollment_->pending(alice_, pending.factor_id).value(), std::nullopt);
  const auto events = audit_->list({alice_.id, std::nullopt, 100}).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].event, "2fa.enabled");
  EXPECT_EQ(events[0].outcome, "success");
  EXPECT_EQ(events[0].client_address, "203.0.113.7");
  EXPECT_EQ(events[0].username, "alice");
}

TEST_F(EnrollmentTest, ConfirmingOnceTwoFactorIsOnIsAConflictAndLeavesTheCodeUnused) {
  const auto pending = enrollment_->start(alice_).value();
  // Meanwhile two-factor was turned on another way (a YubiKey, in another window).
  storage::NewFactor yubikey;
  yubikey.user_id = alice_.id;
  yubikey.kind = storage::FactorKind::yubico;
  yubikey.label = "YubiKey";
  yubikey.public_id = "cccccccccccb";
  yubikey.status = storage::FactorStatus::confirmed;
  ASSERT_TRUE(factors_->add_factor(yubikey, now()).has_value());
  auto refused = enrollment_->confirm(alice_, pending.factor_id, code_of(pending.factor_id), browser_);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_EQ(status_of(pending.factor_id), storage::FactorStatus::pending);
  const auto factor = factors_->find_factor(pending.factor_id).value().value();
  EXPECT_EQ(factor.last_counter, std::nullopt);  // the code was not used
}

TEST_F(EnrollmentTest, CodeFromThePreviousStepConfirms) {
  const auto pending = enrollment_->start(alice_).value();
  const auto c = totp_of(pending.factor_id).code_at(now() - 30s);
  EXPECT_EQ(enrollment_->confirm(alice_, pending.factor_id, c, browser_).value(), CodeCheck::accepted);
}

TEST_F(EnrollmentTest, ConfirmingTwiceDoesNotSucceedAgain) {
  const auto pending = enrollment_->start(alice_).value();
  const auto c = code_of(pending.factor_id);
  ASSERT_EQ(enrollment_->confirm(alice_, pending.factor_id, c, browser_).value(), CodeCheck::accepted);
  // The factor it confirmed has turned two-factor on.
  auto again = enrollment_->confirm(alice_, pending.factor_id, c, browser_);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
}

TEST_F(EnrollmentTest, ExpiredEnrollmentIsGone) {
  const auto pending = enrollment_->start(alice_).value();
  clock_.advance(16min);
  EXPECT_EQ(enrollment_->pending(alice_, pending.factor_id).value(), std::nullopt);
  // And cannot be confirmed, even with the right code for the current time.
  EXPECT_EQ(enrollment_->confirm(alice_, pending.factor_id, code_of(pending.factor_id), browser_).value(),
            CodeCheck::rejected);
  EXPECT_EQ(status_of(pending.factor_id), storage::FactorStatus::pending);
}

TEST_F(EnrollmentTest, StillThereJustBeforeExpiry) {
  const auto pending = enrollment_->start(alice_).value();
  clock_.advance(15min - 1s);
  EXPECT_TRUE(enrollment_->pending(alice_, pending.factor_id).value().has_value());
}

TEST_F(EnrollmentTest, AnotherUsersFactorIsNotFound) {
  const auto bobs = enrollment_->start(bob_).value();
  EXPECT_EQ(enrollment_->pending(alice_, bobs.factor_id).value(), std::nullopt);
  auto confirmed = enrollment_->confirm(alice_, bobs.factor_id, code_of(bobs.factor_id), browser_);
  ASSERT_FALSE(confirmed.has_value());
  EXPECT_EQ(confirmed.error().code, Errc::not_found);
  EXPECT_EQ(status_of(bobs.factor_id), storage::FactorStatus::pending);
  // Bob's enrollment is untouched: his code still confirms.
  EXPECT_EQ(enrollment_->confirm(bob_, bobs.factor_id, code_of(bobs.factor_id), browser_).value(),
            CodeCheck::accepted);
}

TEST_F(EnrollmentTest, UnknownFactorIsNotFound) {
  EXPECT_EQ(enrollment_->pending(alice_, 9999).value(), std::nullopt);
  auto confirmed = enrollment_->confirm(alice_, 9999, "123456", browser_);
  ASSERT_FALSE(confirmed.has_value());
  EXPECT_EQ(confirmed.error().code, Errc::not_found);
}

}  // namespace
}  // namespace tfa::auth
