#include "storage/sql/sql_backup_code_store.hpp"

namespace tfa::storage::sql {

Result<void> SqlBackupCodeStore::replace_backup_codes(std::int64_t user_id,
                                                      const std::vector<CodeHash>& code_hashes,
                                                      Time now) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    // Used codes go too: the new set is the whole truth, and a count of "used" codes from
    // an old set would only confuse the profile page.
    TFA_CHECK(connection.execute("DELETE FROM backup_codes WHERE user_id = $1", params(user_id)));
    for (const auto& hash : code_hashes) {
      TFA_CHECK(connection.execute(
          "INSERT INTO backup_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
          params(user_id, Blob{hash}, to_unix(now))));
    }
    return {};
  });
}

Result<bool> SqlBackupCodeStore::use_backup_code(std::int64_t user_id, const CodeHash& code_hash,
                                                 Time now) {
  return database_.transaction<bool>([&](Connection& connection) -> Result<bool> {
    // Compare and set in one statement: a code is spent by exactly one request.
    TFA_TRY(auto updated,
            connection.execute("UPDATE backup_codes SET used_at = $3 "
                               "WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
                               params(user_id, Blob{code_hash}, to_unix(now))));
    return updated.affected > 0;
  });
}

Result<std::int64_t> SqlBackupCodeStore::unused_backup_codes(std::int64_t user_id) {
  return database_.read<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    TFA_TRY(auto found, connection.execute(
                            "SELECT COUNT(*) FROM backup_codes WHERE user_id = $1 AND used_at IS NULL",
                            params(user_id)));
    return found.rows.at(0).integer(0);
  });
}

}  // namespace tfa::storage::sql
