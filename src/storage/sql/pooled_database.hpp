#pragma once
// A Database over a pool of connections that a backend knows how to open. Connections are
// opened on demand up to `max_size`; a caller that finds all in use waits for one. A
// connection whose transaction could not be ended cleanly is dropped rather than reused.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

struct PoolSettings {
  int max_size = 4;
  std::string begin = "BEGIN";       // SQLite: "BEGIN IMMEDIATE"
  std::string begin_read = "BEGIN";  // for run_read_transaction
  // Let one write transaction of this process run at a time, queueing the others on a mutex.
  // For SQLite, which has one write lock per file: without this, threads of one process meet
  // at the busy handler, which sleeps whole milliseconds between tries.
  bool one_writer_at_a_time = false;
  Dialect dialect = Dialect::sqlite;
  std::string description;      // for describe(), without secrets
};

class PooledDatabase final : public Database {
 public:
  using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

  /// Opens one connection right away, so that a database that cannot be reached fails here,
  /// at start-up, rather than at the first request.
  static Result<std::unique_ptr<PooledDatabase>> open(PoolSettings settings, Opener opener);

  Result<void> run_transaction(const std::function<Result<void>(Connection&)>& work) override;
  Result<void> run_read_transaction(const std::function<Result<void>(Connection&)>& work) override;
  Dialect dialect() const noexcept override { return settings_.dialect; }
  std::string describe() const override { return settings_.description; }

 private:
  PooledDatabase(PoolSettings settings, Opener opener)
      : settings_(std::move(settings)), opener_(std::move(opener)) {}
  Result<std::unique_ptr<Connection>> acquire();
  void release(std::unique_ptr<Connection> connection);
  void forget_one();
  Result<void> run(const std::string& begin, bool reads_only,
                   const std::function<Result<void>(Connection&)>& work);

  PoolSettings settings_;
  Opener opener_;
  std::mutex mutex_;
  std::mutex writer_;  // held through a write transaction when one_writer_at_a_time
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_count_ = 0;
};

}  // namespace tfa::storage::sql
