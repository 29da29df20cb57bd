#include "auth/recovery.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "auth/auth_test_db.hpp"
#include "storage/sql/sql_backup_code_store.hpp"
#include "storage/sql/sql_email_token_store.hpp"
#include "testing/recording_notifier.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;

class RecoveryTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    tokens_ = std::make_unique<storage::sql::SqlEmailTokenStore>(*database_);
    codes_ = std::make_unique<storage::sql::SqlBackupCodeStore>(*database_);
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
    notices_ = std::make_unique<Notices>(notifier_, clock_, NoticeSettings{"Example Cloud", "https://console.example.com"});
    recovery_ = std::make_unique<Recovery>(*tokens_, *users_, *audit_, *throttle_, *notices_, clock_, random_);
    alice_ = accounts_->create_user("alice", "alice@example.com", "password", cli_).value();
    bob_ = accounts_->create_user("bob", "bob@example.com", "password2", cli_).value();
    give_second_factor(alice_);
    give_second_factor(bob_);
  }
  void TearDownServices() override {
    recovery_.reset();
    notices_.reset();
    throttle_.reset();
    codes_.reset();
    tokens_.reset();
  }

  void give_second_factor(const storage::User& user) {
    SecretBytes secret(20);
    storage::NewFactor factor;
    factor.user_id = user.id;
    factor.params = R"({"algorithm":"SHA1","digits":6,"period":30})";
    factor.secret = &secret;
    factor.status = storage::FactorStatus::confirmed;
    ASSERT_TRUE(factors_->add_factor(factor, now()).has_value());
    ASSERT_TRUE(codes_->replace_backup_codes(user.id, {storage::CodeHash(32, 1)}, now()).has_value());
  }
  bool has_factors(const storage::User& user) { return !factors_->factors_of(user.id).value().empty(); }

  /// Asks for the mail and takes the token out of it, as the user would.
  std::string mailed_token(const storage::User& user) {
    EXPECT_EQ(recovery_->request_disable(user, browser_).value().outcome, RecoveryRequest::sent);
    const auto mail = notifier_.sent();
    EXPECT_FALSE(mail.empty());
    std::smatch match;
    const std::string text = mail.back().text;
    EXPECT_TRUE(std::regex_search(text, match, std::regex("token=([A-Za-z0-9_-]{43})")));
    return match[1];
  }

  testing::RecordingNotifier notifier_;
  std::unique_ptr<storage::sql::SqlEmailTokenStore> tokens_;
  std::unique_ptr<storage::sql::SqlBackupCodeStore> codes_;
  std::unique_ptr<Throttle> throttle_;
  std::unique_ptr<Notices> notices_;
  std::unique_ptr<Recovery> recovery_;
  storage::User alice_;
  storage::User bob_;
};

TEST_F(RecoveryTest, TheMailedTokenTurnsTwoFactorOffOnce) {
  const std::string token = mailed_token(alice_);
  const auto mail = notifier_.sent().back();
  EXPECT_EQ(mail.to, "alice@example.com");
  EXPECT_NE(mail.text.find("https://console.example.com/login/recover?token=" + token), std::string::npos);
  EXPECT_NE(mail.text.find("\n" + token + "\n"), std::string::npos) << "the token to paste, on a line of its own";

  auto redeemed = recovery_->redeem_disable(" " + token + "\n", alice_.id, browser_).value();
  EXPECT_EQ(redeemed.outcome, RecoveryRedeem::disabled);
  EXPECT_EQ(redeemed.user_id, alice_.id);
  EXPECT_FALSE(has_factors(alice_));
  EXPECT_EQ(codes_->unused_backup_codes(alice_.id).value(), 0);
  EXPECT_NE(notifier_.sent().back().subject.find("turned off"), std::string::npos);

  EXPECT_EQ(recovery_->redeem_disable(token, alice_.id, browser_).value().outcome, RecoveryRedeem::used);
}

