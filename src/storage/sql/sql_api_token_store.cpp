#include "storage/sql/sql_api_token_store.hpp"

#include "storage/sql/user_row.hpp"

namespace tfa::storage::sql {
namespace {

constexpr std::string_view kColumns =
    "id, user_id, kind, name, token_hash, created_at, expires_at, last_used_at";
constexpr std::size_t kTokenColumnCount = 8;

Result<ApiToken> token_from(const Row& row) {
  ApiToken token;
  TFA_TRY(token.id, row.integer(0));
  TFA_TRY(token.user_id, row.integer(1));
  TFA_TRY(auto kind, row.text(2));
  token.kind = kind == "key" ? ApiTokenKind::key : ApiTokenKind::session;
  TFA_TRY(token.name, row.text(3));
  TFA_TRY(token.token_hash, row.blob(4));
  TFA_TRY(auto created, row.integer(5));
  token.created_at = from_unix(created);
  TFA_TRY(auto expires, row.optional_integer(6));
  token.expires_at = from_unix(expires);
  TFA_TRY(auto used, row.optional_integer(7));
  token.last_used_at = from_unix(used);
  return token;
}

}  // namespace

Result<std::int64_t> SqlApiTokenStore::add_api_token(const ApiToken& token) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    TFA_TRY(auto inserted,
            connection.execute("INSERT INTO api_tokens (user_id, kind, name, token_hash, created_at, "
                               "expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                               params(token.user_id, std::string(to_string(token.kind)), token.name,
                                      Blob{token.token_hash}, to_unix(token.created_at),
                                      to_unix(token.expires_at))));
    return inserted.rows.at(0).integer(0);
  });
}

Result<std::optional<ApiToken>> SqlApiTokenStore::find_api_token(
    const std::vector<std::uint8_t>& token_hash, Time now) {
  return database_.read<std::optional<ApiToken>>(
      [&](Connection& connection) -> Result<std::optional<ApiToken>> {
        static const std::string statement =
            "SELECT " + std::string(kColumns) +
            " FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL "
            "AND (expires_at IS NULL OR expires_at > $2)";
        TFA_TRY(auto found, connection.execute(statement, params(Blob{token_hash}, to_unix(now))));
        if (found.rows.empty()) return std::optional<ApiToken>();
        TFA_TRY(auto token, token_from(found.rows.front()));
        return std::optional<ApiToken>(std::move(token));
      });
}

Result<std::optional<TokenHolder>> SqlApiTokenStore::find_token_holder(
    const std::vector<std::uint8_t>& token_hash, Time now) {
  return database_.read<std::optional<TokenHolder>>(
      [&](Connection& connection) -> Result<std::optional<TokenHolder>> {
        static const std::string statement =
            "SELECT t.id, t.user_id, t.kind, t.name, t.token_hash, t.created_at, t.expires_at, t.last_used_at, "
            "u.id, u.name, u.email, u.password_hash, u.disabled, u.created_at, u.updated_at "
            "FROM api_tokens t JOIN users u ON u.id = t.user_id "
            "WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)";
        TFA_TRY(auto found, connection.execute(statement, params(Blob{token_hash}, to_unix(now))));
        if (found.rows.empty()) return std::optional<TokenHolder>();
        TokenHolder holder;
        TFA_TRY(holder.token, token_from(found.rows.front()));
        TFA_TRY(holder.user, user_from(found.rows.front(), kTokenColumnCount));
        return std::optional<TokenHolder>(std::move(holder));
      });
}

Result<void> SqlApiTokenStore::touch_api_token(std::int64_t token_id, Time used_at) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_CHECK(connection.execute("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
                                 params(token_id, to_unix(used_at))));
    return {};
  });
}

Result<std::vector<ApiToken>> SqlApiTokenStore::api_tokens_of(std::int64_t user_id, ApiTokenKind kind,
                                                              Time now) {
  return database_.read<std::vector<ApiToken>>(
      [&](Connection& connection) -> Result<std::vector<ApiToken>> {
        TFA_TRY(auto found,
                connection.execute("SELECT " + std::string(kColumns) +
                                       " FROM api_tokens WHERE user_id = $1 AND kind = $2 AND "
                                       "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3) "
                                       "ORDER BY created_at DESC, id DESC",
                                   params(user_id, std::string(to_string(kind)), to_unix(now))));
        std::vector<ApiToken> tokens;
        for (const auto& row : found.rows) {
          TFA_TRY(auto token, token_from(row));
          tokens.push_back(std::move(token));
        }
        return tokens;
      });
}

Result<void> SqlApiTokenStore::revoke_api_token(std::int64_t user_id, std::int64_t token_id) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    // The owner is part of the match, so another user's token id is not_found like a missing one.
    TFA_TRY(auto deleted, connection.execute("DELETE FROM api_tokens WHERE id = $2 AND user_id = $1",
                                             params(user_id, token_id)));
    if (deleted.affected == 0) return fail(Errc::not_found, "no API token with id " + std::to_string(token_id));
    return {};
  });
}

Result<std::int64_t> SqlApiTokenStore::revoke_api_tokens_of(std::int64_t user_id, ApiTokenKind kind) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    TFA_TRY(auto deleted, connection.execute("DELETE FROM api_tokens WHERE user_id = $1 AND kind = $2",
                                             params(user_id, std::string(to_string(kind)))));
    return deleted.affected;
  });
}

}  // namespace tfa::storage::sql
