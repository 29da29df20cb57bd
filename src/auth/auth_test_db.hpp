#pragma once
// Test support: a migrated SQLite database in a temporary file, every SQL store over it, and a
// FixedClock, shared by the auth unit tests.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "auth/account_service.hpp"
#include "crypto/os_random.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/sealer.hpp"
#include "storage/sql/migrator.hpp"
#include "storage/sql/sql_audit_log.hpp"
#include "storage/sql/sql_factor_store.hpp"
#include "storage/sql/sql_session_store.hpp"
#include "storage/sql/sql_throttle_store.hpp"
#include "storage/sql/sql_trusted_device_store.hpp"
#include "storage/sql/sql_user_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "testing/fixed_clock.hpp"

namespace tfa::auth::test {

// 1'700'000'015 is 5 s into a 30 s TOTP step, so small clock moves stay in the same step.
inline constexpr std::chrono::seconds kStart{1'700'000'015};

class AuthDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("tfa_auth_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".db");
    database_ = storage::sqlite::open_sqlite_database(path_, 2).value();
    ASSERT_TRUE(storage::sql::migrate(*database_, clock_.now()).has_value());
    users_ = std::make_unique<storage::sql::SqlUserStore>(*database_);
    factors_ = std::make_unique<storage::sql::SqlFactorStore>(*database_, sealer_, random_);
    audit_ = std::make_unique<storage::sql::SqlAuditLog>(*database_);
    sessions_ = std::make_unique<storage::sql::SqlSessionStore>(*database_);
    devices_store_ = std::make_unique<storage::sql::SqlTrustedDeviceStore>(*database_);
    throttle_store_ = std::make_unique<storage::sql::SqlThrottleStore>(*database_);
    accounts_ = std::make_unique<AccountService>(
        AccountService::create({*users_, *factors_, *audit_}, hasher_, clock_, 8).value());
  }
  void TearDown() override {
    TearDownServices();
    accounts_.reset();
    throttle_store_.reset();
    devices_store_.reset();
    sessions_.reset();
    audit_.reset();
    factors_.reset();
    users_.reset();
    database_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  virtual void TearDownServices() {}

  std::filesystem::path path_;
  testing::FixedClock clock_{std::chrono::system_clock::time_point(kStart)};
  crypto::OsRandom random_;
  crypto::Sealer sealer_ = crypto::Sealer::create(SecretBytes(32)).value();
  crypto::PasswordHasher hasher_ = crypto::PasswordHasher::create({1, 8}).value();
  std::unique_ptr<storage::sql::Database> database_;
  std::unique_ptr<storage::sql::SqlUserStore> users_;
  std::unique_ptr<storage::sql::SqlFactorStore> factors_;
  std::unique_ptr<storage::sql::SqlAuditLog> audit_;
  std::unique_ptr<storage::sql::SqlSessionStore> sessions_;
  std::unique_ptr<storage::sql::SqlTrustedDeviceStore> devices_store_;
  std::unique_ptr<storage::sql::SqlThrottleStore> throttle_store_;
  std::unique_ptr<AccountService> accounts_;
  Actor cli_ = Actor::command_line();
  Actor browser_{"203.0.113.7", "Mozilla/5.0 (test)"};

  storage::Time now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }
};

}  // namespace tfa::auth::test
