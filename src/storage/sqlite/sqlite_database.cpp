#include "storage/sqlite/sqlite_database.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "storage/sql/pooled_database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace tfa::storage::sqlite {
namespace {

constexpr auto kCheckpointInterval = std::chrono::milliseconds(200);

/// Copies the WAL back into the database file on a thread of its own, so that no request
/// pays for it. SQLite would otherwise do it inside the commit that takes the WAL past 1000
/// pages, with two fsyncs, while holding the write lock. PASSIVE: it never waits for readers
/// or the writer, and resumes where it stopped on the next round.
class Checkpointer {
 public:
  explicit Checkpointer(std::unique_ptr<SqliteConnection> connection)
      : connection_(std::move(connection)), thread_([this] { run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kCheckpointInterval, [this] { return stopping_; })) {
      // A failure (busy, I/O) is retried next round; the commits themselves are unaffected.
      (void)connection_->execute_script("PRAGMA wal_checkpoint(PASSIVE);");
    }
  }

  std::unique_ptr<SqliteConnection> connection_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest exists
};

/// The pool, and the checkpointer that keeps its WAL short.
class SqliteDatabase final : public sql::Database {
 public:
  SqliteDatabase(std::unique_ptr<sql::Database> pool, std::unique_ptr<SqliteConnection> checkpointing)
      : pool_(std::move(pool)), checkpointer_(std::move(checkpointing)) {}

  Result<void> run_transaction(const std::function<Result<void>(sql::Connection&)>& work) override {
    return pool_->run_transaction(work);
  }
  Result<void> run_read_transaction(const std::function<Result<void>(sql::Connection&)>& work) override {
    return pool_->run_read_transaction(work);
  }
  sql::Dialect dialect() const noexcept override { return sql::Dialect::sqlite; }
  std::string describe() const override { return pool_->describe(); }

 private:
  std::unique_ptr<sql::Database> pool_;
  Checkpointer checkpointer_;
};

}  // namespace

Result<std::unique_ptr<sql::Database>> open_sqlite_database(const std::filesystem::path& path,
                                                            int pool_size) {
  sql::PoolSettings settings;
  settings.max_size = pool_size;
  // Take the write lock at BEGIN: a transaction that reads then writes cannot then fail with
  // SQLITE_BUSY half-way, and concurrent writers queue on the busy timeout instead.
  settings.begin = "BEGIN IMMEDIATE";
  // Readers in WAL mode see the last commit and never wait for the writer.
  settings.begin_read = "BEGIN DEFERRED";
  settings.one_writer_at_a_time = true;
  settings.dialect = sql::Dialect::sqlite;
  settings.description = "sqlite:" + path.string();
  auto database = sql::PooledDatabase::open(
      std::move(settings), [path]() -> Result<std::unique_ptr<sql::Connection>> {
        auto connection = SqliteConnection::open(path);
        if (!connection) return tl::unexpected(connection.error());
        // The Checkpointer does this work instead of the commits.
        if (auto off = (*connection)->execute_script("PRAGMA wal_autocheckpoint = 0;"); !off) {
          return tl::unexpected(off.error());
        }
        return std::unique_ptr<sql::Connection>(std::move(*connection));
      });
  if (!database) return tl::unexpected(database.error());
  auto checkpointing = SqliteConnection::open(path);
  if (!checkpointing) return tl::unexpected(checkpointing.error());
  return std::unique_ptr<sql::Database>(
      std::make_unique<SqliteDatabase>(std::move(*database), std::move(*checkpointing)));
}

}  // namespace tfa::storage::sqlite
