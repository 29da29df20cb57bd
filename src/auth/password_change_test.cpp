#include "auth/password_change.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/auth_test_db.hpp"
#include "auth/login_flow.hpp"
#include "storage/sql/sql_api_token_store.hpp"
#include "storage/sql/sql_email_token_store.hpp"
#include "testing/recording_notifier.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;

class PasswordChangeTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
    api_tokens_ = std::make_unique<storage::sql::SqlApiTokenStore>(*database_);
    email_tokens_ = std::make_unique<storage::sql::SqlEmailTokenStore>(*database_);
    notices_ = std::make_unique<Notices>(notifier_, clock_, NoticeSettings{"Example Cloud", ""});
    changer_ = std::make_unique<PasswordChanger>(
        *accounts_, *throttle_, PasswordChangeStores{*users_, *sessions_, *api_tokens_, *email_tokens_, *audit_, *database_},
        clock_, notices_.get(), LoginSettings{}.password_per_account);
    alice_ = accounts_->create_user("alice", "alice@example.com", "old password", cli_).value();
    bob_ = accounts_->create_user("bob", "bob@example.com", "bob's password", cli_).value();
  }
  void TearDownServices() override {
    changer_.reset();
    notices_.reset();
    throttle_.reset();
    api_tokens_.reset();
    email_tokens_.reset();
  }

  void add_session(const storage::User& user, std::uint8_t id) {
    storage::Session session;
    session.id_hash = std::vector<std::uint8_t>(32, id);
    session.user_id = user.id;
    session.stage = "signed_in";
    session.data = "{}";
    session.created_at = session.last_seen_at = now();
    session.expires_at = now() + 1h;
    ASSERT_TRUE(sessions_->create_session(session).has_value());
  }
  void add_api_token(const storage::User& user, storage::ApiTokenKind kind, std::uint8_t id) {
    storage::ApiToken token;
    token.user_id = user.id;
    token.kind = kind;
    token.name = kind == storage::ApiTokenKind::key ? "deploy script" : "";
    token.token_hash = std::vector<std::uint8_t>(32, id);
    token.created_at = now();
    token.expires_at = now() + 1h;
    ASSERT_TRUE(api_tokens_->add_api_token(token).has_value());
  }
  bool api_token_exists(std::uint8_t id) {
    return api_tokens_->find_api_token(std::vector<std::uint8_t>(32, id), now()).value().has_value();
  }
  bool session_exists(std::uint8_t id) {
    return sessions_->find_session(std::vector<std::uint8_t>(32, id), now()).value().has_value();
  }
  PasswordChange change(std::string_view current, std::string_view replacement) {
    return changer_->change(alice_, current, replacement, browser_).value();
  }
  bool signs_in(std::string_view password) {
    return accounts_->check_password("alice", password).value().has_value();
  }

  testing::RecordingNotifier notifier_;
  std::unique_ptr<Throttle> throttle_;
  std::unique_ptr<storage::sql::SqlApiTokenStore> api_tokens_;
  std::unique_ptr<storage::sql::SqlEmailTokenStore> email_tokens_;
  std::unique_ptr<Notices> notices_;
  std::unique_ptr<PasswordChanger> changer_;
  storage::User alice_;
  storage::User bob_;
};

TEST_F(PasswordChangeTest, TheRightCurrentPasswordChangesItEndsEverySessionAndMailsTheOwner) {
  add_session(alice_, 1);
  add_session(alice_, 2);
  add_session(bob_, 3);
  add_api_token(alice_, storage::ApiTokenKind::session, 4);
  add_api_token(alice_, storage::ApiTokenKind::key, 5);
  add_api_token(bob_, storage::ApiTokenKind::session, 6);
  const auto changed = change("old password", "a new passphrase");
  EXPECT_EQ(changed.outcome, PasswordChange::changed);
  EXPECT_EQ(changed.sessions_ended, 2);
  EXPECT_EQ(changed.tokens_revoked, 2);
  EXPECT_TRUE(signs_in("a new passphrase"));
  EXPECT_FALSE(signs_in("old password"));
  EXPECT_FALSE(session_exists(1));
  EXPECT_FALSE(session_exists(2));
  EXPECT_TRUE(session_exists(3)) << "another account's session stays";
  EXPECT_FALSE(api_token_exists(4)) << "an API sign-in ends like a console session";
  EXPECT_FALSE(api_token_exists(5)) << "an API key made with the old password ends too";
  EXPECT_TRUE(api_token_exists(6)) << "another account's API sign-in stays";
  const auto mail = notifier_.sent();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].to, "alice@example.com");
  EXPECT_EQ(mail[0].subject, "Example Cloud: your password was changed");
  const auto events = audit_->list({alice_.id, std::nullopt, 10}).value();
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [&](const auto& e) {
    return e.event == "user.password_changed" && e.client_address == browser_.client_address &&
           e.detail == "from the security settings; 2 sessions and 2 API tokens ended";
  }));
}

