#pragma once
// Group commit: the write transactions of many threads, run one after another on one
// connection and committed together.
//
// SQLite has one write lock per file, so its writes are serial anyway. What costs is the rest
// of each transaction: taking the lock, writing the changed pages to the WAL at COMMIT (the
// tail pages of the audit log and of each index, written again by every transaction), and
// handing the lock from one thread to the next. Here a thread that wants to write queues its
// work and waits; the writer's own thread takes every queued work into one transaction, runs
// each inside a savepoint of its own, and commits once. Under load the batches grow by
// themselves; alone, a work runs at once, in a transaction of its own. One thread that only
// writes also keeps the connection's page cache warm, and the thread scheduler sees the one
// writer that everyone waits for rather than whichever thread happened to take the lock.
//
// Each work keeps the meaning of its own transaction: it sees the writes of the works before
// it in the batch (as it would have after their commits), a work that fails or throws is
// rolled back to its savepoint without touching the others, and it learns of its outcome only
// after the batch's COMMIT. If the batch cannot be committed, every work in it fails.
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

class GroupCommit {
 public:
  using Work = std::function<Result<void>(Connection&)>;
  using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

  /// `begin` starts a write transaction ("BEGIN IMMEDIATE" for SQLite). `opener` makes the
  /// connection, now and again whenever a transaction could not be ended cleanly. Works that
  /// call the database again find the open transaction through MarkOpen(`owner`, ...).
  static Result<std::unique_ptr<GroupCommit>> open(const Database* owner, std::string begin, Opener opener);
  /// Stops the writer's thread. Only once no thread is inside run() any more.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  /// Runs `work` in a write transaction, maybe with other threads' works, and returns once
  /// that transaction has committed or rolled back. `work` runs on the writer's thread while
  /// the caller waits: it may use what the caller's stack holds, but not the caller's
  /// thread-local state. An exception from `work` is rethrown here. Must not be called from
  /// a work (it would wait for itself); Database joins the open transaction instead.
  Result<void> run(const Work& work);

  /// Runs `work` on the writer's connection between two transactions, with no transaction
  /// open and no other work running: for statements that cannot run inside one (SQLite's
  /// checkpoints). Queued in order with the others; waits like run().
  Result<void> run_between_transactions(const Work& work);

  /// Works queued and not yet taken by the writer (for tests and monitoring).
  std::size_t waiting();

  /// The most works one transaction takes (the rest wait for the next).
  static constexpr std::size_t kMaxBatch = 64;

 private:
  struct Job {
    Job(const Work* w, bool transaction) : work(w), in_transaction(transaction) {}
    const Work* work;
    bool in_transaction;
    Result<void> outcome;
    std::exception_ptr exception;
    bool done = false;                  // under mutex_: the outcome is final
    std::condition_variable finished;   // notified once done
  };

  GroupCommit(const Database* owner, std::string begin, Opener opener)
      : owner_(owner), begin_(std::move(begin)), opener_(std::move(opener)) {}

  /// Queues `job` and waits until the writer is done with it.
  Result<void> submit(Job& job);
  /// The writer's thread: batches until stopped and nothing is queued.
  void write();
  /// Under mutex_: the next works that run together (all in one transaction, or one alone
  /// outside of any), taken off the queue in order.
  std::vector<Job*> take_batch();
  /// A work that wants no transaction, on the writer's thread.
  void run_outside(Job& job);
  /// Opens the connection again if a failed transaction dropped it.
  Result<void> connect();
  /// One transaction for `batch`, on the writer's thread.
  void run_batch(const std::vector<Job*>& batch);
  /// Runs one job inside a savepoint of the open transaction. The job's own outcome goes to
  /// `job`; the error returned is the transaction's (a savepoint statement failed).
  Result<void> run_in_savepoint(Job& job);
  /// Runs one job as the whole transaction.
  void run_alone(Job& job);
  /// Ends an unusable transaction; a connection that cannot even roll back is replaced.
  void abandon();
  static void fail_all(const std::vector<Job*>& jobs, const Error& error);

  const Database* const owner_;
  const std::string begin_;
  const Opener opener_;
  std::unique_ptr<Connection> connection_;  // the writer's thread's; null until reopened

  std::mutex mutex_;
  std::condition_variable queued_;  // a job arrived, or the writer should stop
  std::vector<Job*> queue_;
  bool stopping_ = false;
  std::thread writer_;  // last: starts once the rest exists
};

}  // namespace tfa::storage::sql
