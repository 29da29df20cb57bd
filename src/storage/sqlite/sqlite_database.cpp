#include "storage/sqlite/sqlite_database.hpp"

#include "storage/sql/pooled_database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace tfa::storage::sqlite {

Result<std::unique_ptr<sql::Database>> open_sqlite_database(const std::filesystem::path& path,
                                                            int pool_size) {
  sql::PoolSettings settings;
  settings.max_size = pool_size;
  // Take the write lock at BEGIN: a transaction that reads then writes cannot then fail with
  // SQLITE_BUSY half-way, and concurrent writers queue on the busy timeout instead.
  settings.begin = "BEGIN IMMEDIATE";
  // Readers in WAL mode see the last commit and never wait for the writer.
  settings.begin_read = "BEGIN DEFERRED";
  settings.one_writer_at_a_time = true;
  settings.dialect = sql::Dialect::sqlite;
  settings.description = "sqlite:" + path.string();
  auto database = sql::PooledDatabase::open(
      std::move(settings), [path]() -> Result<std::unique_ptr<sql::Connection>> {
        auto connection = SqliteConnection::open(path);
        if (!connection) return tl::unexpected(connection.error());
        return std::unique_ptr<sql::Connection>(std::move(*connection));
      });
  if (!database) return tl::unexpected(database.error());
  return std::unique_ptr<sql::Database>(std::move(*database));
}

}  // namespace tfa::storage::sqlite
