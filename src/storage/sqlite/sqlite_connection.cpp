#include "storage/sqlite/sqlite_connection.hpp"

#include <charconv>
#include <cstring>

#include <sqlite3.h>

namespace tfa::storage::sqlite {
namespace {

sql::Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement, column));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return sql::Blob{std::vector<std::uint8_t>(data, data + size)};
    }
    case SQLITE_FLOAT:  // the schema has no REAL columns; surface it as text rather than lose it
      return std::to_string(sqlite3_column_double(statement, column));
    default:
      return sql::Null{};
  }
}

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::filesystem::path& path) {
  // Without the memory statistics, which tfa never reads, SQLite's allocations skip a mutex
  // that every connection of the process would otherwise share. Takes effect only before
  // SQLite initialises, hence once, before the first connection.
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return fail(Errc::unavailable, "cannot open SQLite database " + path.string() + ": " + message);
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  // WAL lets readers proceed while one writer commits; NORMAL sync is durable in WAL mode
  // except for the last transactions before a power loss, never corrupting.
  auto pragmas = connection->execute_script(
      "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  if (!pragmas) {
    return fail(Errc::unavailable, "cannot use SQLite database " + path.string() + ": " +
                                       pragmas.error().message);
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [text, prepared] : statements_) sqlite3_finalize(prepared.statement);
  sqlite3_close(db_);
}

tl::unexpected<Error> SqliteConnection::error_from(int code, std::string_view context) const {
  std::string message = std::string(context) + ": " + sqlite3_errmsg(db_);
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return fail(Errc::conflict, message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return fail(Errc::unavailable, message);
    default:
      if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_IOERR) {
        return fail(Errc::unavailable, message);
      }
      return fail(Errc::internal, message);
  }
}

Result<const SqliteConnection::Prepared*> SqliteConnection::prepare(std::string_view text) {
  auto cached = statements_.find(text);
  if (cached != statements_.end()) return &cached->second;
  Prepared prepared;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, text.data(), static_cast<int>(text.size()),
                                    SQLITE_PREPARE_PERSISTENT, &prepared.statement, &tail);
  if (rc != SQLITE_OK) return error_from(rc, "cannot prepare statement");
  if (prepared.statement == nullptr) return fail(Errc::internal, "empty statement");
  // SQLite treats "$1" as a named parameter, which is what lets one SQL text serve both
  // backends; its number is read once here rather than at every run.
  const int count = sqlite3_bind_parameter_count(prepared.statement);
  for (int index = 1; index <= count; ++index) {
    const char* name = sqlite3_bind_parameter_name(prepared.statement, index);
    std::size_t number = 0;
    if (name == nullptr || name[0] != '$' ||
        std::from_chars(name + 1, name + std::strlen(name), number).ec != std::errc{} || number == 0) {
      sqlite3_finalize(prepared.statement);
      return fail(Errc::internal, std::string("statement parameter ") + (name ? name : "?") + " is not $N");
    }
    prepared.value_of_parameter.push_back(number - 1);
  }
  return &statements_.emplace(std::string(text), std::move(prepared)).first->second;
}

// Binds each parameter of the statement to its value; SQLite copies text and bytes.
Result<void> SqliteConnection::bind(const Prepared& prepared, std::span<const sql::Value> params) {
  sqlite3_stmt* statement = prepared.statement;
  for (std::size_t i = 0; i < prepared.value_of_parameter.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    const std::size_t wanted = prepared.value_of_parameter[i];
    if (wanted >= params.size()) {
      return fail(Errc::internal, "statement parameter $" + std::to_string(wanted + 1) + " has no value (" +
                                      std::to_string(params.size()) + " given)");
    }
    const sql::Value& value = params[wanted];
    int rc = SQLITE_OK;
    if (const auto* i64 = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(statement, index, *i64);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      rc = sqlite3_bind_text64(statement, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<sql::Blob>(&value)) {
      rc = sqlite3_bind_blob64(statement, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
    } else {
      rc = sqlite3_bind_null(statement, index);
    }
    if (rc != SQLITE_OK) return fail(Errc::internal, "cannot bind parameter " + std::to_string(index));
  }
  return {};
}

Result<sql::QueryResult> SqliteConnection::execute(std::string_view text,
                                                   std::span<const sql::Value> params) {
  auto prepared = prepare(text);
  if (!prepared) return tl::unexpected(prepared.error());
  sqlite3_stmt* statement = (*prepared)->statement;
  if (reads_only_ && sqlite3_stmt_readonly(statement) == 0) {
    return fail(Errc::internal, "a statement that writes, in a read-only transaction: " +
                                    std::string(text.substr(0, 60)));
  }
  // Leave the cached statement clean whatever happens below: reset, and its values (password
  // hashes, sealed secrets) not kept in its memory until the next run.
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } reset{statement};

  if (auto bound = bind(**prepared, params); !bound) return tl::unexpected(bound.error());
  sql::QueryResult result;
  const int columns = sqlite3_column_count(statement);
  for (;;) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return error_from(rc, "statement failed");
    sql::Row row;
    row.values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) row.values.push_back(column_value(statement, c));
    result.rows.push_back(std::move(row));
  }
  if (sqlite3_stmt_readonly(statement) == 0) result.affected = sqlite3_changes64(db_);
  return result;
}

void SqliteConnection::on_commit(std::function<void(int frames)> committed) {
  committed_ = std::move(committed);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int frames) {
        try {
          static_cast<SqliteConnection*>(self)->committed_(frames);
        } catch (...) {  // must not cross SQLite's C frames; a missed wake-up costs one round
        }
        return SQLITE_OK;
      },
      this);
}

Result<void> SqliteConnection::execute_script(std::string_view script) {
  const std::string text(script);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    auto error = error_from(rc, "script failed");
    error.value().message = "script failed: " + detail;
    return error;
  }
  return {};
}

}  // namespace tfa::storage::sqlite
