#include "storage/sql/sql_throttle_store.hpp"

namespace tfa::storage::sql {
namespace {

Result<ThrottleState> state_from(const Row& row) {
  ThrottleState state;
  TFA_TRY(state.failures, row.integer(0));
  TFA_TRY(auto window, row.integer(1));
  TFA_TRY(auto blocked, row.integer(2));
  state.window_start = from_unix(window);
  state.blocked_until = from_unix(blocked);
  return state;
}

/// Inside a transaction: inserts a blank row for `key` or, when it has one, locks it (see
/// update_throttle), and returns its state: nullopt for a blank row this call inserted, which
/// stands for no state at all (others see it only once committed).
Result<std::optional<ThrottleState>> lock_row(Connection& connection, std::string_view key, Time now) {
  TFA_TRY(auto inserted,
          connection.execute(
              "INSERT INTO throttle (key, failures, window_start, blocked_until, updated_at) "
              "VALUES ($1, 0, $2, 0, $2) "
              "ON CONFLICT (key) DO UPDATE SET updated_at = throttle.updated_at WHERE false",
              params(key, to_unix(now))));
  if (inserted.affected != 0) return std::optional<ThrottleState>();
  TFA_TRY(auto found, connection.execute(
                          "SELECT failures, window_start, blocked_until FROM throttle WHERE key = $1",
                          params(key)));
  if (found.rows.empty()) {
    return fail(Errc::internal, "the locked throttle row '" + std::string(key) + "' vanished");
  }
  TFA_TRY(auto state, state_from(found.rows.front()));
  return std::optional<ThrottleState>(state);
}

}  // namespace

Result<std::optional<ThrottleState>> SqlThrottleStore::throttle_state(std::string_view key) {
  return database_.read<std::optional<ThrottleState>>(
      [&](Connection& connection) -> Result<std::optional<ThrottleState>> {
        TFA_TRY(auto found, connection.execute(
                                "SELECT failures, window_start, blocked_until FROM throttle "
                                "WHERE key = $1",
                                params(key)));
        if (found.rows.empty()) return std::optional<ThrottleState>();
        TFA_TRY(auto state, state_from(found.rows.front()));
        return std::optional<ThrottleState>(state);
      });
}

Result<ThrottleState> SqlThrottleStore::update_throttle(
    std::string_view key, Time now,
    const std::function<ThrottleState(const std::optional<ThrottleState>&)>& update) {
  return database_.transaction<ThrottleState>([&](Connection& connection) -> Result<ThrottleState> {
    // Read, modify and write with the row locked, so that concurrent failures on the same key,
    // from any connection or process, are applied one after the other and all counted.
    //
    // The first statement either inserts a blank row or, when the key has one, locks it: on
    // PostgreSQL a conflict action locks the conflicting row even when its WHERE rejects the
    // update, and when that row is deleted or replaced concurrently (a clear_throttle, another
    // server creating the key) PostgreSQL retries until it has inserted or locked a live row.
    // A plain INSERT ... DO NOTHING followed by SELECT ... FOR UPDATE would leave a gap in
    // which a committed clear_throttle removes the row, and would then find nothing to lock.
    // SQLite has no row locks; its transactions begin with BEGIN IMMEDIATE and hold the
    // database's write lock throughout, which serialises them anyway.
    TFA_TRY(const auto current, lock_row(connection, key, now));
    const ThrottleState next = update(current);
    TFA_TRY(auto updated,
            connection.execute("UPDATE throttle SET failures = $2, window_start = $3, "
                               "blocked_until = $4, updated_at = $5 WHERE key = $1",
                               params(key, next.failures, to_unix(next.window_start),
                                      to_unix(next.blocked_until), to_unix(now))));
    (void)updated;
    return next;
  });
}

Result<std::optional<ThrottleState>> SqlThrottleStore::locked_throttle_state(std::string_view key, Time now) {
  // SQLite: the write transaction already excludes every other writer, so a read will do, and
  // no row is made for a key that has none.
  if (database_.dialect() == Dialect::sqlite) return throttle_state(key);
  return database_.transaction<std::optional<ThrottleState>>(
      [&](Connection& connection) { return lock_row(connection, key, now); });
}

Result<void> SqlThrottleStore::clear_throttle(std::string_view key) {
  // Nearly every success finds nothing to clear; finding that out needs no write lock. A
  // failure counted between the two steps is cleared too, as if it came just before.
  TFA_TRY(auto state, throttle_state(key));
  if (!state) return {};
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto deleted, connection.execute("DELETE FROM throttle WHERE key = $1", params(key)));
    (void)deleted;
    return {};
  });
}

}  // namespace tfa::storage::sql
