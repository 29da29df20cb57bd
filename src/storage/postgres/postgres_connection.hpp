#pragma once
// One libpq session as an sql::Connection, and the connect call that makes it. Internal to the
// PostgreSQL backend; the rest of tfa sees only sql::Database.
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <libpq-fe.h>

#include "core/result.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::postgres {

struct PgConnDeleter {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnDeleter>;

/// Connects to `url` (a libpq URI or key=value string). Adds connect_timeout=10 and
/// application_name=tfa unless the URL sets them, and silences NOTICE messages. Errors name
/// the server but never the password: invalid_argument for an unparseable URL, unavailable
/// when the server cannot be reached or refuses the session.
Result<PgConnPtr> connect(const std::string& url);

/// "postgresql://user@host:port/db" for a live session; no password.
std::string describe(PGconn* connection);

class PgConnection final : public sql::Connection {
 public:
  explicit PgConnection(PgConnPtr connection) : connection_(std::move(connection)) {}

  Result<sql::QueryResult> execute(std::string_view statement,
                                   std::span<const sql::Value> params = {}) override;
  Result<void> execute_script(std::string_view script) override;
  sql::Dialect dialect() const noexcept override { return sql::Dialect::postgres; }

  /// BEGIN. A session that the server closed while it sat in the pool is reconnected and the
  /// BEGIN tried once more, since nothing has happened in it yet.
  Result<void> begin();
  /// COMMIT. An error when the server rolled back instead, which it does when a statement of
  /// the transaction failed and the failure was ignored.
  Result<void> commit();
  /// ROLLBACK, best effort: a session left in a transaction is not healthy() and is dropped.
  void rollback() noexcept;

  /// Connected and outside any transaction, so fit to go back to the pool.
  bool healthy() const noexcept;

 private:
  PgConnPtr connection_;
};

}  // namespace tfa::storage::postgres
