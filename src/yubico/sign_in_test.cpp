// A YubiKey at sign-in, through LoginFlow with local validation: the OTP signs in once, a key
// of another account or a forged OTP does not, its throttle is its own (a flood of wrong TOTP
// codes does not block the owner's YubiKey), and a series of refused OTPs after the right
// password tells the owner.
#include "auth/login_flow.hpp"
#include "auth/notices.hpp"
#include "storage/sql/open_transaction.hpp"
#include "testing/recording_notifier.hpp"
#include "yubico/local_validator.hpp"
#include "yubico/yubico_test_fixture.hpp"

namespace tfa::yubico {
namespace {

/// A validator that notes whether it was asked inside a transaction of `database`.
class WatchedValidator final : public auth::YubicoValidator {
 public:
  WatchedValidator(auth::YubicoValidator& inner, const storage::sql::Database& database)
      : inner_(inner), database_(database) {}
  Result<auth::YubicoVerdict> verify(std::string_view otp) override {
    ++asked;
    if (storage::sql::open_on_this_thread(&database_) != nullptr) ++asked_in_transaction;
    return inner_.verify(otp);
  }
  int asked = 0;
  int asked_in_transaction = 0;

 private:
  auth::YubicoValidator& inner_;
  const storage::sql::Database& database_;
};

class YubiKeySignInTest : public test::YubicoTest {
 protected:
  void SetUp() override {
    YubicoTest::SetUp();
    throttle_ = std::make_unique<auth::Throttle>(*throttle_store_, clock_);
    devices_ = std::make_unique<auth::TrustedDevices>(*devices_store_, *audit_, clock_, random_, std::chrono::days(7));
    notices_ = std::make_unique<auth::Notices>(mail_, clock_, auth::NoticeSettings{});
    validator_ = std::make_unique<LocalValidator>(*keys_);
    watched_ = std::make_unique<WatchedValidator>(*validator_, *database_);
    yubikeys_ = std::make_unique<auth::YubiKeys>(*factors_, *audit_, *watched_, clock_, notices_.get());
    // The database's own transaction scopes, as the server uses them.
    auth::LoginSettings settings;
    settings.code_in_password = true;
    flow_ = std::make_unique<auth::LoginFlow>(*accounts_, *factors_, *audit_, *throttle_, *devices_, clock_,
                                              settings, nullptr, *database_, notices_.get(), yubikeys_.get());
    alice_ = accounts_->create_user("alice", "alice@example.com", "password", cli_).value();
    bob_ = accounts_->create_user("bob", "bob@example.com", "bob's password", cli_).value();
  }
  void TearDownServices() override {
    flow_.reset();
    yubikeys_.reset();
    watched_.reset();
    validator_.reset();
    notices_.reset();
    devices_.reset();
    throttle_.reset();
    YubicoTest::TearDownServices();
  }

  auth::CodeStep submit(const storage::User& user, const std::string& code) {
    return flow_->submit_code(user, code, browser_).value();
  }
  bool has_event(const storage::User& user, std::string_view event, std::string_view outcome) {
    const auto events = audit_->list({user.id, std::nullopt, 1000}).value();
    for (const auto& e : events) {
      if (e.event == event && e.outcome == outcome) return true;
    }
    return false;
  }

