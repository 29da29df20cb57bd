#include "auth/account_service.hpp"

#include "auth/auth_test_db.hpp"

namespace tfa::auth {
namespace {


// A real SQLite database with every store; see auth_test_db.hpp.
using AccountServiceTest = test::AuthDbTest;

TEST_F(AccountServiceTest, CreatesAUserWithAnArgon2idHashAndAnAuditEvent) {
  const auto user = accounts_->create_user("alice", "alice@example.com", "correct horse", cli_).value();
  EXPECT_EQ(user.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(user.password_hash.find("correct horse"), std::string::npos);
  const auto events = audit_->list({user.id, std::nullopt, 10}).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "user.created");
  EXPECT_EQ(events[0].user_agent, "tfa-cli");
}

TEST_F(AccountServiceTest, RefusesBadInputAndChangesNothing) {
  EXPECT_EQ(accounts_->create_user("a b", "a@example.com", "long enough", cli_).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(accounts_->create_user("alice", "nope", "long enough", cli_).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(accounts_->create_user("alice", "a@example.com", "short", cli_).error().code,
            Errc::invalid_argument);
  EXPECT_TRUE(accounts_->list().value().empty());
  EXPECT_TRUE(audit_->list({}).value().empty());
}

TEST_F(AccountServiceTest, DuplicateNamesConflict) {
  ASSERT_TRUE(accounts_->create_user("alice", "a@example.com", "long enough", cli_));
  auto again = accounts_->create_user("Alice", "b@example.com", "long enough", cli_);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
}

TEST_F(AccountServiceTest, ChecksPasswordsAndTreatsUnknownAndDisabledUsersAlike) {
  ASSERT_TRUE(accounts_->create_user("alice", "a@example.com", "long enough", cli_));
  EXPECT_TRUE(accounts_->check_password("alice", "long enough").value().has_value());
  EXPECT_TRUE(accounts_->check_password("ALICE", "long enough").value().has_value());
  EXPECT_FALSE(accounts_->check_password("alice", "wrong password").value().has_value());
  EXPECT_FALSE(accounts_->check_password("nobody", "long enough").value().has_value());
  ASSERT_TRUE(accounts_->set_disabled("alice", true, cli_));
  EXPECT_FALSE(accounts_->check_password("alice", "long enough").value().has_value());
  ASSERT_TRUE(accounts_->set_disabled("alice", false, cli_));
  EXPECT_TRUE(accounts_->check_password("alice", "long enough").value().has_value());
}

TEST_F(AccountServiceTest, RehashesOnTheNextSignInWhenParametersChange) {
  ASSERT_TRUE(accounts_->create_user("alice", "a@example.com", "long enough", cli_));
  const auto old_hash = users_->find_user_by_name("alice").value()->password_hash;
  EXPECT_NE(old_hash.find("m=8,t=1"), std::string::npos);

  const auto stronger = crypto::PasswordHasher::create({2, 16}).value();
  auto upgraded = AccountService::create({*users_, *factors_, *audit_}, stronger, clock_, 8).value();
  EXPECT_FALSE(upgraded.check_password("alice", "wrong password").value().has_value());
  EXPECT_EQ(users_->find_user_by_name("alice").value()->password_hash, old_hash)
      << "a wrong password changes nothing";
  ASSERT_TRUE(upgraded.check_password("alice", "long enough").value().has_value());
  const auto new_hash = users_->find_user_by_name("alice").value()->password_hash;
  EXPECT_NE(new_hash.find("m=16,t=2"), std::string::npos) << new_hash;
  EXPECT_TRUE(upgraded.check_password("alice", "long enough").value().has_value());
}

TEST_F(AccountServiceTest, DeletesUsers) {
  ASSERT_TRUE(accounts_->create_user("alice", "a@example.com", "long enough", cli_));
  ASSERT_TRUE(accounts_->remove("alice", cli_));
  EXPECT_EQ(accounts_->find("alice").error().code, Errc::not_found);
}

TEST_F(AccountServiceTest, UnknownUsersAreNamedInTheError) {
  for (auto error : {accounts_->set_disabled("ghost", true, cli_).error(),
                     accounts_->remove("ghost", cli_).error(),
                     accounts_->reset_second_factors("ghost", cli_).error()}) {
    EXPECT_EQ(error.code, Errc::not_found);
    EXPECT_NE(error.message.find("'ghost'"), std::string::npos);
  }
}

TEST_F(AccountServiceTest, ResetRemovesFactorsAndIsAudited) {
  const auto alice = accounts_->create_user("alice", "a@example.com", "long enough", cli_).value();
  const auto secret = SecretBytes(20);
  storage::NewFactor factor;
  factor.user_id = alice.id;
  factor.secret = &secret;
  factor.status = storage::FactorStatus::confirmed;
  ASSERT_TRUE(factors_->add_factor(factor, storage::from_unix(1)));
  const auto reset = accounts_->reset_second_factors("alice", cli_).value();
  EXPECT_EQ(reset.factors, 1);
  EXPECT_TRUE(factors_->factors_of(alice.id).value().empty());
  EXPECT_EQ(audit_->list({alice.id, std::nullopt, 10}).value().front().event, "2fa.reset_by_admin");
}

}  // namespace
}  // namespace tfa::auth
