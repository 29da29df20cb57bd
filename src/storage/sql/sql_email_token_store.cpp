#include "storage/sql/sql_email_token_store.hpp"

#include "storage/sql/sql_factor_store.hpp"

namespace tfa::storage::sql {

Result<std::int64_t> SqlEmailTokenStore::add_email_token(const NewEmailToken& token, Time now) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    TFA_TRY(auto inserted,
            connection.execute("INSERT INTO email_tokens (user_id, purpose, token_hash, created_at, "
                               "expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                               params(token.user_id, token.purpose, Blob{token.token_hash},
                                      to_unix(now), to_unix(token.expires_at))));
    return inserted.rows.at(0).integer(0);
  });
}

Result<std::optional<EmailToken>> SqlEmailTokenStore::find_email_token(
    const std::vector<std::uint8_t>& token_hash) {
  return database_.read<std::optional<EmailToken>>(
      [&](Connection& connection) -> Result<std::optional<EmailToken>> {
        TFA_TRY(auto found, connection.execute(
                                "SELECT id, user_id, purpose, created_at, expires_at, used_at "
                                "FROM email_tokens WHERE token_hash = $1",
                                params(Blob{token_hash})));
        if (found.rows.empty()) return std::optional<EmailToken>();
        const Row& row = found.rows.front();
        EmailToken token;
        TFA_TRY(token.id, row.integer(0));
        TFA_TRY(token.user_id, row.integer(1));
        TFA_TRY(token.purpose, row.text(2));
        TFA_TRY(auto created, row.integer(3));
        TFA_TRY(auto expires, row.integer(4));
        TFA_TRY(auto used, row.optional_integer(5));
        token.created_at = from_unix(created);
        token.expires_at = from_unix(expires);
        token.used_at = from_unix(used);
        return std::optional<EmailToken>(std::move(token));
      });
}

Result<std::int64_t> SqlEmailTokenStore::email_tokens_since(std::int64_t user_id,
                                                            std::string_view purpose, Time since) {
  return database_.read<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    TFA_TRY(auto found, connection.execute("SELECT COUNT(*) FROM email_tokens "
                                           "WHERE user_id = $1 AND purpose = $2 AND created_at >= $3",
                                           params(user_id, purpose, to_unix(since))));
    return found.rows.at(0).integer(0);
  });
}

Result<std::int64_t> SqlEmailTokenStore::end_email_tokens(std::int64_t user_id, Time now) {
  return database_.transaction<std::int64_t>([&](Connection& connection) {
    return end_email_tokens_of(connection, user_id, now);
  });
}

Result<bool> SqlEmailTokenStore::redeem_disable_token(std::int64_t user_id,
                                                      const std::vector<std::uint8_t>& token_hash,
                                                      Time now, const AuditEvent& event) {
  return database_.transaction<bool>([&](Connection& connection) -> Result<bool> {
    // Spend the token with a compare and set, so that it works once even when two requests
    // race; only then remove the factors, in the same transaction.
    TFA_TRY(auto spent, connection.execute(
                            "UPDATE email_tokens SET used_at = $3 WHERE token_hash = $2 "
                            "AND user_id = $1 AND purpose = 'disable_2fa' AND used_at IS NULL "
                            "AND expires_at > $3",
                            params(user_id, Blob{token_hash}, to_unix(now))));
    if (spent.affected == 0) return false;
    TFA_CHECK(remove_second_factors(connection, user_id, event));
    return true;
  });
}

}  // namespace tfa::storage::sql
