// Conformance: the audit log, key rotation and schema migrations, on every backend.
#include "storage/sql/migrator.hpp"
#include "storage/sql/sealed_values.hpp"
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using AuditAndSchemaTest = StorageTest;
using std::chrono::seconds;

storage::AuditEvent event_at(storage::Time at, std::optional<std::int64_t> user, std::string name) {
  return {0, at, user, "user", std::move(name), "success", "127.0.0.1", "curl/8", ""};
}

TEST_P(AuditAndSchemaTest, ListsAuditEventsNewestFirstFilteredByUserAndTime) {
  ASSERT_TRUE(audit_->append(event_at(now_, 1, "a")));
  ASSERT_TRUE(audit_->append(event_at(now_ + seconds(10), 2, "b")));
  ASSERT_TRUE(audit_->append(event_at(now_ + seconds(20), 1, "c")));
  ASSERT_TRUE(audit_->append(event_at(now_ + seconds(30), std::nullopt, "d")));

  const auto all = audit_->list({}).value();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].event, "d");
  EXPECT_EQ(all[3].event, "a");
  EXPECT_FALSE(all[0].user_id.has_value());
  EXPECT_EQ(all[3].client_address, "127.0.0.1");
  EXPECT_EQ(all[3].user_agent, "curl/8");

  const auto of_user = audit_->list({1, std::nullopt, 100}).value();
  ASSERT_EQ(of_user.size(), 2u);
  EXPECT_EQ(of_user[0].event, "c");
  const auto since = audit_->list({std::nullopt, now_ + seconds(10), 100}).value();
  EXPECT_EQ(since.size(), 3u);
  EXPECT_EQ(audit_->list({std::nullopt, std::nullopt, 2}).value().size(), 2u);
}

TEST_P(AuditAndSchemaTest, KeyRotationResealsEverySecretUnderTheNewKey) {
  const auto alice = make_user("alice");
  const auto secret = SecretBytes::copy_of(std::vector<std::uint8_t>{1, 2, 3, 4, 5});
  const auto id = add_totp(alice.id, secret);
  raw("INSERT INTO yubikeys (public_id, sealed_secret, created_at) VALUES ($1, $2, 1)",
      storage::sql::params("cccccccbcjdi",
                           storage::sql::Blob{sealer_.seal(secret.expose(),
                                                           storage::sql::yubikey_secret_context("cccccccbcjdi"),
                                                           random_)}));

  std::vector<SecretBytes> older;
  older.push_back(filled_key(7));
  const auto rotating = crypto::Sealer::create(filled_key(8), std::move(older)).value();
  EXPECT_EQ(storage::sql::reseal_all(db(), rotating, random_).value(), 2);

  const auto only_new = crypto::Sealer::create(filled_key(8)).value();
  storage::sql::SqlFactorStore under_new_key(db(), only_new, random_);
  EXPECT_TRUE(under_new_key.find_factor(id).value()->secret == secret);
  const auto yubikey = raw("SELECT sealed_secret FROM yubikeys").rows.at(0).blob(0).value();
  EXPECT_TRUE(only_new.open(yubikey, storage::sql::yubikey_secret_context("cccccccbcjdi")).has_value());
  EXPECT_FALSE(factors_->find_factor(id).has_value()) << "the old key alone no longer opens it";
}

TEST_P(AuditAndSchemaTest, KeyRotationChangesNothingWhenAValueDoesNotOpen) {
  const auto alice = make_user("alice");
  const auto secret = SecretBytes::copy_of(std::vector<std::uint8_t>{1, 2, 3});
  const auto good = add_totp(alice.id, secret);
  const auto bad = add_totp(alice.id, secret);
  raw("UPDATE factors SET sealed_secret = $2 WHERE id = $1",
      storage::sql::params(bad, storage::sql::Blob{std::vector<std::uint8_t>(60, 1)}));

  std::vector<SecretBytes> older;
  older.push_back(filled_key(7));
  const auto rotating = crypto::Sealer::create(filled_key(8), std::move(older)).value();
  auto rotated = storage::sql::reseal_all(db(), rotating, random_);
  ASSERT_FALSE(rotated.has_value());
  EXPECT_NE(rotated.error().message.find("factors.sealed_secret:" + std::to_string(bad)),
            std::string::npos);
  EXPECT_TRUE(factors_->find_factor(good).value()->secret == secret) << "still under the old key";
}

TEST_P(AuditAndSchemaTest, MigratesAnEmptyDatabaseOnceAndReportsStatus) {
  auto fresh = TestDatabase::create(GetParam(), /*migrate=*/false).value();
  auto before = storage::sql::schema_status(fresh->database()).value();
  EXPECT_EQ(before.current_version, 0);
  EXPECT_GE(before.latest_version, 1);
  EXPECT_EQ(before.pending.size(), static_cast<std::size_t>(before.latest_version));

  EXPECT_EQ(storage::sql::migrate(fresh->database(), now_).value(), before.latest_version);
  EXPECT_EQ(storage::sql::migrate(fresh->database(), now_).value(), 0) << "idempotent";
  auto after = storage::sql::schema_status(fresh->database()).value();
  EXPECT_EQ(after.current_version, after.latest_version);
  EXPECT_TRUE(after.pending.empty());
}

TEST_P(AuditAndSchemaTest, RefusesASchemaNewerThanThisBinary) {
  raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 1)");
  auto status = storage::sql::schema_status(db());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, Errc::conflict);
  EXPECT_NE(status.error().message.find("newer"), std::string::npos);
  EXPECT_FALSE(storage::sql::migrate(db(), now_).has_value());
}

TFA_INSTANTIATE_STORAGE_SUITE(AuditAndSchemaTest);

}  // namespace
}  // namespace tfa::testing