TEST_F(RecoveryTest, ATokenWorksWithoutASignInInProgressForItsOwner) {
  const std::string token = mailed_token(alice_);
  auto redeemed = recovery_->redeem_disable(token, std::nullopt, browser_).value();
  EXPECT_EQ(redeemed.outcome, RecoveryRedeem::disabled);
  EXPECT_EQ(redeemed.user_id, alice_.id);
}

TEST_F(RecoveryTest, AnExpiredTokenChangesNothing) {
  const std::string token = mailed_token(alice_);
  clock_.advance(15min);
  EXPECT_EQ(recovery_->redeem_disable(token, alice_.id, browser_).value().outcome, RecoveryRedeem::expired);
  EXPECT_TRUE(has_factors(alice_));
  // Refused under the owner's name, so that the owner's own audit listing shows it.
  storage::AuditQuery query;
  query.username = "alice";
  query.event = "recovery.redeemed";
  const auto refused = audit_->list(query).value();
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused.front().outcome, "failure");
  EXPECT_EQ(refused.front().user_id, alice_.id);
}

TEST_F(RecoveryTest, AnotherUsersTokenChangesNothing) {
  const std::string token = mailed_token(bob_);
  EXPECT_EQ(recovery_->redeem_disable(token, alice_.id, browser_).value().outcome, RecoveryRedeem::other_user);
  EXPECT_TRUE(has_factors(alice_));
  EXPECT_TRUE(has_factors(bob_));
}

TEST_F(RecoveryTest, JunkAndUnknownTokensAreInvalid) {
  EXPECT_EQ(recovery_->redeem_disable("", alice_.id, browser_).value().outcome, RecoveryRedeem::invalid);
  EXPECT_EQ(recovery_->redeem_disable("not a token", alice_.id, browser_).value().outcome, RecoveryRedeem::invalid);
  EXPECT_EQ(recovery_->redeem_disable(std::string(43, 'A'), alice_.id, browser_).value().outcome,
            RecoveryRedeem::invalid);
  EXPECT_TRUE(has_factors(alice_));
}

TEST_F(RecoveryTest, GuessingTokensIsThrottledPerAddress) {
  for (int i = 0; i < 10; ++i) (void)recovery_->redeem_disable(std::string(43, 'B'), std::nullopt, browser_);
  (void)recovery_->redeem_disable(std::string(43, 'B'), std::nullopt, browser_);
  const std::string token = mailed_token(alice_);
  auto blocked = recovery_->redeem_disable(token, alice_.id, browser_).value();
  EXPECT_EQ(blocked.outcome, RecoveryRedeem::throttled);
  EXPECT_GT(blocked.retry_after.count(), 0);
  EXPECT_TRUE(has_factors(alice_));
  Actor elsewhere{"198.51.100.1", "Firefox"};
  EXPECT_EQ(recovery_->redeem_disable(token, alice_.id, elsewhere).value().outcome, RecoveryRedeem::disabled);
}

TEST_F(RecoveryTest, BlankFormsAreRefusedWithoutCounting) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(recovery_->redeem_disable(i % 2 ? "" : " \r\n", alice_.id, browser_).value().outcome,
              RecoveryRedeem::invalid);
  }
  const std::string token = mailed_token(alice_);
  EXPECT_EQ(recovery_->redeem_disable(token, alice_.id, browser_).value().outcome, RecoveryRedeem::disabled);
}

TEST_F(RecoveryTest, OnlyThreeMailsAnHourPerAccount) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(recovery_->request_disable(alice_, browser_).value().outcome, RecoveryRequest::sent);
  }
  EXPECT_EQ(recovery_->request_disable(alice_, browser_).value().outcome, RecoveryRequest::throttled);
  EXPECT_EQ(notifier_.sent().size(), 3u);
  EXPECT_EQ(recovery_->request_disable(bob_, browser_).value().outcome, RecoveryRequest::sent);
  clock_.advance(61min);
  EXPECT_EQ(recovery_->request_disable(alice_, browser_).value().outcome, RecoveryRequest::sent);
}

}  // namespace
}  // namespace tfa::auth
