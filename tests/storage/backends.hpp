#pragma once
// The backends the storage conformance suite runs against: a fresh SQLite file per test, and
// a fresh schema per test on the PostgreSQL server started by tests/postgres/pg_cluster
// (skipped, with a message, when that server's URL file is absent).
#include <memory>
#include <string>

#include "storage/sql/database.hpp"

namespace tfa::testing {

enum class Backend { sqlite, postgres };

std::string backend_name(Backend backend);

/// A fresh, empty database of the given kind, migrated when `migrate` is true. The same
/// location can be opened again with reopen() (a second, independent pool).
class TestDatabase {
 public:
  static Result<std::unique_ptr<TestDatabase>> create(Backend backend, bool migrate = true);
  ~TestDatabase();

  storage::sql::Database& database() { return *database_; }
  Result<std::unique_ptr<storage::sql::Database>> reopen(int pool_size = 4) const;
  /// The location: a sqlite: URL or a postgresql:// URL with the schema selected.
  const std::string& url() const { return url_; }
  /// The SQLite file, or the PostgreSQL schema name.
  const std::string& place() const { return place_; }

 private:
  TestDatabase() = default;
  Backend backend_ = Backend::sqlite;
  std::string url_;
  std::string place_;
  std::unique_ptr<storage::sql::Database> database_;
};

/// The PostgreSQL server's base URL, or "" when no server was started for this test run.
std::string postgres_base_url();

}  // namespace tfa::testing
