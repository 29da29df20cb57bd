#include "storage/sql/sql_session_store.hpp"

namespace tfa::storage::sql {
namespace {

constexpr std::string_view kColumns =
    "id_hash, user_id, stage, data, reauth_at, client_address, user_agent, created_at, "
    "last_seen_at, expires_at";

Result<Session> session_from(const Row& row) {
  Session session;
  TFA_TRY(session.id_hash, row.blob(0));
  TFA_TRY(session.user_id, row.optional_integer(1));
  TFA_TRY(session.stage, row.text(2));
  TFA_TRY(session.data, row.text(3));
  TFA_TRY(auto reauth, row.optional_integer(4));
  session.reauth_at = from_unix(reauth);
  TFA_TRY(session.client_address, row.text(5));
  TFA_TRY(session.user_agent, row.text(6));
  TFA_TRY(auto created, row.integer(7));
  TFA_TRY(auto seen, row.integer(8));
  TFA_TRY(auto expires, row.integer(9));
  session.created_at = from_unix(created);
  session.last_seen_at = from_unix(seen);
  session.expires_at = from_unix(expires);
  return session;
}

/// Inserts within the caller's transaction, so that rotation commits the removal of the old
/// session and the insertion of its replacement together. conflict when the id hash is taken
/// or the user does not exist.
Result<void> insert_session(Connection& connection, const Session& session) {
  TFA_TRY(auto inserted,
          connection.execute(
              "INSERT INTO sessions (" + std::string(kColumns) +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
              params(Blob{session.id_hash}, session.user_id, session.stage, session.data,
                     to_unix(session.reauth_at), session.client_address, session.user_agent,
                     to_unix(session.created_at), to_unix(session.last_seen_at),
                     to_unix(session.expires_at))));
  (void)inserted;
  return {};
}

}  // namespace

Result<void> SqlSessionStore::create_session(const Session& session) {
  return database_.run_transaction(
      [&](Connection& connection) { return insert_session(connection, session); });
}

Result<std::optional<Session>> SqlSessionStore::find_session(
    const std::vector<std::uint8_t>& id_hash, Time now) {
  return database_.read<std::optional<Session>>(
      [&](Connection& connection) -> Result<std::optional<Session>> {
        // An expired row may linger until delete_expired_sessions runs; it is never returned.
        static const std::string statement =
            "SELECT " + std::string(kColumns) + " FROM sessions WHERE id_hash = $1 AND expires_at > $2";
        TFA_TRY(auto found, connection.execute(statement, params(Blob{id_hash}, to_unix(now))));
        if (found.rows.empty()) return std::optional<Session>();
        TFA_TRY(auto session, session_from(found.rows.front()));
        return std::optional<Session>(std::move(session));
      });
}

Result<void> SqlSessionStore::update_session(const Session& session) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto updated,
            connection.execute(
                "UPDATE sessions SET user_id = $2, stage = $3, data = $4, reauth_at = $5, "
                "client_address = $6, user_agent = $7, last_seen_at = $8, expires_at = $9 "
                "WHERE id_hash = $1",
                params(Blob{session.id_hash}, session.user_id, session.stage, session.data,
                       to_unix(session.reauth_at), session.client_address, session.user_agent,
                       to_unix(session.last_seen_at), to_unix(session.expires_at))));
    if (updated.affected == 0) return fail(Errc::not_found, "the session no longer exists");
    return {};
  });
}

Result<void> SqlSessionStore::rotate_session(const std::vector<std::uint8_t>& old_id_hash,
                                             const Session& replacement) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    // The DELETE takes the row lock, so of two requests rotating the same id concurrently
    // only one removes it; the other sees no row and inserts nothing.
    TFA_TRY(auto deleted, connection.execute("DELETE FROM sessions WHERE id_hash = $1",
                                             params(Blob{old_id_hash})));
    if (deleted.affected != 1) return fail(Errc::not_found, "the session no longer exists");
    return insert_session(connection, replacement);
  });
}

Result<void> SqlSessionStore::delete_session(const std::vector<std::uint8_t>& id_hash) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto deleted, connection.execute("DELETE FROM sessions WHERE id_hash = $1",
                                             params(Blob{id_hash})));
    (void)deleted;
    return {};
  });
}

Result<std::int64_t> SqlSessionStore::delete_user_sessions(std::int64_t user_id) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    TFA_TRY(auto deleted,
            connection.execute("DELETE FROM sessions WHERE user_id = $1", params(user_id)));
    return deleted.affected;
  });
}

Result<std::int64_t> SqlSessionStore::delete_expired_sessions(Time now) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    // The same boundary as find_session: a session expiring at `now` is already gone.
    TFA_TRY(auto deleted, connection.execute("DELETE FROM sessions WHERE expires_at <= $1",
                                             params(to_unix(now))));
    return deleted.affected;
  });
}

}  // namespace tfa::storage::sql
