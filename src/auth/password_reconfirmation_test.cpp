#include "auth/password_reconfirmation.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/auth_test_db.hpp"
#include "auth/login_flow.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;

class PasswordReconfirmationTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
    reconfirmation_ = std::make_unique<PasswordReconfirmation>(*accounts_, *throttle_, *audit_, *database_, clock_,
                                                               LoginSettings{}.password_per_account);
    alice_ = accounts_->create_user("alice", "alice@example.com", "alice's password", cli_).value();
    bob_ = accounts_->create_user("bob", "bob@example.com", "bob's password", cli_).value();
  }
  void TearDownServices() override {
    reconfirmation_.reset();
    throttle_.reset();
  }

  Reconfirmation confirm(const std::string& password) {
    return reconfirmation_->confirm(alice_, password, browser_).value();
  }
  long audited(std::string_view outcome) {
    const auto events = audit_->list({alice_.id, std::nullopt, 50}).value();
    return std::count_if(events.begin(), events.end(),
                         [&](const auto& e) { return e.event == "user.reauth" && e.outcome == outcome; });
  }

  std::unique_ptr<Throttle> throttle_;
  std::unique_ptr<PasswordReconfirmation> reconfirmation_;
  storage::User alice_;
  storage::User bob_;
};

TEST_F(PasswordReconfirmationTest, TheRightPasswordIsConfirmed) {
  EXPECT_EQ(confirm("alice's password").outcome, Reconfirmation::confirmed);
  EXPECT_EQ(audited("failure"), 0);
}

TEST_F(PasswordReconfirmationTest, WrongPasswordsAreCountedAuditedAndThenThrottled) {
  for (int i = 0; i < 6; ++i) EXPECT_EQ(confirm("wrong").outcome, Reconfirmation::wrong_password) << i;
  const auto blocked = confirm("alice's password");
  EXPECT_EQ(blocked.outcome, Reconfirmation::throttled) << "even the right password waits";
  EXPECT_GT(blocked.retry_after, 0s);
  EXPECT_EQ(audited("failure"), 6);
  EXPECT_EQ(audited("throttled"), 1);
  const auto events = audit_->list({alice_.id, std::nullopt, 1}).value();
  EXPECT_EQ(events.front().client_address, browser_.client_address);
  clock_.advance(blocked.retry_after);
  EXPECT_EQ(confirm("alice's password").outcome, Reconfirmation::confirmed);
  EXPECT_EQ(throttle_->failures(account_key(alice_.id, "password"), LoginSettings{}.password_per_account).value(), 0)
      << "a right password clears the count";
}

TEST_F(PasswordReconfirmationTest, AnotherAccountsPasswordIsWrong) {
  EXPECT_EQ(confirm("bob's password").outcome, Reconfirmation::wrong_password);
}

}  // namespace
}  // namespace tfa::auth
