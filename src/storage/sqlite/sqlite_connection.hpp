#pragma once
// One SQLite connection, with its prepared statements cached by SQL text.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/sql/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tfa::storage::sqlite {

class SqliteConnection final : public sql::Connection {
 public:
  /// How long a statement waits for another connection's lock (SQLite's busy timeout).
  static constexpr int kBusyTimeoutMs = 10000;

  /// Opens the file and sets the per-connection pragmas (foreign keys, busy timeout, WAL).
  static Result<std::unique_ptr<SqliteConnection>> open(const std::filesystem::path& path);
  ~SqliteConnection() override;

  Result<sql::QueryResult> execute(std::string_view statement,
                                   std::span<const sql::Value> params) override;
  Result<void> execute_script(std::string_view script) override;
  sql::Dialect dialect() const noexcept override { return sql::Dialect::sqlite; }
  void restrict_to_reads(bool on) override { reads_only_ = on; }

  /// Calls `committed` after each commit of this connection, with the number of frames the
  /// WAL then holds (SQLite's WAL hook). Replaces SQLite's automatic checkpoints, which run
  /// from the same hook. Called on the committing thread: keep it short.
  void on_commit(std::function<void(int frames)> committed);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  /// A prepared statement, and for each of its parameters (SQLite numbers them by first
  /// appearance) the index into the caller's values: "$2" is values[1].
  struct Prepared {
    sqlite3_stmt* statement = nullptr;
    std::vector<std::size_t> value_of_parameter;
  };
  Result<const Prepared*> prepare(std::string_view statement);
  Result<void> bind(const Prepared& prepared, std::span<const sql::Value> params);
  tl::unexpected<Error> error_from(int code, std::string_view context) const;

  sqlite3* db_;
  // Looked up by string_view without building a std::string: one per statement run otherwise.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, Prepared, TextHash, std::equal_to<>> statements_;
  bool reads_only_ = false;
  std::function<void(int frames)> committed_;
};

}  // namespace tfa::storage::sqlite
