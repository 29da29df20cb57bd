#pragma once
// The fixture every conformance test uses: a fresh migrated database of the parameter's
// backend, the stores over it, and a fixed clock.
#include <gtest/gtest.h>

#include <cstdlib>

#include "backends.hpp"
#include "crypto/os_random.hpp"
#include "crypto/sealer.hpp"
#include "storage/sql/sql_api_token_store.hpp"
#include "storage/sql/sql_audit_log.hpp"
#include "storage/sql/sql_backup_code_store.hpp"
#include "storage/sql/sql_email_token_store.hpp"
#include "storage/sql/sql_factor_store.hpp"
#include "storage/sql/sql_session_store.hpp"
#include "storage/sql/sql_throttle_store.hpp"
#include "storage/sql/sql_trusted_device_store.hpp"
#include "storage/sql/sql_user_store.hpp"

namespace tfa::testing {

inline SecretBytes filled_key(std::uint8_t fill) {
  SecretBytes key(crypto::kServerKeySize);
  for (auto& b : key.expose_mutable()) b = fill;
  return key;
}

class StorageTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto created = TestDatabase::create(GetParam());
    if (!created) {
      // Under ctest the postgres fixture has started a server, and its absence is a failure;
      // run by hand without one, the PostgreSQL half is skipped.
      if (GetParam() == Backend::postgres && std::getenv("TFA_REQUIRE_POSTGRES") == nullptr) {
        GTEST_SKIP() << created.error().message;
      }
      FAIL() << created.error().message;
    }
    test_db_ = std::move(*created);
    users_ = std::make_unique<storage::sql::SqlUserStore>(db());
    factors_ = std::make_unique<storage::sql::SqlFactorStore>(db(), sealer_, random_);
    audit_ = std::make_unique<storage::sql::SqlAuditLog>(db());
    sessions_ = std::make_unique<storage::sql::SqlSessionStore>(db());
    devices_ = std::make_unique<storage::sql::SqlTrustedDeviceStore>(db());
    throttle_ = std::make_unique<storage::sql::SqlThrottleStore>(db());
    backup_codes_ = std::make_unique<storage::sql::SqlBackupCodeStore>(db());
    email_tokens_ = std::make_unique<storage::sql::SqlEmailTokenStore>(db());
    api_tokens_ = std::make_unique<storage::sql::SqlApiTokenStore>(db());
  }

  storage::sql::Database& db() { return test_db_->database(); }

  storage::User make_user(const std::string& name) {
    auto user = users_->create_user({name, name + "@example.com", "$argon2id$fake"}, now_);
    EXPECT_TRUE(user.has_value()) << (user ? "" : user.error().message);
    return user.value_or(storage::User{});
  }

  std::int64_t add_totp(std::int64_t user_id, const SecretBytes& secret,
                        storage::FactorStatus status = storage::FactorStatus::confirmed) {
    storage::NewFactor factor;
    factor.user_id = user_id;
    factor.kind = storage::FactorKind::totp;
    factor.label = "phone";
    factor.params = R"({"algorithm":"SHA1","digits":6,"period":30})";
    factor.secret = &secret;
    factor.status = status;
    auto id = factors_->add_factor(factor, now_);
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id.value_or(0);
  }

  /// Runs one statement outside the stores, to inspect or damage what they wrote.
  storage::sql::QueryResult raw(std::string statement, std::vector<storage::sql::Value> values = {}) {
    auto result = db().transaction<storage::sql::QueryResult>(
        [&](storage::sql::Connection& c) { return c.execute(statement, values); });
    EXPECT_TRUE(result.has_value()) << statement << ": " << (result ? "" : result.error().message);
    return result.value_or(storage::sql::QueryResult{});
  }

  storage::Time now_ = storage::from_unix(1'700'000'000);
  crypto::OsRandom random_;
  crypto::Sealer sealer_ = crypto::Sealer::create(filled_key(7)).value();
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<storage::sql::SqlUserStore> users_;
  std::unique_ptr<storage::sql::SqlFactorStore> factors_;
  std::unique_ptr<storage::sql::SqlAuditLog> audit_;
  std::unique_ptr<storage::sql::SqlSessionStore> sessions_;
  std::unique_ptr<storage::sql::SqlTrustedDeviceStore> devices_;
  std::unique_ptr<storage::sql::SqlThrottleStore> throttle_;
  std::unique_ptr<storage::sql::SqlBackupCodeStore> backup_codes_;
  std::unique_ptr<storage::sql::SqlEmailTokenStore> email_tokens_;
  std::unique_ptr<storage::sql::SqlApiTokenStore> api_tokens_;
};

inline std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info) {
  return backend_name(info.param);
}

#define TFA_INSTANTIATE_STORAGE_SUITE(suite)                                              \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                               \
                           ::testing::Values(::tfa::testing::Backend::sqlite,             \
                                             ::tfa::testing::Backend::postgres),          \
                           ::tfa::testing::backend_param_name)

}  // namespace tfa::testing