  testing::RecordingNotifier mail_;
  std::unique_ptr<auth::Throttle> throttle_;
  std::unique_ptr<auth::TrustedDevices> devices_;
  std::unique_ptr<auth::Notices> notices_;
  std::unique_ptr<LocalValidator> validator_;
  std::unique_ptr<WatchedValidator> watched_;
  std::unique_ptr<auth::YubiKeys> yubikeys_;
  std::unique_ptr<auth::LoginFlow> flow_;
  storage::User alice_, bob_;
};

TEST_F(YubiKeySignInTest, ARegisteredKeySignsInOnceAndTurnsTwoFactorOn) {
  auto added = yubikeys_->add(alice_, otp(1, 1), "  Desk key ", browser_).value();
  ASSERT_EQ(added.outcome, auth::YubiKeyAdded::added);
  EXPECT_TRUE(added.first_factor);
  EXPECT_EQ(factors_->find_factor(added.factor_id).value()->label, "Desk key");
  EXPECT_TRUE(has_event(alice_, "yubikey.added", "success"));
  EXPECT_TRUE(has_event(alice_, "2fa.enabled", "success"));
  ASSERT_EQ(mail_.sent().size(), 1u);
  EXPECT_NE(mail_.sent()[0].subject.find("turned on"), std::string::npos);

  auto step = flow_->submit_password("alice", "password", std::nullopt, std::nullopt, browser_).value();
  EXPECT_EQ(step.outcome, auth::PasswordOutcome::needs_code);
  const std::string touch = otp(1, 2);
  auto accepted = submit(alice_, touch);
  EXPECT_EQ(accepted.outcome, auth::CodeStep::accepted);
  EXPECT_TRUE(accepted.by_yubikey);
  EXPECT_TRUE(has_event(alice_, "signin.yubikey", "success"));
  EXPECT_EQ(submit(alice_, touch).outcome, auth::CodeStep::rejected);
  EXPECT_TRUE(has_event(alice_, "signin.yubikey", "replayed"));
  EXPECT_EQ(submit(alice_, otp(1, 3)).outcome, auth::CodeStep::accepted);
}

// A remote validator may take seconds: it is never asked while a transaction holds the
// database (on SQLite, the one writer), neither at the code step nor with the password.
TEST_F(YubiKeySignInTest, TheValidatorIsAskedOutsideEveryTransaction) {
  ASSERT_EQ(yubikeys_->add(alice_, otp(1, 1), "", browser_).value().outcome, auth::YubiKeyAdded::added);
  EXPECT_EQ(submit(alice_, otp(1, 2)).outcome, auth::CodeStep::accepted);
  const std::string with_password = otp(1, 3);
  auto step = flow_->submit_password("alice", "password", std::string_view(with_password), std::nullopt, browser_).value();
  EXPECT_EQ(step.outcome, auth::PasswordOutcome::signed_in);
  EXPECT_TRUE(step.by_code);
  EXPECT_EQ(watched_->asked, 3);
  EXPECT_EQ(watched_->asked_in_transaction, 0);
  // An OTP of a key that is not alice's is not sent to the validator at all.
  EXPECT_EQ(submit(bob_, otp(1, 4)).outcome, auth::CodeStep::rejected);
  EXPECT_EQ(watched_->asked, 3);
}

TEST_F(YubiKeySignInTest, LabelsAreTrimmedToSixtyFourCharactersOfValidUtf8) {
  std::string label = "  ";
  for (int i = 0; i < 70; ++i) label += "\xc3\xa9";  // é, two bytes each
  auto added = yubikeys_->add(alice_, otp(1, 1), label, browser_).value();
  ASSERT_EQ(added.outcome, auth::YubiKeyAdded::added);
  std::string expected;
  for (int i = 0; i < 64; ++i) expected += "\xc3\xa9";
  EXPECT_EQ(factors_->find_factor(added.factor_id).value()->label, expected);

  auto second = yubikeys_->add(bob_, otp(1, 2), "a\xff\xc3\x28" "b\x01\xed\xa0\x80" "c", browser_);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->outcome, auth::YubiKeyAdded::taken) << "the same key; the label is what matters here";
  const std::array<std::uint8_t, 16> other_key{1};
  ASSERT_TRUE(keys_->import_key("vvccccbbbbbb", test::kPrivateId, other_key, now(), false));
  otp::YubicoToken token;
  std::copy(test::kPrivateId.begin(), test::kPrivateId.end(), token.private_id.begin());
  token.usage_counter = 1;
  token.session_counter = 1;
  auto bobs = yubikeys_->add(bob_, otp::make_yubico_otp("vvccccbbbbbb", token, other_key).value(),
                             "a\xff\xc3\x28" "b\x01\xed\xa0\x80" "c", browser_).value();
  ASSERT_EQ(bobs.outcome, auth::YubiKeyAdded::added);
  EXPECT_EQ(factors_->find_factor(bobs.factor_id).value()->label, "a(bc");
}

TEST_F(YubiKeySignInTest, AKeyImportedAgainWithReplaceStillSignsItsAccountIn) {
  ASSERT_EQ(yubikeys_->add(alice_, otp(5, 5), "", browser_).value().outcome, auth::YubiKeyAdded::added);
  // Programmed anew: the counters start again.
  ASSERT_TRUE(keys_->import_key(test::kPublicId, test::kPrivateId, test::kAesKey, now(), true));
  EXPECT_EQ(submit(alice_, otp(1, 1)).outcome, auth::CodeStep::accepted);
}

TEST_F(YubiKeySignInTest, TheRegistrationOtpCannotSignIn) {
  const std::string touch = otp(1, 1);
  ASSERT_EQ(yubikeys_->add(alice_, touch, "", browser_).value().outcome, auth::YubiKeyAdded::added);
  EXPECT_EQ(submit(alice_, touch).outcome, auth::CodeStep::rejected);
}

TEST_F(YubiKeySignInTest, AKeyRegisteredToAnotherAccountIsRefusedWithoutUsingItUp) {
  ASSERT_EQ(yubikeys_->add(bob_, otp(1, 1), "", browser_).value().outcome, auth::YubiKeyAdded::added);
  EXPECT_EQ(yubikeys_->add(alice_, otp(1, 2), "", browser_).value().outcome, auth::YubiKeyAdded::taken);
  const std::string bobs = otp(1, 3);
  EXPECT_EQ(submit(alice_, bobs).outcome, auth::CodeStep::rejected);
  EXPECT_EQ(submit(bob_, bobs).outcome, auth::CodeStep::accepted) << "alice's attempt used up nothing";
}

TEST_F(YubiKeySignInTest, RefusedOtpsHaveTheirOwnThrottleAndTellTheOwner) {
  ASSERT_EQ(yubikeys_->add(alice_, otp(1, 1), "", browser_).value().outcome, auth::YubiKeyAdded::added);
  const std::array<std::uint8_t, 16> wrong_key{};
  const auth::LoginSettings settings;
  // Wrong TOTP-shaped codes block the TOTP step only.
  for (int i = 0; i <= settings.code_per_account.free_failures; ++i) submit(alice_, "123456");
  EXPECT_EQ(submit(alice_, "123456").outcome, auth::CodeStep::throttled);
  EXPECT_EQ(submit(alice_, otp(1, 2)).outcome, auth::CodeStep::accepted);

  const auto mails_before = mail_.sent().size();
  for (int i = 0; i <= settings.yubikey_per_account.free_failures; ++i) {
    EXPECT_EQ(submit(alice_, otp(1, 10, test::kPrivateId, wrong_key)).outcome, auth::CodeStep::rejected);
  }
  auto blocked = submit(alice_, otp(1, 20));
  EXPECT_EQ(blocked.outcome, auth::CodeStep::throttled);
  EXPECT_GT(blocked.retry_after.count(), 0);
  EXPECT_TRUE(has_event(alice_, "signin.yubikey", "throttled"));
  ASSERT_EQ(mail_.sent().size(), mails_before + 1);
  EXPECT_NE(mail_.sent().back().subject.find("password"), std::string::npos);
  // The blocked attempt used up nothing: once the block is over, that OTP still works.
  clock_.advance(blocked.retry_after + std::chrono::seconds(1));
  EXPECT_EQ(submit(alice_, otp(1, 20)).outcome, auth::CodeStep::accepted);
}

TEST_F(YubiKeySignInTest, RemovingKeys) {
  auto first = yubikeys_->add(alice_, otp(1, 1), "one", browser_).value();
  auto only = yubikeys_->remove(alice_, first.factor_id, browser_);
  ASSERT_FALSE(only);
  EXPECT_EQ(only.error().code, Errc::conflict);
  EXPECT_EQ(yubikeys_->remove(bob_, first.factor_id, browser_).error().code, Errc::not_found);

  // With another second factor (an authenticator app) the key may go.
  storage::NewFactor totp;
  totp.user_id = alice_.id;
  totp.kind = storage::FactorKind::totp;
  totp.status = storage::FactorStatus::confirmed;
  SecretBytes secret(20);
  totp.secret = &secret;
  ASSERT_TRUE(factors_->add_factor(totp, now()));
  ASSERT_TRUE(yubikeys_->remove(alice_, first.factor_id, browser_));
  EXPECT_TRUE(has_event(alice_, "yubikey.removed", "success"));
  EXPECT_NE(mail_.sent().back().subject.find("removed"), std::string::npos);
  EXPECT_EQ(submit(alice_, otp(1, 2)).outcome, auth::CodeStep::rejected);
}

}  // namespace
}  // namespace tfa::yubico
