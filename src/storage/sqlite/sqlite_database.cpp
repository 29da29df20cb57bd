#include "storage/sqlite/sqlite_database.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/thread_name.hpp"
#include "storage/sql/pooled_database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace tfa::storage::sqlite {
namespace {

constexpr auto kCheckpointInterval = std::chrono::milliseconds(200);
// 16 MiB of 4 KiB pages: past this, the WAL is emptied (see below).
constexpr int kTruncateAfterFrames = 4096;
// How long the emptying waits for readers of old frames (writes wait meanwhile), and how long
// after it gave up the next one is tried.
constexpr int kTruncateWaitMs = 100;
constexpr auto kTruncateBackoff = std::chrono::milliseconds(250);

/// Copies the WAL back into the database file on a thread of its own, so that no request
/// pays for it. SQLite would otherwise do it inside the commit that takes the WAL past 1000
/// pages, with two fsyncs, while holding the write lock. PASSIVE: it never waits for readers
/// or the writer, and resumes where it stopped on the next round.
///
/// A passive checkpoint never lets the WAL start over while writes keep coming: SQLite
/// rewinds it only when a write begins after a checkpoint that copied every frame, and here
/// commits land between any two checkpoints. Under steady load the file would grow without
/// end. So once a commit leaves kTruncateAfterFrames in it, a round starts at once, and ends
/// with a TRUNCATE checkpoint that the writer's thread runs between two of its transactions:
/// it copies the few frames the passive one left, waits for the readers of old frames
/// (microseconds each), and empties the file. Writes wait for it, a few milliseconds; run
/// from here instead, it would wait behind the writer for as long as writes keep coming. A
/// reader that holds old frames longer (a long report, another process) makes it give up
/// after kTruncateWaitMs rather than hold every write for the 10 s busy timeout, and the next
/// try comes kTruncateBackoff later.
class Checkpointer {
 public:
  explicit Checkpointer(std::unique_ptr<SqliteConnection> connection)
      : connection_(std::move(connection)), thread_([this] {
          core::name_this_thread("tfa-checkpoint");
          run();
        }) {}
  ~Checkpointer() { stop(); }

  /// Ends the thread (once); a commit's wake-up after this does nothing.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// The database, whose writer runs the TRUNCATE checkpoints. Set once, before any write.
  void watch(sql::PooledDatabase& database) { database_.store(&database); }

  /// From the writer's WAL hook, after each commit: a WAL past the limit starts a round now.
  void committed(int frames) {
    if (frames < kTruncateAfterFrames) return;
    {
      std::lock_guard lock(mutex_);
      if (full_ || std::chrono::steady_clock::now() < truncate_not_before_) return;
      full_ = true;
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait_for(lock, kCheckpointInterval, [this] { return stopping_ || full_; });
      if (stopping_) return;
      full_ = false;
      lock.unlock();
      // A failure (busy, I/O) is retried next round; the commits themselves are unaffected.
      const bool large = frames_after_passive_checkpoint() >= kTruncateAfterFrames;
      const bool emptied = !large || std::chrono::steady_clock::now() < truncate_not_before_locked() ||
                           empty_the_wal();
      lock.lock();
      if (!emptied) truncate_not_before_ = std::chrono::steady_clock::now() + kTruncateBackoff;
    }
  }

  std::chrono::steady_clock::time_point truncate_not_before_locked() {
    std::lock_guard lock(mutex_);
    return truncate_not_before_;
  }

  /// The TRUNCATE checkpoint, on the writer's thread between two transactions, waiting at
  /// most kTruncateWaitMs for readers. False when it could not empty the WAL.
  bool empty_the_wal() {
    sql::PooledDatabase* database = database_.load();
    if (database == nullptr) return false;
    bool emptied = false;
    (void)database->run_between_writes([&emptied](sql::Connection& writer) -> Result<void> {
      TFA_CHECK(writer.execute_script("PRAGMA busy_timeout = " + std::to_string(kTruncateWaitMs) + ";"));
      auto done = writer.execute("PRAGMA wal_checkpoint(TRUNCATE)", {});
      // One row: busy (1 when a reader or another process's writer was in the way), ...
      emptied = done && !done->rows.empty() && done->rows.front().integer(0).value_or(1) == 0;
      TFA_CHECK(writer.execute_script("PRAGMA busy_timeout = " +
                                      std::to_string(SqliteConnection::kBusyTimeoutMs) + ";"));
      return {};
    });
    return emptied;
  }