TEST_F(PasswordChangeTest, ANewPasswordEndsTheMailedRecoveryTokens) {
  // Someone typed the old password and had a "Lost your device?" token mailed; the owner,
  // warned by that mail, changes the password. The token must not work after that.
  const std::vector<std::uint8_t> alices(32, 7), bobs(32, 8);
  ASSERT_TRUE(email_tokens_->add_email_token({alice_.id, "disable_2fa", alices, now() + 15min}, now()));
  ASSERT_TRUE(email_tokens_->add_email_token({bob_.id, "disable_2fa", bobs, now() + 15min}, now()));
  ASSERT_EQ(change("old password", "a new passphrase").outcome, PasswordChange::changed);
  EXPECT_TRUE(email_tokens_->find_email_token(alices).value()->used_at.has_value());
  EXPECT_FALSE(email_tokens_->find_email_token(bobs).value()->used_at.has_value()) << "another account's";
}

TEST_F(PasswordChangeTest, AWrongCurrentPasswordChangesNothingAndIsThrottled) {
  add_session(alice_, 1);
  for (int i = 0; i < 5; ++i) {
    const auto result = change("wrong password", "a new passphrase");
    EXPECT_EQ(result.outcome, PasswordChange::wrong_password) << i;
    EXPECT_EQ(result.retry_after, 0s) << i;
  }
  EXPECT_EQ(change("wrong password", "a new passphrase").retry_after, 2s);
  const auto blocked = change("old password", "a new passphrase");
  EXPECT_EQ(blocked.outcome, PasswordChange::throttled) << "even the right password waits";
  EXPECT_EQ(blocked.retry_after, 2s);
  EXPECT_TRUE(signs_in("old password"));
  EXPECT_TRUE(session_exists(1));
  EXPECT_TRUE(notifier_.sent().empty());
  const auto events = audit_->list({alice_.id, std::nullopt, 10}).value();
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const auto& e) {
              return e.event == "user.password_change" && e.outcome == "failure";
            }), 6);
  EXPECT_EQ(events.front().event, "user.password_change");
  EXPECT_EQ(events.front().outcome, "throttled");
  clock_.advance(2s);
  EXPECT_EQ(change("old password", "a new passphrase").outcome, PasswordChange::changed);
}

TEST_F(PasswordChangeTest, ANewPasswordThatBreaksTheRulesChangesNothingAndCostsNoAttempt) {
  add_session(alice_, 1);
  const auto result = change("old password", "short");
  EXPECT_EQ(result.outcome, PasswordChange::rejected);
  EXPECT_EQ(result.problem, "the password must have at least 8 characters");
  // Checked before the current password: a mistyped current one with a short new one is not
  // a guess.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(change("wrong password", "short").outcome, PasswordChange::rejected);
  }
  EXPECT_EQ(change("wrong password", "a new passphrase").retry_after, 0s) << "the limit is untouched";
  EXPECT_TRUE(signs_in("old password"));
  EXPECT_TRUE(session_exists(1));
  EXPECT_TRUE(notifier_.sent().empty());
}

// "Change password" and the re-confirmation before 2FA changes guess the same password: one
// counter for both, so neither doubles the guesses the other allows.
TEST_F(PasswordChangeTest, TheLimitIsSharedWithThePasswordReconfirmation) {
  const auto policy = LoginSettings{}.password_per_account;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(throttle_->failure(account_key(alice_.id, "password"), policy));
  EXPECT_EQ(change("wrong password", "a new passphrase").retry_after, 2s)
      << "the sixth failure of the account";
  EXPECT_EQ(change("old password", "a new passphrase").outcome, PasswordChange::throttled);
}

TEST_F(PasswordChangeTest, AnAdministratorSetsItWithoutTheCurrentOneAndEndsEverySession) {
  add_session(alice_, 1);
  add_api_token(alice_, storage::ApiTokenKind::key, 2);
  EXPECT_EQ(changer_->set_by_administrator(alice_, "short", cli_).value().outcome, PasswordChange::rejected);
  EXPECT_TRUE(signs_in("old password"));
  EXPECT_TRUE(session_exists(1));
  const auto set = changer_->set_by_administrator(alice_, "set by the desk", cli_).value();
  EXPECT_EQ(set.outcome, PasswordChange::changed);
  EXPECT_EQ(set.sessions_ended, 1);
  EXPECT_EQ(set.tokens_revoked, 1);
  EXPECT_TRUE(signs_in("set by the desk"));
  EXPECT_FALSE(session_exists(1));
  EXPECT_FALSE(api_token_exists(2));
  EXPECT_TRUE(notifier_.sent().empty()) << "no mail, like the desk's other commands";
  const auto events = audit_->list({alice_.id, std::nullopt, 1}).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "user.password_changed");
  EXPECT_EQ(events[0].detail, "by an administrator; 1 sessions and 1 API tokens ended");
}

TEST_F(PasswordChangeTest, AnotherAccountsPasswordDoesNotCount) {
  EXPECT_EQ(change("bob's password", "a new passphrase").outcome, PasswordChange::wrong_password);
  EXPECT_TRUE(signs_in("old password"));
}

}  // namespace
}  // namespace tfa::auth
