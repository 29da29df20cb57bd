#include "auth/account_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

#include "crypto/os_random.hpp"
#include "crypto/sealer.hpp"
#include "storage/sql/migrator.hpp"
#include "storage/sql/sql_audit_log.hpp"
#include "storage/sql/sql_factor_store.hpp"
#include "storage/sql/sql_user_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "testing/fixed_clock.hpp"

namespace tfa::auth {
namespace {

using std::chrono::system_clock;

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = storage::sqlite::open_sqlite_database(path_, 2).value();
    ASSERT_TRUE(storage::sql::migrate(*database_, clock_.now()).has_value());
    users_ = std::make_unique<storage::sql::SqlUserStore>(*database_);
    factors_ = std::make_unique<storage::sql::SqlFactorStore>(*database_, sealer_, random_);
    audit_ = std::make_unique<storage::sql::SqlAuditLog>(*database_);
    service_ = std::make_unique<AccountService>(
        AccountService::create({*users_, *factors_, *audit_}, hasher_, clock_, 8).value());
  }
  void TearDown() override {
    service_.reset();
    database_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  std::filesystem::path path_ = std::filesystem::temp_directory_path() /
                                ("tfa_accounts_" + std::to_string(::getpid()) + ".db");
  testing::FixedClock clock_{system_clock::time_point(std::chrono::seconds(1'700'000'000))};
  crypto::OsRandom random_;
  crypto::Sealer sealer_ = crypto::Sealer::create(SecretBytes(32)).value();
  crypto::PasswordHasher hasher_ = crypto::PasswordHasher::create({1, 8}).value();
  std::unique_ptr<storage::sql::Database> database_;
  std::unique_ptr<storage::sql::SqlUserStore> users_;
  std::unique_ptr<storage::sql::SqlFactorStore> factors_;
  std::unique_ptr<storage::sql::SqlAuditLog> audit_;
  std::unique_ptr<AccountService> service_;
  Actor cli_ = Actor::command_line();
};

TEST_F(AccountServiceTest, CreatesAUserWithAnArgon2idHashAndAnAuditEvent) {
  const auto user = service_->create_user("alice", "alice@example.com", "correct horse", cli_).value();
  EXPECT_EQ(user.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(user.password_hash.find("correct horse"), std::string::npos);
  const auto events = audit_->list({user.id, std::nullopt, 10}).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "user.created");
  EXPECT_EQ(events[0].user_agent, "tfa-cli");
}

TEST_F(AccountServiceTest, RefusesBadInputAndChangesNothing) {
  EXPECT_EQ(service_->create_user("a b", "a@example.com", "long enough", cli_).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(service_->create_user("alice", "nope", "long enough", cli_).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(service_->create_user("alice", "a@example.com", "short", cli_).error().code,
            Errc::invalid_argument);
  EXPECT_TRUE(service_->list().value().empty());
  EXPECT_TRUE(audit_->list({}).value().empty());
}

TEST_F(AccountServiceTest, DuplicateNamesConflict) {
  ASSERT_TRUE(service_->create_user("alice", "a@example.com", "long enough", cli_));
  auto again = service_->create_user("Alice", "b@example.com", "long enough", cli_);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
}

TEST_F(AccountServiceTest, ChecksPasswordsAndTreatsUnknownAndDisabledUsersAlike) {
  ASSERT_TRUE(service_->create_user("alice", "a@example.com", "long enough", cli_));
  EXPECT_TRUE(service_->check_password("alice", "long enough").value().has_value());
  EXPECT_TRUE(service_->check_password("ALICE", "long enough").value().has_value());
  EXPECT_FALSE(service_->check_password("alice", "wrong password").value().has_value());
  EXPECT_FALSE(service_->check_password("nobody", "long enough").value().has_value());
  ASSERT_TRUE(service_->set_disabled("alice", true, cli_));
  EXPECT_FALSE(service_->check_password("alice", "long enough").value().has_value());
  ASSERT_TRUE(service_->set_disabled("alice", false, cli_));
  EXPECT_TRUE(service_->check_password("alice", "long enough").value().has_value());
}

TEST_F(AccountServiceTest, RehashesOnTheNextSignInWhenParametersChange) {
  ASSERT_TRUE(service_->create_user("alice", "a@example.com", "long enough", cli_));
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

TEST_F(AccountServiceTest, ChangesPasswordsAndDeletesUsers) {
  ASSERT_TRUE(service_->create_user("alice", "a@example.com", "long enough", cli_));
  ASSERT_TRUE(service_->change_password("alice", "another long one", cli_));
  EXPECT_FALSE(service_->check_password("alice", "long enough").value().has_value());
  EXPECT_TRUE(service_->check_password("alice", "another long one").value().has_value());
  ASSERT_TRUE(service_->remove("alice", cli_));
  EXPECT_EQ(service_->find("alice").error().code, Errc::not_found);
}

TEST_F(AccountServiceTest, UnknownUsersAreNamedInTheError) {
  for (auto error : {service_->set_disabled("ghost", true, cli_).error(),
                     service_->remove("ghost", cli_).error(),
                     service_->change_password("ghost", "long enough", cli_).error(),
                     service_->reset_second_factors("ghost", cli_).error()}) {
    EXPECT_EQ(error.code, Errc::not_found);
    EXPECT_NE(error.message.find("'ghost'"), std::string::npos);
  }
}

TEST_F(AccountServiceTest, ResetRemovesFactorsAndIsAudited) {
  const auto alice = service_->create_user("alice", "a@example.com", "long enough", cli_).value();
  const auto secret = SecretBytes(20);
  storage::NewFactor factor;
  factor.user_id = alice.id;
  factor.secret = &secret;
  factor.status = storage::FactorStatus::confirmed;
  ASSERT_TRUE(factors_->add_factor(factor, storage::from_unix(1)));
  const auto reset = service_->reset_second_factors("alice", cli_).value();
  EXPECT_EQ(reset.factors, 1);
  EXPECT_TRUE(factors_->factors_of(alice.id).value().empty());
  EXPECT_EQ(audit_->list({alice.id, std::nullopt, 10}).value().front().event, "2fa.reset_by_admin");
}

}  // namespace
}  // namespace tfa::auth
