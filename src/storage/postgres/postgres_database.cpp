#include "storage/postgres/postgres_database.hpp"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "storage/postgres/postgres_connection.hpp"
#include "storage/sql/open_transaction.hpp"

namespace tfa::storage::postgres {
namespace {

/// A pool of sessions, made on demand up to a fixed number. A transaction waits while every
/// session is busy. Sessions return to the pool only when connected and idle; any other is
/// closed, and the next transaction that needs one opens a fresh session.
class PgDatabase final : public sql::Database {
 public:
  PgDatabase(std::string url, std::size_t capacity, std::unique_ptr<PgConnection> first,
             std::string description)
      : url_(std::move(url)), capacity_(capacity), description_(std::move(description)) {
    idle_.reserve(capacity_);  // so that release() never allocates
    idle_.push_back(std::move(first));
    open_ = 1;
  }

  Result<void> run_transaction(
      const std::function<Result<void>(sql::Connection&)>& work) override {
    if (auto* open = sql::open_on_this_thread(this)) return work(*open);
    auto acquired = acquire();
    if (!acquired) return tl::unexpected(acquired.error());
    Lease lease{*this, std::move(*acquired)};
    PgConnection& connection = *lease.connection;

    if (auto begun = connection.begin(); !begun) return begun;
    Result<void> outcome;
    try {
      sql::MarkOpen mark(this, connection);
      outcome = work(connection);
    } catch (...) {
      connection.rollback();
      throw;
    }
    if (!outcome) {
      connection.rollback();
      return outcome;
    }
    return connection.commit();
  }

  sql::Dialect dialect() const noexcept override { return sql::Dialect::postgres; }
  std::string describe() const override { return description_; }

 private:
  /// Gives a session back to the pool however the transaction ends.
  struct Lease {
    PgDatabase& pool;
    std::unique_ptr<PgConnection> connection;
    ~Lease() { pool.release(std::move(connection)); }
  };

  Result<std::unique_ptr<PgConnection>> acquire() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < capacity_; });
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());  // the most recently used is the likeliest alive
      idle_.pop_back();
      return connection;
    }
    ++open_;  // reserve the slot, then connect without holding the lock
    lock.unlock();
    auto connected = connect(url_);
    if (!connected) {
      lock.lock();
      --open_;
      lock.unlock();
      returned_.notify_one();
      return tl::unexpected(connected.error());
    }
    return std::make_unique<PgConnection>(std::move(*connected));
  }

  void release(std::unique_ptr<PgConnection> connection) noexcept {
    {
      std::lock_guard lock(mutex_);
      if (connection->healthy()) {
        idle_.push_back(std::move(connection));
      } else {
        --open_;
      }
    }
    returned_.notify_one();
    // A session that was not kept is closed here, outside the lock.
  }

  const std::string url_;  // holds the password; never logged
  const std::size_t capacity_;
  const std::string description_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::size_t open_ = 0;  // idle plus in use
};

}  // namespace

Result<std::unique_ptr<sql::Database>> open_postgres_database(const std::string& url,
                                                              int pool_size) {
  if (pool_size < 1) {
    return fail(Errc::invalid_argument, "the database pool size must be at least 1");
  }
  auto first = connect(url);
  if (!first) return tl::unexpected(first.error());
  std::string description = describe(first->get());
  return std::make_unique<PgDatabase>(url, static_cast<std::size_t>(pool_size),
                                      std::make_unique<PgConnection>(std::move(*first)),
                                      std::move(description));
}

}  // namespace tfa::storage::postgres
