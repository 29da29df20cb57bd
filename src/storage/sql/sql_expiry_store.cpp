#include "storage/sql/sql_expiry_store.hpp"

namespace tfa::storage::sql {

Result<ExpiredRows> SqlExpiryStore::delete_expired(Time now, Time tokens_before, Time throttle_before,
                                                   std::chrono::seconds code_memory_per_failure) {
  return database_.transaction<ExpiredRows>([&](Connection& connection) -> Result<ExpiredRows> {
    ExpiredRows rows;
    TFA_TRY(auto sessions, connection.execute("DELETE FROM sessions WHERE expires_at <= $1",
                                              params(to_unix(now))));
    TFA_TRY(auto devices, connection.execute("DELETE FROM trusted_devices WHERE expires_at <= $1",
                                             params(to_unix(now))));
    TFA_TRY(auto factors, connection.execute(
                              "DELETE FROM factors WHERE status = 'pending' AND expires_at <= $1",
                              params(to_unix(now))));
    TFA_TRY(auto tokens, connection.execute("DELETE FROM email_tokens WHERE expires_at <= $1",
                                            params(to_unix(tokens_before))));
    TFA_TRY(auto throttle, connection.execute(
                               "DELETE FROM throttle WHERE blocked_until <= $2 AND "
                               "((key NOT LIKE '%:otp' AND updated_at <= $1) OR "
                               "(key LIKE '%:otp' AND updated_at + failures * CAST($3 AS BIGINT) <= $2))",
                               params(to_unix(throttle_before), to_unix(now),
                                      static_cast<std::int64_t>(code_memory_per_failure.count()))));
    TFA_TRY(auto api_tokens, connection.execute("DELETE FROM api_tokens WHERE expires_at <= $1",
                                                params(to_unix(now))));
    rows.sessions = sessions.affected;
    rows.api_tokens = api_tokens.affected;
    rows.trusted_devices = devices.affected;
    rows.pending_factors = factors.affected;
    rows.email_tokens = tokens.affected;
    rows.throttle_keys = throttle.affected;
    return rows;
  });
}

}  // namespace tfa::storage::sql
