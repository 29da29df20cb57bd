// GroupCommit on a real SQLite file: the writes of many threads in one transaction, each
// keeping the meaning of its own (its writes seen by the later ones, its failure undoing only
// itself), work that runs between transactions, and the queue drained at the end.
#include "storage/sql/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_connection.hpp"

namespace tfa::testing {
namespace {

using storage::sql::Connection;
using storage::sql::GroupCommit;
using storage::sql::params;
using storage::sqlite::SqliteConnection;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char folder[] = "/tmp/tfa-group-commit-XXXXXX";
    ASSERT_NE(mkdtemp(folder), nullptr);
    folder_ = folder;
    path_ = folder_ / "test.db";
    reader_ = SqliteConnection::open(path_).value();
    ASSERT_TRUE(reader_->execute_script("CREATE TABLE t (name TEXT PRIMARY KEY);").has_value());
    auto group = GroupCommit::open(/*owner=*/nullptr, "BEGIN IMMEDIATE", [this]() -> Result<std::unique_ptr<Connection>> {
      auto connection = SqliteConnection::open(path_);
      if (!connection) return tl::unexpected(connection.error());
      (*connection)->on_commit([this](int) { ++commits_; });
      return std::unique_ptr<Connection>(std::move(*connection));
    });
    ASSERT_TRUE(group.has_value()) << group.error().message;
    group_ = std::move(*group);
  }
  void TearDown() override {
    group_.reset();
    reader_.reset();
    std::filesystem::remove_all(folder_);
  }

  static Result<void> insert(Connection& connection, const std::string& name) {
    TFA_TRY(auto done, connection.execute("INSERT INTO t (name) VALUES ($1)", params(name)));
    (void)done;
    return {};
  }
  std::vector<std::string> names() {
    std::vector<std::string> out;
    const auto rows = reader_->execute("SELECT name FROM t ORDER BY name", {}).value().rows;
    for (const auto& row : rows) out.push_back(row.text(0).value());
    return out;
  }
  /// Waits (bounded) until `count` works are queued behind the one holding the writer.
  void wait_until_waiting(std::size_t count) {
    for (int i = 0; i < 5000 && group_->waiting() < count; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(group_->waiting(), count);
  }

  std::filesystem::path folder_;
  std::filesystem::path path_;
  std::unique_ptr<SqliteConnection> reader_;
  std::unique_ptr<GroupCommit> group_;
  std::atomic<int> commits_{0};
};

TEST_F(GroupCommitTest, WorksQueuedBehindTheWriterCommitTogetherEachWithItsOwnOutcome) {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    EXPECT_TRUE(group_->run([&](Connection& c) -> Result<void> {
      started.set_value();
      released.wait();  // the writer is busy: the others queue
      return insert(c, "a-first");
    }).has_value());
  });
  started.get_future().wait();

  // Queued one by one, in this order, so that the batch's order is known.
  std::vector<std::future<Result<void>>> outcomes;
  std::vector<std::string> seen_by_last;
  const std::vector<std::function<Result<void>(Connection&)>> works = {
      [](Connection& c) { return insert(c, "b-kept"); },
      [](Connection& c) -> Result<void> {
        TFA_CHECK(insert(c, "c-undone"));
        return fail(Errc::conflict, "c changed its mind");
      },
      [](Connection& c) -> Result<void> {
        TFA_CHECK(insert(c, "d-undone"));
        throw std::runtime_error("d threw");
      },
      [&seen_by_last](Connection& c) -> Result<void> {
        TFA_TRY(auto rows, c.execute("SELECT name FROM t ORDER BY name", {}));
        for (const auto& row : rows.rows) seen_by_last.push_back(row.text(0).value());
        return insert(c, "e-kept");
      },
  };
  for (std::size_t i = 0; i < works.size(); ++i) {
    outcomes.push_back(std::async(std::launch::async, [&, i] {
      try {
        return group_->run(works[i]);
      } catch (const std::runtime_error& e) {
        return Result<void>(fail(Errc::internal, std::string("rethrown: ") + e.what()));
      }
    }));
    ASSERT_NO_FATAL_FAILURE(wait_until_waiting(i + 1));
  }
  const int commits_before = commits_;
  release.set_value();
  holder.join();

  EXPECT_TRUE(outcomes[0].get().has_value());
  auto c = outcomes[1].get();
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message, "c changed its mind");
  auto d = outcomes[2].get();
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().message, "rethrown: d threw") << "the work's exception reaches its caller";
  EXPECT_TRUE(outcomes[3].get().has_value());

  EXPECT_EQ(names(), (std::vector<std::string>{"a-first", "b-kept", "e-kept"}));
  EXPECT_EQ(seen_by_last, (std::vector<std::string>{"a-first", "b-kept"}))
      << "a work sees the writes of the works before it, not the undone ones";
  EXPECT_EQ(commits_ - commits_before, 2) << "the first work alone, then the four queued behind it in one";
}

TEST_F(GroupCommitTest, WorkBetweenTransactionsRunsWithNoneOpen) {
  ASSERT_TRUE(group_->run([](Connection& c) { return insert(c, "x"); }).has_value());
  // BEGIN fails inside a transaction, so this proves there is none.
  EXPECT_TRUE(group_->run_between_transactions([](Connection& c) -> Result<void> {
    TFA_CHECK(c.execute_script("BEGIN; ROLLBACK;"));
    TFA_TRY(auto checkpoint, c.execute("PRAGMA wal_checkpoint(TRUNCATE)", {}));
    (void)checkpoint;
    return {};
  }).has_value());
  EXPECT_EQ(std::filesystem::file_size(path_.string() + "-wal"), 0u) << "the WAL was emptied";
  EXPECT_EQ(names(), (std::vector<std::string>{"x"}));
}

TEST_F(GroupCommitTest, AWorkThatFailsAloneRollsBackAndTheWriterGoesOn) {
  auto failed = group_->run([](Connection& c) -> Result<void> {
    TFA_CHECK(insert(c, "gone"));
    return fail(Errc::invalid_argument, "no");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, Errc::invalid_argument);
  auto duplicate = group_->run([](Connection& c) -> Result<void> {
    TFA_CHECK(insert(c, "same"));
    return insert(c, "same");
  });
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, Errc::conflict);
  EXPECT_TRUE(group_->run([](Connection& c) { return insert(c, "after"); }).has_value());
  EXPECT_EQ(names(), (std::vector<std::string>{"after"}));
}

TEST_F(GroupCommitTest, ManyThreadsWritingAtOnceEachGetTheirRow) {
  constexpr int kThreads = 8;
  constexpr int kEach = 200;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!group_->run([&](Connection& c) { return insert(c, std::to_string(t) + "-" + std::to_string(i)); })) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(names().size(), static_cast<std::size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace tfa::testing
