#include "storage/sql/migrator.hpp"

namespace tfa::storage::sql {
namespace {

constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// Any constant works; it only has to be the same for every tfa instance.
constexpr std::string_view kPostgresLock = "SELECT pg_advisory_xact_lock(7368201)";

Result<int> current_version(Connection& connection) {
  if (auto made = connection.execute(kCreateVersionTable); !made) {
    return tl::unexpected(made.error());
  }
  auto result = connection.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!result) return tl::unexpected(result.error());
  auto version = result->rows.at(0).integer(0);
  if (!version) return tl::unexpected(version.error());
  return static_cast<int>(*version);
}

Result<SchemaStatus> status_on(Connection& connection) {
  auto version = current_version(connection);
  if (!version) return tl::unexpected(version.error());
  SchemaStatus status;
  status.current_version = *version;
  for (const auto& migration : migrations_for(connection.dialect())) {
    status.latest_version = migration.version;
    if (migration.version > *version) status.pending.push_back(migration);
  }
  if (status.current_version > status.latest_version) {
    return fail(Errc::conflict, "the database schema is at version " +
                                    std::to_string(status.current_version) +
                                    ", newer than this tfa knows (" +
                                    std::to_string(status.latest_version) + "); upgrade tfa");
  }
  return status;
}

}  // namespace

Result<SchemaStatus> schema_status(Database& database) {
  return database.transaction<SchemaStatus>(status_on);
}

Result<int> migrate(Database& database, std::chrono::system_clock::time_point now) {
  const auto applied_at = std::chrono::duration_cast<std::chrono::seconds>(
                              now.time_since_epoch()).count();
  int applied = 0;
  for (;;) {
    // One transaction per migration: lock, re-read the version (another instance may have
    // moved it), apply the next one and record it.
    auto step = database.transaction<bool>([&](Connection& connection) -> Result<bool> {
      if (connection.dialect() == Dialect::postgres) {
        if (auto locked = connection.execute(kPostgresLock); !locked) {
          return tl::unexpected(locked.error());
        }
      }
      auto status = status_on(connection);
      if (!status) return tl::unexpected(status.error());
      if (status->pending.empty()) return false;
      const Migration& next = status->pending.front();
      if (auto ran = connection.execute_script(next.script); !ran) {
        return fail(ran.error().code, "migration " + std::to_string(next.version) + " (" +
                                          std::string(next.name) + ") failed: " +
                                          ran.error().message);
      }
      auto recorded = connection.execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
          params(next.version, next.name, applied_at));
      if (!recorded) return tl::unexpected(recorded.error());
      return true;
    });
    if (!step) return tl::unexpected(step.error());
    if (!*step) return applied;
    ++applied;
  }
}

}  // namespace tfa::storage::sql
