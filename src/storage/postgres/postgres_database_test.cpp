// Runs against a real server: the `postgres` CTest fixture (tests/postgres/pg_cluster), or the
// server named by TFA_TEST_POSTGRES_URL. Each test works in a schema of its own, so tests may
// run in parallel against one database.
#include "storage/postgres/postgres_database.hpp"

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace tfa::storage::postgres {
namespace {

using sql::Blob;
using sql::Null;
using sql::QueryResult;
using sql::Value;

std::string server_url() {
  if (const char* url = std::getenv("TFA_TEST_POSTGRES_URL"); url && *url) return url;
  std::ifstream in(TFA_POSTGRES_URL_FILE);
  std::string url;
  std::getline(in, url);
  return url;
}

std::string random_suffix() {
  std::random_device device;
  std::ostringstream out;
  out << std::hex << device() << device();
  return out.str();
}

std::string with_parameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

Result<QueryResult> run(sql::Database& db, std::string_view statement,
                        std::vector<Value> params = {}) {
  return db.transaction<QueryResult>(
      [&](sql::Connection& connection) { return connection.execute(statement, params); });
}

std::int64_t count(sql::Database& db, const std::string& table) {
  auto result = run(db, "SELECT count(*) FROM " + table);
  EXPECT_TRUE(result) << result.error().message;
  return result ? *result->rows.at(0).integer(0) : -1;
}

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = server_url();
    ASSERT_FALSE(url_.empty()) << "no PostgreSQL server: run the tests with ctest (fixture "
                                  "`postgres`) or set TFA_TEST_POSTGRES_URL";
    auto admin = open_postgres_database(url_, 1);
    ASSERT_TRUE(admin) << admin.error().message;
    admin_ = std::move(*admin);
    schema_ = "t_" + random_suffix();
    ASSERT_TRUE(run(*admin_, "CREATE SCHEMA " + schema_));
    auto db = open(4);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
  }

  void TearDown() override {
    db_.reset();
    if (admin_ && !schema_.empty()) run(*admin_, "DROP SCHEMA " + schema_ + " CASCADE");
  }

  /// A database whose sessions work in this test's schema.
  Result<std::unique_ptr<sql::Database>> open(int pool_size, const std::string& extra = "") {
    auto url = with_parameter(url_, "options=-csearch_path%3D" + schema_);
    return open_postgres_database(extra.empty() ? url : with_parameter(url, extra), pool_size);
  }

  void migrate() {
    std::ifstream in(TFA_POSTGRES_SCHEMA);
    std::stringstream script;
    script << in.rdbuf();
    ASSERT_FALSE(script.str().empty());
    auto done = db_->run_transaction(
        [&](sql::Connection& connection) { return connection.execute_script(script.str()); });
    ASSERT_TRUE(done) << done.error().message;
  }

  void add_user(const std::string& name) {
    auto added = run(*db_,
                     "INSERT INTO users (name, email, password_hash, created_at, updated_at) "
                     "VALUES ($1, $2, 'x', 0, 0)",
                     sql::params(name, name + "@example.org"));
    ASSERT_TRUE(added) << added.error().message;
  }

  std::string url_;
  std::string schema_;
  std::unique_ptr<sql::Database> admin_;
  std::unique_ptr<sql::Database> db_;
};

TEST_F(PostgresDatabaseTest, DescribesTheServerWithoutThePassword) {
  EXPECT_EQ(db_->dialect(), sql::Dialect::postgres);
  if (!std::getenv("TFA_TEST_POSTGRES_URL")) {
    EXPECT_EQ(admin_->describe(), url_);
  }
  EXPECT_TRUE(db_->describe().starts_with("postgresql://"));
}

