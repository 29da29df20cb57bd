// Conformance: imported YubiKeys (secrets sealed and bound to the public ID, import conflicts
// and replacement, the counter replay guard, also raced from two pools) and the clients of
// the validation server — on every backend.
#include <atomic>
#include <thread>

#include "storage/sql/sealed_values.hpp"
#include "storage/sql/sql_yubikey_store.hpp"
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

class YubiKeyStoreTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    keys_ = std::make_unique<storage::sql::SqlYubiKeyStore>(db(), sealer_, random_);
  }
  void TearDown() override {
    keys_.reset();
    StorageTest::TearDown();
  }
  std::unique_ptr<storage::sql::SqlYubiKeyStore> keys_;
  const std::array<std::uint8_t, 6> private_id_{1, 2, 3, 4, 5, 6};
  const std::array<std::uint8_t, 16> aes_key_{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
};

TEST_P(YubiKeyStoreTest, KeepsTheSecretsSealedAndOpensThem) {
  ASSERT_TRUE(keys_->import_key("vvcccchnrhbr", private_id_, aes_key_, now_, false).has_value());
  auto found = keys_->find_key("vvcccchnrhbr").value();
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(std::ranges::equal(found->private_id.expose(), private_id_));
  EXPECT_TRUE(std::ranges::equal(found->aes_key.expose(), aes_key_));
  EXPECT_FALSE(found->last_counter.has_value());
  EXPECT_EQ(found->created_at, now_);
  EXPECT_FALSE(keys_->find_key("vvcccchnrhbb").value().has_value());

  // The column holds no plaintext, and a sealed value moved to another key's row does not open.
  auto stored = raw("SELECT sealed_secret FROM yubikeys WHERE public_id = $1", storage::sql::params("vvcccchnrhbr"));
  const auto blob = stored.rows.at(0).blob(0).value();
  EXPECT_EQ(std::search(blob.begin(), blob.end(), aes_key_.begin(), aes_key_.end()), blob.end());
  ASSERT_TRUE(keys_->import_key("vvcccchnrhbb", private_id_, aes_key_, now_, false).has_value());
  raw("UPDATE yubikeys SET sealed_secret = $1 WHERE public_id = $2",
      storage::sql::params(storage::sql::Blob{blob}, "vvcccchnrhbb"));
  EXPECT_FALSE(keys_->find_key("vvcccchnrhbb").has_value());
}

TEST_P(YubiKeyStoreTest, AnImportedKeyIsReplacedOnlyOnRequestAndThenItsCounterStartsAgain) {
  ASSERT_TRUE(keys_->import_key("vvcccchnrhbr", private_id_, aes_key_, now_, false).has_value());
  ASSERT_TRUE(keys_->record_key_counter("vvcccchnrhbr", 500).value());
  auto again = keys_->import_key("vvcccchnrhbr", private_id_, aes_key_, now_, false);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(keys_->find_key("vvcccchnrhbr").value()->last_counter, 500);
  std::array<std::uint8_t, 16> new_key{};
  ASSERT_TRUE(keys_->import_key("vvcccchnrhbr", private_id_, new_key, now_, true).has_value());
  auto replaced = keys_->find_key("vvcccchnrhbr").value();
  EXPECT_TRUE(std::ranges::equal(replaced->aes_key.expose(), new_key));
  EXPECT_FALSE(replaced->last_counter.has_value());
  EXPECT_FALSE(keys_->import_key("vvcccchnrhbr", std::array<std::uint8_t, 5>{}, aes_key_, now_, true).has_value());
}

TEST_P(YubiKeyStoreTest, TheCounterOnlyMovesForward) {
  ASSERT_TRUE(keys_->import_key("vvcccchnrhbr", private_id_, aes_key_, now_, false).has_value());
  EXPECT_TRUE(keys_->record_key_counter("vvcccchnrhbr", 10).value());
  EXPECT_FALSE(keys_->record_key_counter("vvcccchnrhbr", 10).value());
  EXPECT_FALSE(keys_->record_key_counter("vvcccchnrhbr", 9).value());
  EXPECT_TRUE(keys_->record_key_counter("vvcccchnrhbr", 11).value());
  EXPECT_FALSE(keys_->record_key_counter("vvccccunknown", 1).value());
  ASSERT_EQ(keys_->list_keys().value().size(), 1u);
  EXPECT_EQ(keys_->list_keys().value()[0].last_counter, 11);
  ASSERT_TRUE(keys_->remove_key("vvcccchnrhbr").has_value());
  EXPECT_EQ(keys_->remove_key("vvcccchnrhbr").error().code, Errc::not_found);
}

TEST_P(YubiKeyStoreTest, OneOtpRacedFromTwoPoolsIsAcceptedOnce) {
  ASSERT_TRUE(keys_->import_key("vvcccchnrhbr", private_id_, aes_key_, now_, false).has_value());
  auto second_pool = test_db_->reopen(4);
  ASSERT_TRUE(second_pool.has_value()) << second_pool.error().message;
  crypto::OsRandom random;
  storage::sql::SqlYubiKeyStore other(**second_pool, sealer_, random);
  for (int counter = 1; counter <= 10; ++counter) {
    std::atomic<int> wins{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      storage::YubiKeyStore& store = t % 2 == 0 ? static_cast<storage::YubiKeyStore&>(*keys_) : other;
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        auto won = store.record_key_counter("vvcccchnrhbr", counter);
        if (won && *won) ++wins;
      });
    }
    go = true;
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(wins.load(), 1) << "counter " << counter;
  }
}

TEST_P(YubiKeyStoreTest, ClientsHaveSealedKeysAndCanBeRevokedOnce) {
  SecretBytes key(20);
  random_.fill(key.expose_mutable());
  const auto id = keys_->add_client("billing", key, now_).value();
  auto found = keys_->find_client(id).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "billing");
  EXPECT_TRUE(found->key == key);
  EXPECT_FALSE(found->revoked_at.has_value());
  EXPECT_FALSE(keys_->find_client(id + 100).value().has_value());

  ASSERT_TRUE(keys_->revoke_client(id, now_ + std::chrono::seconds(5)).has_value());
  EXPECT_EQ(keys_->find_client(id).value()->revoked_at, now_ + std::chrono::seconds(5));
  EXPECT_EQ(keys_->revoke_client(id, now_).error().code, Errc::not_found);
  auto listed = keys_->list_clients().value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].key.empty()) << "listings carry no keys";
}

TEST_P(YubiKeyStoreTest, KeyRotationResealsYubiKeysAndClients) {
  ASSERT_TRUE(keys_->import_key("vvcccchnrhbr", private_id_, aes_key_, now_, false).has_value());
  SecretBytes key(20);
  const auto id = keys_->add_client("", key, now_).value();
  std::vector<SecretBytes> older;
  older.push_back(filled_key(7));
  const auto rotating = crypto::Sealer::create(filled_key(8), std::move(older)).value();
  EXPECT_EQ(storage::sql::reseal_all(db(), rotating, random_).value(), 2);
  const auto only_new = crypto::Sealer::create(filled_key(8)).value();
  storage::sql::SqlYubiKeyStore after(db(), only_new, random_);
  EXPECT_TRUE(std::ranges::equal(after.find_key("vvcccchnrhbr").value()->aes_key.expose(), aes_key_));
  EXPECT_TRUE(after.find_client(id).value()->key == key);
}

TFA_INSTANTIATE_STORAGE_SUITE(YubiKeyStoreTest);

}  // namespace
}  // namespace tfa::testing
