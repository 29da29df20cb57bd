#pragma once
// A Database for a backend with one writer at a time (SQLite): write transactions go to one
// connection of their own through GroupCommit, reads to a pool of connections that a backend
// knows how to open. Pool connections are opened on demand up to `max_size`; a reader that
// finds all in use waits for one. A connection whose transaction could not be ended cleanly
// is dropped rather than reused.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sql/database.hpp"
#include "storage/sql/group_commit.hpp"

namespace tfa::storage::sql {

struct PoolSettings {
  int max_size = 4;                  // readers; the writer has a connection of its own
  std::string begin = "BEGIN";       // SQLite: "BEGIN IMMEDIATE"
  std::string begin_read = "BEGIN";  // for run_read_transaction
  Dialect dialect = Dialect::sqlite;
  std::string description;      // for describe(), without secrets
};

class PooledDatabase final : public Database {
 public:
  using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

  /// Opens the writer's connection and one reader right away, so that a database that cannot
  /// be reached fails here, at start-up, rather than at the first request.
  static Result<std::unique_ptr<PooledDatabase>> open(PoolSettings settings, Opener opener);

  Result<void> run_transaction(const std::function<Result<void>(Connection&)>& work) override;
  Result<void> run_read_transaction(const std::function<Result<void>(Connection&)>& work) override;
  /// Runs `work` on the writer's connection between two write transactions, with none open
  /// (GroupCommit::run_between_transactions): for SQLite's checkpoints.
  Result<void> run_between_writes(const std::function<Result<void>(Connection&)>& work);
  Dialect dialect() const noexcept override { return settings_.dialect; }
  std::string describe() const override { return settings_.description; }

 private:
  PooledDatabase(PoolSettings settings, Opener opener)
      : settings_(std::move(settings)), opener_(std::move(opener)) {}
  Result<std::unique_ptr<Connection>> acquire();
  void release(std::unique_ptr<Connection> connection);
  void forget_one();
  Result<void> run_read(const std::function<Result<void>(Connection&)>& work);

  PoolSettings settings_;
  Opener opener_;
  std::unique_ptr<GroupCommit> writer_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_count_ = 0;
};

}  // namespace tfa::storage::sql
