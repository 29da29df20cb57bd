#pragma once
// Brings a database's schema up to the version this binary expects. Each migration runs in its
// own transaction together with the row that records it, so a failed migration leaves the
// schema at the previous version. On PostgreSQL an advisory lock makes instances that start
// at the same moment take turns; SQLite's BEGIN IMMEDIATE does the same.
#include <chrono>
#include <vector>

#include "storage/sql/database.hpp"
#include "storage/sql/migrations.hpp"

namespace tfa::storage::sql {

struct SchemaStatus {
  int current_version = 0;  // 0: empty database
  int latest_version = 0;   // the newest this binary knows
  std::vector<Migration> pending;
};

/// Reads the schema version without changing anything. A database newer than this binary
/// fails with Errc::conflict (an older tfa must not write to a newer schema).
Result<SchemaStatus> schema_status(Database& database);

/// Applies pending migrations; returns how many were applied.
Result<int> migrate(Database& database, std::chrono::system_clock::time_point now);

}  // namespace tfa::storage::sql