TEST_F(PostgresDatabaseTest, AppliesTheInitialMigration) {
  migrate();
  auto tables = run(*db_,
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() ORDER BY table_name");
  ASSERT_TRUE(tables) << tables.error().message;
  EXPECT_EQ(tables->rows.size(), 11u);
  EXPECT_EQ(*tables->rows.at(0).text(0), "api_tokens");
}

TEST_F(PostgresDatabaseTest, RoundTripsEveryValueType) {
  ASSERT_TRUE(run(*db_, "CREATE TABLE vals (id BIGINT, i BIGINT, t TEXT, b BYTEA)"));
  const std::vector<std::int64_t> integers = {INT64_MIN, -1, 0, std::int64_t{1} << 40,
                                              INT64_MAX};
  const std::string text = "Grüße, 日本語 ✓";
  const Blob bytes{{0x00, 0xff, 0x00, 0x01, 0x80}};
  for (std::size_t k = 0; k < integers.size(); ++k) {
    ASSERT_TRUE(run(*db_, "INSERT INTO vals VALUES ($1, $2, $3, $4)",
                    sql::params(static_cast<std::int64_t>(k), integers[k], text, bytes)));
  }
  ASSERT_TRUE(run(*db_, "INSERT INTO vals VALUES (10, $1, $2, $3)",
                  sql::params(Null{}, Null{}, Null{})));
  ASSERT_TRUE(run(*db_, "INSERT INTO vals VALUES (11, 0, $1, $2)",
                  sql::params(std::string(), Blob{})));

  auto rows = run(*db_, "SELECT i, t, b FROM vals ORDER BY id");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->rows.size(), integers.size() + 2);
  for (std::size_t k = 0; k < integers.size(); ++k) {
    const auto& row = rows->rows[k];
    EXPECT_EQ(*row.integer(0), integers[k]);
    EXPECT_EQ(*row.text(1), text);
    EXPECT_EQ(*row.blob(2), bytes.bytes);
  }
  const auto& nulls = rows->rows[integers.size()];
  EXPECT_TRUE(nulls.is_null(0) && nulls.is_null(1) && nulls.is_null(2));
  const auto& empty = rows->rows[integers.size() + 1];
  EXPECT_EQ(*empty.text(1), "");
  EXPECT_TRUE(empty.blob(2)->empty());
}

TEST_F(PostgresDatabaseTest, MapsColumnTypes) {
  auto result = run(*db_,
                    "SELECT 7::int2, 8::int4, 9::int8, true, false, 1.5::numeric, 'x'::text, "
                    "$1, $2, NULL",
                    sql::params(std::int64_t{1} << 33, "y"));
  ASSERT_TRUE(result) << result.error().message;
  const auto& row = result->rows.at(0);
  EXPECT_EQ(*row.integer(0), 7);
  EXPECT_EQ(*row.integer(1), 8);
  EXPECT_EQ(*row.integer(2), 9);
  EXPECT_EQ(*row.integer(3), 1);
  EXPECT_EQ(*row.integer(4), 0);
  EXPECT_EQ(*row.text(5), "1.5");
  EXPECT_EQ(*row.text(6), "x");
  EXPECT_EQ(*row.integer(7), std::int64_t{1} << 33);
  EXPECT_EQ(*row.text(8), "y");
  EXPECT_TRUE(row.is_null(9));
}

TEST_F(PostgresDatabaseTest, ReportsConstraintViolationsAsConflicts) {
  migrate();
  add_user("Alice");
  auto duplicate = run(*db_,
                       "INSERT INTO users (name, email, password_hash, created_at, updated_at) "
                       "VALUES ('alice', 'a@example.org', 'x', 0, 0)");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::conflict);
  EXPECT_NE(duplicate.error().message.find("users_name_key"), std::string::npos);

  auto orphan = run(*db_,
                    "INSERT INTO factors (user_id, kind, status, created_at) "
                    "VALUES (999, 'totp', 'pending', 0)");
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, Errc::conflict);
}

