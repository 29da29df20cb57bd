#include "app/sweeper.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include <unistd.h>

#include "app/open_database.hpp"
#include "storage/sql/migrator.hpp"
#include "storage/sql/sql_expiry_store.hpp"
#include "testing/fixed_clock.hpp"

namespace tfa::app {
namespace {

using namespace std::chrono_literals;

class SweeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("tfa_sweeper_" + std::to_string(::getpid()) + ".db");
    database_ = open_database("sqlite:" + path_.string(), 2).value();
    ASSERT_TRUE(storage::sql::migrate(*database_, clock_.now()).has_value());
    store_ = std::make_unique<storage::sql::SqlExpiryStore>(*database_);
  }
  void TearDown() override {
    store_.reset();
    database_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  void add_session(std::uint8_t seed, std::int64_t expires_at) {
    ASSERT_TRUE(database_->run_transaction([&](storage::sql::Connection& c) -> Result<void> {
      TFA_CHECK(c.execute("INSERT INTO sessions (id_hash, stage, created_at, last_seen_at, expires_at) "
                          "VALUES ($1, 'anonymous', 0, 0, $2)",
                          storage::sql::params(storage::sql::Blob{std::vector<std::uint8_t>(32, seed)},
                                               expires_at)));
      return {};
    }));
  }
  std::int64_t sessions() {
    return database_->transaction<std::int64_t>([](storage::sql::Connection& c) -> Result<std::int64_t> {
      TFA_TRY(auto rows, c.execute("SELECT COUNT(*) FROM sessions"));
      return rows.rows.at(0).integer(0);
    }).value();
  }

  std::filesystem::path path_;
  testing::FixedClock clock_{std::chrono::system_clock::time_point(1'700'000'000s)};
  std::unique_ptr<storage::sql::Database> database_;
  std::unique_ptr<storage::sql::SqlExpiryStore> store_;
};

TEST_F(SweeperTest, SweepsAtStartAndThenEveryInterval) {
  add_session(1, 1'699'999'000);
  add_session(2, 1'700'000'500);
  Sweeper sweeper(*store_, clock_, 1s);
  for (int i = 0; i < 100 && sessions() != 1; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(sessions(), 1) << "the expired session goes at start";
  clock_.advance(1000s);
  for (int i = 0; i < 150 && sessions() != 0; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(sessions(), 0) << "the other once it has expired, at a later sweep";
  sweeper.stop();
  sweeper.stop();  // idempotent
}

TEST_F(SweeperTest, SweepOnceReportsWhatWentAndStopIsPrompt) {
  // Let the sweep at start take a session of its own first, so that it cannot take the one
  // below from sweep_once; the next is an hour away.
  add_session(4, 1'699'999'999);
  Sweeper sweeper(*store_, clock_, std::chrono::hours(1));
  for (int i = 0; i < 250 && sessions() != 0; ++i) std::this_thread::sleep_for(20ms);
  ASSERT_EQ(sessions(), 0) << "the sweep at start did not run";
  add_session(3, 1'699'999'999);
  auto swept = sweeper.sweep_once();
  ASSERT_TRUE(swept.has_value());
  EXPECT_EQ(swept->sessions, 1);
  const auto start = std::chrono::steady_clock::now();
  sweeper.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "stop does not wait out the hour";
}

}  // namespace
}  // namespace tfa::app