  /// Runs a passive checkpoint; the frames in the WAL (0 when unknown).
  std::int64_t frames_after_passive_checkpoint() {
    // One row: busy, frames in the WAL, frames copied into the database.
    auto done = connection_->execute("PRAGMA wal_checkpoint(PASSIVE)", {});
    if (!done || done->rows.empty()) return 0;
    return done->rows.front().integer(1).value_or(0);
  }

  std::unique_ptr<SqliteConnection> connection_;
  std::atomic<sql::PooledDatabase*> database_{nullptr};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool full_ = false;  // a commit left the WAL past the limit
  std::chrono::steady_clock::time_point truncate_not_before_{};  // after a TRUNCATE that gave up
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest exists
};

/// The pool, and the checkpointer that keeps its WAL short.
class SqliteDatabase final : public sql::Database {
 public:
  SqliteDatabase(std::unique_ptr<sql::PooledDatabase> pool, std::shared_ptr<Checkpointer> checkpointer)
      : pool_(std::move(pool)), checkpointer_(std::move(checkpointer)) {
    checkpointer_->watch(*pool_);
  }
  // The checkpointer's thread uses pool_: it stops first. Stopped explicitly, since a commit's
  // WAL hook may hold the last reference for a moment.
  ~SqliteDatabase() override {
    checkpointer_->stop();
    checkpointer_.reset();
  }

  Result<void> run_transaction(const std::function<Result<void>(sql::Connection&)>& work) override {
    return pool_->run_transaction(work);
  }
  Result<void> run_read_transaction(const std::function<Result<void>(sql::Connection&)>& work) override {
    return pool_->run_read_transaction(work);
  }
  sql::Dialect dialect() const noexcept override { return sql::Dialect::sqlite; }
  std::string describe() const override { return pool_->describe(); }

 private:
  std::unique_ptr<sql::PooledDatabase> pool_;
  std::shared_ptr<Checkpointer> checkpointer_;  // also held by the connections' WAL hooks
};

}  // namespace

Result<std::unique_ptr<sql::Database>> open_sqlite_database(const std::filesystem::path& path,
                                                            int pool_size) {
  auto checkpointing = SqliteConnection::open(path);
  if (!checkpointing) return tl::unexpected(checkpointing.error());
  auto checkpointer = std::make_shared<Checkpointer>(std::move(*checkpointing));

  sql::PoolSettings settings;
  settings.max_size = pool_size;
  // Take the write lock at BEGIN: a transaction that reads then writes cannot then fail with
  // SQLITE_BUSY half-way, and writers of other processes queue on the busy timeout instead.
  // This process's writers queue for the one write connection (GroupCommit).
  settings.begin = "BEGIN IMMEDIATE";
  // Readers in WAL mode see the last commit and never wait for the writer.
  settings.begin_read = "BEGIN DEFERRED";
  settings.dialect = sql::Dialect::sqlite;
  settings.description = "sqlite:" + path.string();
  // Weakly: a connection reopened after the database is gone must not keep the checkpointer.
  std::weak_ptr<Checkpointer> watcher = checkpointer;
  auto database = sql::PooledDatabase::open(
      std::move(settings), [path, watcher]() -> Result<std::unique_ptr<sql::Connection>> {
        auto connection = SqliteConnection::open(path);
        if (!connection) return tl::unexpected(connection.error());
        // The Checkpointer does this work instead of the commits (the hook replaces SQLite's).
        (*connection)->on_commit([watcher](int frames) {
          if (auto alive = watcher.lock()) alive->committed(frames);
        });
        return std::unique_ptr<sql::Connection>(std::move(*connection));
      });
  if (!database) return tl::unexpected(database.error());
  return std::unique_ptr<sql::Database>(
      std::make_unique<SqliteDatabase>(std::move(*database), std::move(checkpointer)));
}

}  // namespace tfa::storage::sqlite