TEST_F(PostgresDatabaseTest, ReportsOtherErrorsAsInternal) {
  auto bad = run(*db_, "SELEC 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::internal);
  EXPECT_NE(bad.error().message.find("syntax error"), std::string::npos) << bad.error().message;
}

TEST_F(PostgresDatabaseTest, RollsBackWhenTheWorkFailsOrThrows) {
  migrate();
  auto single = open(1);  // one session, so the one that rolled back is the one reused
  ASSERT_TRUE(single) << single.error().message;
  auto& db = **single;
  const auto insert = [](sql::Connection& connection) {
    return connection.execute(
        "INSERT INTO users (name, email, password_hash, created_at, updated_at) "
        "VALUES ('bob', 'b@example.org', 'x', 0, 0)");
  };

  auto failed = db.run_transaction([&](sql::Connection& connection) -> Result<void> {
    if (auto inserted = insert(connection); !inserted) return tl::unexpected(inserted.error());
    return fail(Errc::not_found, "changed my mind");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::not_found);
  EXPECT_EQ(count(db, "users"), 0);

  EXPECT_THROW(db.run_transaction([&](sql::Connection& connection) -> Result<void> {
    (void)insert(connection);
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count(db, "users"), 0);
}

TEST_F(PostgresDatabaseTest, FailsTheCommitOfATransactionWithAnIgnoredError) {
  auto done = db_->run_transaction([](sql::Connection& connection) -> Result<void> {
    (void)connection.execute("SELECT no_such_column");
    return {};
  });
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, Errc::internal);
}

TEST_F(PostgresDatabaseTest, CountsAffectedRows) {
  ASSERT_TRUE(run(*db_, "CREATE TABLE items (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  auto inserted = run(*db_, "INSERT INTO items VALUES (1, 0), (2, 0), (3, 5)");
  ASSERT_TRUE(inserted);
  EXPECT_EQ(inserted->affected, 3);
  auto updated = run(*db_, "UPDATE items SET n = n + 1 WHERE n = $1", sql::params(0));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->affected, 2);
  auto none = run(*db_, "UPDATE items SET n = 0 WHERE id = 42");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->affected, 0);
  auto deleted = run(*db_, "DELETE FROM items WHERE id = 3 RETURNING n");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->affected, 1);
  EXPECT_EQ(*deleted->rows.at(0).integer(0), 5);
}

TEST_F(PostgresDatabaseTest, ReconnectsWhenTheServerDropsAPooledSession) {
  auto single = open(1);
  ASSERT_TRUE(single) << single.error().message;
  auto& db = **single;
  auto before = run(db, "SELECT pg_backend_pid()");
  ASSERT_TRUE(before);
  const auto pid = *before->rows.at(0).integer(0);
  ASSERT_TRUE(run(*admin_, "SELECT pg_terminate_backend($1::int)", sql::params(pid)));

  auto after = run(db, "SELECT pg_backend_pid()");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_NE(*after->rows.at(0).integer(0), pid);
}

TEST_F(PostgresDatabaseTest, SharesAPoolOfFourAmongEightThreads) {
  ASSERT_TRUE(run(*db_, "CREATE TABLE counter (n BIGINT NOT NULL)"));
  ASSERT_TRUE(run(*db_, "INSERT INTO counter VALUES (0)"));
  const std::string application = "tfa_pool_" + random_suffix();
  auto pool = open(4, "application_name=" + application);
  ASSERT_TRUE(pool) << pool.error().message;
  auto& db = **pool;

  constexpr int threads = 8;
  constexpr int increments = 25;
  std::atomic<int> failures = 0;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int k = 0; k < increments; ++k) {
        if (!run(db, "UPDATE counter SET n = n + 1")) ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();

  EXPECT_EQ(failures.load(), 0);
  auto total = run(db, "SELECT n FROM counter");
  ASSERT_TRUE(total);
  EXPECT_EQ(*total->rows.at(0).integer(0), threads * increments);
  auto sessions = run(*admin_, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                      sql::params(application));
  ASSERT_TRUE(sessions);
  EXPECT_GE(*sessions->rows.at(0).integer(0), 1);
  EXPECT_LE(*sessions->rows.at(0).integer(0), 4);
}

TEST(PostgresOpen, FailsFastWithoutRevealingThePassword) {
  const auto start = std::chrono::steady_clock::now();
  auto db = open_postgres_database("postgresql://u:s3cret@127.0.0.1:1/x", 2);
  ASSERT_FALSE(db);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(db.error().code, Errc::unavailable);
  EXPECT_EQ(db.error().message, "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused");
}

TEST(PostgresOpen, RejectsAMalformedUrlWithoutRevealingThePassword) {
  auto db = open_postgres_database("postgresql://u:s3cret@[::1/x", 2);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, Errc::invalid_argument);
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos) << db.error().message;
}

TEST(PostgresOpen, RejectsAnEmptyPool) {
  auto db = open_postgres_database(server_url(), 0);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace tfa::storage::postgres
