#pragma once
// The SQL layer that the SQLite and PostgreSQL backends implement, so that every store is
// written once. Statements use PostgreSQL's $1, $2, ... placeholders; SQLite accepts the same
// text as named parameters. Values are 64-bit integers, text, bytes or NULL; timestamps are
// stored as Unix seconds.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "storage/transactions.hpp"

namespace tfa::storage::sql {

enum class Dialect { sqlite, postgres };

struct Blob {
  std::vector<std::uint8_t> bytes;
};

using Null = std::monostate;
using Value = std::variant<Null, std::int64_t, std::string, Blob>;

/// One result row. The typed getters return an internal error naming the column index when
/// the value has another type, so a schema mistake surfaces as a clear message, not a crash.
struct Row {
  std::vector<Value> values;

  bool is_null(std::size_t column) const;
  Result<std::int64_t> integer(std::size_t column) const;
  Result<std::optional<std::int64_t>> optional_integer(std::size_t column) const;
  Result<std::string> text(std::size_t column) const;
  Result<std::optional<std::string>> optional_text(std::size_t column) const;
  Result<std::vector<std::uint8_t>> blob(std::size_t column) const;
};

struct QueryResult {
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
};

/// One database session. Not thread-safe: a connection belongs to one transaction at a time.
class Connection {
 public:
  virtual ~Connection() = default;

  /// Runs one statement. Errors: conflict for a unique-constraint violation, unavailable when
  /// the server cannot be reached, internal for anything else (with the database's message).
  virtual Result<QueryResult> execute(std::string_view statement,
                                      std::span<const Value> params = {}) = 0;

  /// Runs several ';'-separated statements without parameters (migrations).
  virtual Result<void> execute_script(std::string_view script) = 0;

  virtual Dialect dialect() const noexcept = 0;

  /// While on, a statement that would write fails with an internal error instead of running.
  /// Read transactions turn it on, so that a store that writes in one is caught by its tests
  /// rather than racing a writer. Backends that enforce this themselves ignore it.
  virtual void restrict_to_reads(bool /*on*/) {}
};

/// A thread-safe pool of connections to one database.
///
/// A transaction started on a thread that is already inside one of this database joins it:
/// `work` runs on the open transaction's connection, and its statements commit or roll back
/// with the outer transaction. That is how the Transactions scopes group store calls. The one
/// exception: a write transaction started inside a read transaction fails on SQLite (the
/// read-only check below) and joins on PostgreSQL; keep writes out of read scopes.
class Database : public storage::Transactions {
 public:
  ~Database() override = default;

  /// Runs `work` in one transaction on a pooled connection: committed when `work` succeeds,
  /// rolled back when it returns an error or throws. Writes are serialised per row by the
  /// database (SQLite: BEGIN IMMEDIATE; PostgreSQL: READ COMMITTED with row locks).
  virtual Result<void> run_transaction(const std::function<Result<void>(Connection&)>& work) = 0;

  /// Runs `work`, which only reads, in one transaction that sees one consistent state. A
  /// backend may run these alongside writers without waiting for them (SQLite: a deferred
  /// transaction on the WAL's snapshot, where run_transaction would queue for the write lock).
  /// A write inside fails. By default this is run_transaction.
  virtual Result<void> run_read_transaction(const std::function<Result<void>(Connection&)>& work) {
    return run_transaction(work);
  }

  virtual Dialect dialect() const noexcept = 0;

  /// A description for logs and `tfa db status`, with any password removed.
  virtual std::string describe() const = 0;

  /// storage::Transactions: the scopes, as transactions whose work uses the stores.
  Result<void> reading(const std::function<Result<void>()>& work) override {
    return run_read_transaction([&](Connection&) { return work(); });
  }
  Result<void> writing(const std::function<Result<void>()>& work) override {
    return run_transaction([&](Connection&) { return work(); });
  }

  /// Convenience: a transaction that produces a value.
  template <class T>
  Result<T> transaction(const std::function<Result<T>(Connection&)>& work) {
    return produce<T>(work, /*reads_only=*/false);
  }

  /// Convenience: a read transaction that produces a value.
  template <class T>
  Result<T> read(const std::function<Result<T>(Connection&)>& work) {
    return produce<T>(work, /*reads_only=*/true);
  }

 private:
  template <class T>
  Result<T> produce(const std::function<Result<T>(Connection&)>& work, bool reads_only) {
    std::optional<T> out;
    const auto keep = [&](Connection& connection) -> Result<void> {
      auto value = work(connection);
      if (!value) return tl::unexpected(value.error());
      out.emplace(std::move(*value));
      return {};
    };
    auto done = reads_only ? run_read_transaction(keep) : run_transaction(keep);
    if (!done) return tl::unexpected(done.error());
    return std::move(*out);
  }
};

/// Shorthand for building parameter lists: `params(user_id, name)`.
inline Value to_value(std::int64_t v) { return v; }
inline Value to_value(int v) { return static_cast<std::int64_t>(v); }
inline Value to_value(bool v) { return static_cast<std::int64_t>(v ? 1 : 0); }
inline Value to_value(std::string v) { return v; }
inline Value to_value(std::string_view v) { return std::string(v); }
inline Value to_value(const char* v) { return std::string(v); }
inline Value to_value(Blob v) { return v; }
inline Value to_value(Null) { return Null{}; }
template <class T>
Value to_value(const std::optional<T>& v) {
  return v ? to_value(*v) : Value(Null{});
}
template <class... Args>
std::vector<Value> params(Args&&... args) {
  return {to_value(std::forward<Args>(args))...};
}

}  // namespace tfa::storage::sql
