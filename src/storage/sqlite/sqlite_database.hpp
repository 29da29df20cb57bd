#pragma once
// The embedded default backend: one SQLite file in WAL mode, so readers never wait for the
// writer. Write transactions start with BEGIN IMMEDIATE, which takes the write lock up front.
// The writes of this process share one connection and are committed in groups (GroupCommit);
// a writer of another process waits on the busy timeout instead of failing half-way through.
// Reads take no write lock and use a pool of their own. A thread of the database copies the
// WAL into the file every 200 ms, so that commits never do.
#include <filesystem>
#include <memory>

#include "storage/sql/database.hpp"

namespace tfa::storage::sqlite {

/// Opens (creating if needed) the database file at `path` and checks it can be used; the
/// folder must exist. Fails with Errc::unavailable and the path in the message when the file
/// cannot be opened or is not a database.
Result<std::unique_ptr<sql::Database>> open_sqlite_database(const std::filesystem::path& path,
                                                            int pool_size);

}  // namespace tfa::storage::sqlite
