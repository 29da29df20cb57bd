#include "storage/sql/group_commit.hpp"

#include "core/thread_name.hpp"
#include "storage/sql/open_transaction.hpp"

namespace tfa::storage::sql {

Result<std::unique_ptr<GroupCommit>> GroupCommit::open(const Database* owner, std::string begin, Opener opener) {
  std::unique_ptr<GroupCommit> group(new GroupCommit(owner, std::move(begin), std::move(opener)));
  auto connection = group->opener_();
  if (!connection) return tl::unexpected(connection.error());
  group->connection_ = std::move(*connection);
  group->writer_ = std::thread([writer = group.get()] {
    core::name_this_thread("tfa-writer");
    writer->write();
  });
  return group;
}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  if (writer_.joinable()) writer_.join();
}

Result<void> GroupCommit::run(const Work& work) {
  Job job(&work, /*transaction=*/true);
  return submit(job);
}

Result<void> GroupCommit::run_between_transactions(const Work& work) {
  Job job(&work, /*transaction=*/false);
  return submit(job);
}

std::size_t GroupCommit::waiting() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

Result<void> GroupCommit::submit(Job& job) {
  // From a work, this would wait for itself. (Database joins the open transaction instead of
  // coming here; this catches what does not go through it.)
  if (std::this_thread::get_id() == writer_.get_id()) {
    return fail(Errc::internal, "a write queued by the writer's own thread");
  }
  // A condition variable, not std::binary_semaphore: libstdc++'s semaphore spins with
  // sched_yield before it sleeps, and a few waiting threads then starve the writer.
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  queued_.notify_one();
  job.finished.wait(lock, [&job] { return job.done; });
  lock.unlock();
  if (job.exception) std::rethrow_exception(job.exception);
  return std::move(job.outcome);
}

std::vector<GroupCommit::Job*> GroupCommit::take_batch() {
  std::size_t count = 1;
  if (queue_.front()->in_transaction) {
    while (count < queue_.size() && count < kMaxBatch && queue_[count]->in_transaction) ++count;
  }
  const auto end = queue_.begin() + static_cast<std::ptrdiff_t>(count);
  std::vector<Job*> batch(queue_.begin(), end);
  queue_.erase(queue_.begin(), end);
  return batch;
}

void GroupCommit::write() {
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and nothing left to write
    const std::vector<Job*> batch = take_batch();
    lock.unlock();
    try {
      if (batch.front()->in_transaction) {
        run_batch(batch);
      } else {
        run_outside(*batch.front());
      }
    } catch (...) {  // bad_alloc in the bookkeeping: the works' own exceptions are caught
      fail_all(batch, Error{Errc::internal, "the write transaction failed unexpectedly"});
      connection_.reset();  // its transaction may still be open; the next batch opens another
    }
    lock.lock();
    // Notified under the lock: each waiter owns its job, which may be gone once it wakes.
    for (Job* job : batch) {
      job->done = true;
      job->finished.notify_one();
    }
  }
}

Result<void> GroupCommit::connect() {
  if (connection_) return {};
  TFA_TRY(connection_, opener_());
  return {};
}

void GroupCommit::run_batch(const std::vector<Job*>& batch) {
  if (auto connected = connect(); !connected) return fail_all(batch, connected.error());
  if (batch.size() == 1) return run_alone(*batch.front());

  if (auto begun = connection_->execute(begin_); !begun) {
    connection_.reset();  // a connection that cannot begin is suspect; open a fresh one next time
    return fail_all(batch, begun.error());
  }
  for (Job* job : batch) {
    if (auto kept = run_in_savepoint(*job); !kept) {
      // The transaction itself broke: nothing of this batch can commit. A work that failed
      // on its own keeps its error; the others get the one that broke the transaction.
      abandon();
      for (Job* each : batch) {
        if (!each->exception && each->outcome) each->outcome = tl::unexpected(kept.error());
      }
      return;
    }
  }
  if (auto committed = connection_->execute("COMMIT"); !committed) {
    (void)connection_->execute("ROLLBACK");
    connection_.reset();  // its transaction's fate is unknown to it; do not reuse it
    for (Job* job : batch) {
      if (!job->exception && job->outcome) job->outcome = tl::unexpected(committed.error());
    }
  }
}

Result<void> GroupCommit::run_in_savepoint(Job& job) {
  TFA_CHECK(connection_->execute("SAVEPOINT work"));
  try {
    MarkOpen mark(owner_, *connection_);
    job.outcome = (*job.work)(*connection_);
  } catch (...) {
    job.exception = std::current_exception();
  }
  if (!job.exception && job.outcome) {
    TFA_CHECK(connection_->execute("RELEASE work"));
    return {};
  }
  // The work failed: undo its statements only. It keeps its own error.
  TFA_CHECK(connection_->execute("ROLLBACK TO work"));
  TFA_CHECK(connection_->execute("RELEASE work"));
  return {};
}

void GroupCommit::run_outside(Job& job) {
  if (auto connected = connect(); !connected) {
    job.outcome = tl::unexpected(connected.error());
    return;
  }
  try {
    job.outcome = (*job.work)(*connection_);
  } catch (...) {
    job.exception = std::current_exception();
  }
}

void GroupCommit::run_alone(Job& job) {
  if (auto begun = connection_->execute(begin_); !begun) {
    connection_.reset();
    job.outcome = tl::unexpected(begun.error());
    return;
  }
  try {
    MarkOpen mark(owner_, *connection_);
    job.outcome = (*job.work)(*connection_);
  } catch (...) {
    job.exception = std::current_exception();
  }
  if (job.exception || !job.outcome) return abandon();
  if (auto committed = connection_->execute("COMMIT"); !committed) {
    (void)connection_->execute("ROLLBACK");
    connection_.reset();
    job.outcome = tl::unexpected(committed.error());
  }
}

void GroupCommit::abandon() {
  if (!connection_->execute("ROLLBACK")) connection_.reset();
}

void GroupCommit::fail_all(const std::vector<Job*>& jobs, const Error& error) {
  for (Job* job : jobs) job->outcome = tl::unexpected(error);
}

}  // namespace tfa::storage::sql
