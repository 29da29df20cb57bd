#include "storage/sql/pooled_database.hpp"

#include "storage/sql/open_transaction.hpp"

namespace tfa::storage::sql {

Result<std::unique_ptr<PooledDatabase>> PooledDatabase::open(PoolSettings settings, Opener opener) {
  if (settings.max_size < 1) settings.max_size = 1;
  std::unique_ptr<PooledDatabase> database(new PooledDatabase(std::move(settings), std::move(opener)));
  auto writer = GroupCommit::open(database.get(), database->settings_.begin, database->opener_);
  if (!writer) return tl::unexpected(writer.error());
  database->writer_ = std::move(*writer);
  auto first = database->acquire();
  if (!first) return tl::unexpected(first.error());
  database->release(std::move(*first));
  return database;
}

namespace {
// The connection this thread read through last (and the pool it came from): taken again when
// it is idle, so that its page cache and statements stay in the caches of the core this
// thread runs on, instead of travelling between cores with every request.
thread_local const void* last_pool = nullptr;
thread_local const Connection* last_connection = nullptr;
}  // namespace

Result<std::unique_ptr<Connection>> PooledDatabase::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_count_ < settings_.max_size; });
  if (!idle_.empty()) {
    auto chosen = idle_.end() - 1;
    if (last_pool == this) {
      for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if (it->get() == last_connection) chosen = it;
      }
    }
    auto connection = std::move(*chosen);
    idle_.erase(chosen);
    last_pool = this;
    last_connection = connection.get();
    return connection;
  }
  ++open_count_;
  lock.unlock();
  auto connection = opener_();
  if (!connection) {
    forget_one();
    return connection;
  }
  last_pool = this;
  last_connection = connection->get();
  return connection;
}

void PooledDatabase::release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

void PooledDatabase::forget_one() {
  {
    std::lock_guard lock(mutex_);
    --open_count_;
  }
  available_.notify_one();
}

Result<void> PooledDatabase::run_transaction(const std::function<Result<void>(Connection&)>& work) {
  // Joining: the outer transaction's connection, whose read-only mark (if set) stays on.
  if (auto* open = open_on_this_thread(this)) return work(*open);
  return writer_->run(work);
}

Result<void> PooledDatabase::run_between_writes(const std::function<Result<void>(Connection&)>& work) {
  return writer_->run_between_transactions(work);
}

Result<void> PooledDatabase::run_read_transaction(
    const std::function<Result<void>(Connection&)>& work) {
  if (auto* open = open_on_this_thread(this)) return work(*open);
  return run_read(work);
}

Result<void> PooledDatabase::run_read(const std::function<Result<void>(Connection&)>& work) {
  auto acquired = acquire();
  if (!acquired) return tl::unexpected(acquired.error());
  std::unique_ptr<Connection> connection = std::move(*acquired);

  if (auto begun = connection->execute(settings_.begin_read); !begun) {
    forget_one();  // a connection that cannot begin is broken; open a fresh one next time
    return tl::unexpected(begun.error());
  }
  // Cleared before the connection goes back to the pool, whichever way the work ends.
  struct ReadsOnly {
    Connection& connection;
    explicit ReadsOnly(Connection& c) : connection(c) { connection.restrict_to_reads(true); }
    ~ReadsOnly() { connection.restrict_to_reads(false); }
  };
  Result<void> outcome;
  try {
    ReadsOnly guard(*connection);
    MarkOpen mark(this, *connection);
    outcome = work(*connection);
  } catch (...) {
    if (connection->execute("ROLLBACK")) release(std::move(connection)); else forget_one();
    throw;
  }
  // A read has nothing to keep: COMMIT and ROLLBACK both just end it.
  if (auto ended = connection->execute(outcome ? "COMMIT" : "ROLLBACK"); !ended) {
    (void)connection->execute("ROLLBACK");
    forget_one();
    return outcome ? tl::unexpected(ended.error()) : outcome;
  }
  release(std::move(connection));
  return outcome;
}

}  // namespace tfa::storage::sql
