// Conformance: backup codes — a new set voids the old one, each code works once, even when
// requests race, and only for its owner — on every backend.
#include <atomic>
#include <thread>

#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using BackupCodeStoreTest = StorageTest;

storage::CodeHash hash_of(std::uint8_t seed) { return storage::CodeHash(32, seed); }

std::vector<storage::CodeHash> set_of(std::uint8_t first, int count) {
  std::vector<storage::CodeHash> set;
  for (int i = 0; i < count; ++i) set.push_back(hash_of(static_cast<std::uint8_t>(first + i)));
  return set;
}

TEST_P(BackupCodeStoreTest, EachCodeWorksOnceAndTheCountGoesDown) {
  const auto alice = make_user("alice");
  ASSERT_TRUE(backup_codes_->replace_backup_codes(alice.id, set_of(1, 10), now_).has_value());
  EXPECT_EQ(backup_codes_->unused_backup_codes(alice.id).value(), 10);
  EXPECT_TRUE(backup_codes_->use_backup_code(alice.id, hash_of(3), now_).value());
  EXPECT_FALSE(backup_codes_->use_backup_code(alice.id, hash_of(3), now_).value()) << "used once";
  EXPECT_EQ(backup_codes_->unused_backup_codes(alice.id).value(), 9);
  EXPECT_FALSE(backup_codes_->use_backup_code(alice.id, hash_of(99), now_).value()) << "unknown";
  EXPECT_EQ(backup_codes_->unused_backup_codes(alice.id).value(), 9);
}

TEST_P(BackupCodeStoreTest, ANewSetVoidsTheOldOne) {
  const auto alice = make_user("alice");
  ASSERT_TRUE(backup_codes_->replace_backup_codes(alice.id, set_of(1, 10), now_).has_value());
  ASSERT_TRUE(backup_codes_->use_backup_code(alice.id, hash_of(1), now_).value());
  ASSERT_TRUE(backup_codes_->replace_backup_codes(alice.id, set_of(50, 10), now_).has_value());
  EXPECT_EQ(backup_codes_->unused_backup_codes(alice.id).value(), 10);
  EXPECT_FALSE(backup_codes_->use_backup_code(alice.id, hash_of(2), now_).value()) << "old set";
  EXPECT_TRUE(backup_codes_->use_backup_code(alice.id, hash_of(55), now_).value());
}

TEST_P(BackupCodeStoreTest, ACodeOfOneUserDoesNotWorkForAnother) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  ASSERT_TRUE(backup_codes_->replace_backup_codes(alice.id, set_of(1, 10), now_).has_value());
  ASSERT_TRUE(backup_codes_->replace_backup_codes(bob.id, set_of(20, 10), now_).has_value());
  EXPECT_FALSE(backup_codes_->use_backup_code(bob.id, hash_of(1), now_).value());
  EXPECT_EQ(backup_codes_->unused_backup_codes(alice.id).value(), 10);
  EXPECT_EQ(backup_codes_->unused_backup_codes(bob.id).value(), 10);
}

TEST_P(BackupCodeStoreTest, AnUnknownUserIsAConflictAndNothingIsWritten) {
  auto result = backup_codes_->replace_backup_codes(4242, set_of(1, 3), now_);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::conflict);
  EXPECT_EQ(raw("SELECT id FROM backup_codes").rows.size(), 0u);
}

TEST_P(BackupCodeStoreTest, ThreadsRacingWithOneCodeHaveExactlyOneWinner) {
  const auto alice = make_user("alice");
  ASSERT_TRUE(backup_codes_->replace_backup_codes(alice.id, set_of(1, 10), now_).has_value());
  for (std::uint8_t code = 1; code <= 5; ++code) {
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&] {
        auto won = backup_codes_->use_backup_code(alice.id, hash_of(code), now_);
        if (won && *won) ++winners;
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(winners.load(), 1) << "code " << int(code);
  }
}

TFA_INSTANTIATE_STORAGE_SUITE(BackupCodeStoreTest);

}  // namespace
}  // namespace tfa::testing
