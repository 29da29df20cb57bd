// Conformance: the grouping of store calls into one transaction (storage::Transactions) on
// every backend, and, on SQLite, what its pool adds: reads that do not wait for the writer, a
// write refused inside a read scope, and WAL checkpoints done by the database's own thread.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using namespace std::chrono_literals;
using TransactionsTest = StorageTest;

TEST_P(TransactionsTest, StoreCallsInAWritingScopeCommitTogether) {
  storage::User alice;
  ASSERT_TRUE(db().writing([&]() -> Result<void> {
    alice = make_user("alice");
    // A read inside the scope sees the scope's own write.
    TFA_TRY(auto found, users_->find_user_by_name("alice"));
    EXPECT_TRUE(found.has_value());
    return {};
  }));
  EXPECT_TRUE(users_->find_user_by_name("alice").value().has_value());
}

TEST_P(TransactionsTest, AFailedWritingScopeLeavesNothingOfItsStoreCalls) {
  auto outcome = db().writing([&]() -> Result<void> {
    make_user("bob");
    make_user("carol");
    return fail(Errc::internal, "something after the writes failed");
  });
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().message, "something after the writes failed");
  EXPECT_FALSE(users_->find_user_by_name("bob").value().has_value()) << "rolled back with the scope";
  EXPECT_FALSE(users_->find_user_by_name("carol").value().has_value());
}

TEST_P(TransactionsTest, AReadingScopeSeesWhatWasCommittedBeforeIt) {
  const auto alice = make_user("alice");
  std::optional<storage::User> by_name;
  std::optional<storage::User> by_id;
  ASSERT_TRUE(db().reading([&]() -> Result<void> {
    TFA_TRY(by_name, users_->find_user_by_name("alice"));
    TFA_TRY(by_id, users_->find_user(alice.id));
    return {};
  }));
  ASSERT_TRUE(by_name && by_id);
  EXPECT_EQ(by_name->id, by_id->id);
}

TEST_P(TransactionsTest, ScopesOnOtherThreadsAreTheirOwn) {
  // The joining is per thread: a scope open here does not take in another thread's calls,
  // which commit on their own even though this scope rolls back.
  std::thread other;
  ASSERT_FALSE(db().writing([&]() -> Result<void> {
    // On SQLite its write waits for this scope's write lock, so it is joined after the scope.
    other = std::thread([&] { make_user("dave"); });
    return fail(Errc::internal, "roll this scope back");
  }).has_value());
  other.join();
  EXPECT_TRUE(users_->find_user_by_name("dave").value().has_value());
}

class SqliteTransactionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = TestDatabase::create(Backend::sqlite);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    test_db_ = std::move(*created);
    users_ = std::make_unique<storage::sql::SqlUserStore>(test_db_->database());
  }
  storage::sql::Database& db() { return test_db_->database(); }
  Result<storage::User> add(const std::string& name) {
    return users_->create_user({name, name + "@example.com", "$argon2id$fake"},
                               storage::Time(1'700'000'000s));
  }

  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<storage::sql::SqlUserStore> users_;
};

TEST_F(SqliteTransactionsTest, AWriteInsideAReadingScopeIsRefusedAndChangesNothing) {
  Result<storage::User> added = tl::unexpected(Error{});
  ASSERT_TRUE(db().reading([&]() -> Result<void> {
    added = add("eve");
    return {};
  }));
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().code, Errc::internal);
  EXPECT_NE(added.error().message.find("read-only transaction"), std::string::npos) << added.error().message;
  EXPECT_FALSE(users_->find_user_by_name("eve").value().has_value());
  EXPECT_TRUE(add("eve").has_value()) << "the connection is usable for writes again afterwards";
}

TEST_F(SqliteTransactionsTest, ReadersDoNotWaitForAnOpenWriteTransaction) {
  ASSERT_TRUE(add("frank").has_value());
  std::promise<void> writing;
  std::promise<void> release;
  std::thread writer([&] {
    (void)db().writing([&]() -> Result<void> {
      auto added = add("grace");
      writing.set_value();
      release.get_future().wait();  // holds the write lock until the reader is done
      return added ? Result<void>() : tl::unexpected(added.error());
    });
  });
  writing.get_future().wait();
  // Bounded so that a regression fails rather than hangs: the writer waits for us.
  auto read = std::async(std::launch::async, [&] {
    return std::make_pair(users_->find_user_by_name("frank").value().has_value(),
                          users_->find_user_by_name("grace").value().has_value());
  });
  const bool finished = read.wait_for(10s) == std::future_status::ready;
  release.set_value();
  writer.join();
  ASSERT_TRUE(finished) << "a read waited for the writer";
  const auto [frank, grace] = read.get();
  EXPECT_TRUE(frank);
  EXPECT_FALSE(grace) << "the reader sees the last commit, not the open transaction";
  EXPECT_TRUE(users_->find_user_by_name("grace").value().has_value());
}

TEST_F(SqliteTransactionsTest, TheDatabaseCopiesTheWalIntoTheFileByItself) {
  // Commits no longer checkpoint; the database's thread does, every 200 ms. Enough rows to
  // fill many pages, then the file must grow without anyone else checkpointing.
  const auto file = test_db_->place();
  const auto before = std::filesystem::file_size(file);
  ASSERT_TRUE(db().writing([&]() -> Result<void> {
    for (int i = 0; i < 2000; ++i) {
      TFA_TRY(auto user, add("user" + std::to_string(i) + std::string(200, 'x')));
      (void)user;
    }
    return {};
  }));
  auto size = before;
  for (int i = 0; i < 100 && size <= before; ++i) {
    std::this_thread::sleep_for(50ms);
    size = std::filesystem::file_size(file);
  }
  EXPECT_GT(size, before + 100'000) << "the WAL was not checkpointed into " << file;
}

TEST_F(SqliteTransactionsTest, TheWalStaysBoundedWhileReadsAndWritesNeverStop) {
  // A reader that never pauses and a writer that commits as fast as it can, for hundreds of
  // megabytes of WAL. SQLite alone would never rewind the WAL here: it would grow by all of it.
  const auto wal = std::filesystem::path(test_db_->place() + "-wal");
  std::atomic<bool> writing{true};
  std::thread reader([&] {
    while (writing) (void)users_->find_user_by_name("nobody");
  });
  std::uintmax_t previous = 0;
  std::uintmax_t appended = 0;  // what the writes added to the WAL, summed over its rewinds
  std::uintmax_t largest = 0;
  int emptied = 0;
  const std::string padding(1500, 'x');
  for (int i = 0; i < 30000 && appended < 300'000'000u; ++i) {
    ASSERT_TRUE(add("user" + std::to_string(i) + padding).has_value());
    if (i % 50 != 0 || !std::filesystem::exists(wal)) continue;
    const auto size = std::filesystem::file_size(wal);
    if (size < previous) ++emptied;
    appended += size > previous ? size - previous : size;
    largest = std::max(largest, size);
    previous = size;
  }
  writing = false;
  reader.join();
  EXPECT_GT(appended, 100'000'000u) << "the test wrote less than it should have";
  EXPECT_GE(emptied, 3) << "the WAL was emptied " << emptied << " times";
  EXPECT_LT(largest, appended / 3) << "the WAL grew to " << largest << " of " << appended << " bytes written";
}

}  // namespace

TFA_INSTANTIATE_STORAGE_SUITE(TransactionsTest);

}  // namespace tfa::testing
