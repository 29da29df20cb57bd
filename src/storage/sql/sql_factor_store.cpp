#include "storage/sql/sql_factor_store.hpp"

#include "storage/sql/sql_audit_log.hpp"

namespace tfa::storage {

std::string_view to_string(FactorKind kind) noexcept {
  switch (kind) {
    case FactorKind::totp: return "totp";
    case FactorKind::yubico: return "yubico";
    case FactorKind::webauthn: return "webauthn";
  }
  return "totp";
}

std::string_view to_string(FactorStatus status) noexcept {
  return status == FactorStatus::confirmed ? "confirmed" : "pending";
}

namespace sql {
namespace {

constexpr std::string_view kColumns =
    "id, user_id, kind, label, params, public_id, sealed_secret, status, last_counter, "
    "drift_steps, created_at, confirmed_at, expires_at, last_used_at";

Result<FactorKind> kind_from(const std::string& text) {
  if (text == "totp") return FactorKind::totp;
  if (text == "yubico") return FactorKind::yubico;
  if (text == "webauthn") return FactorKind::webauthn;
  return fail(Errc::internal, "unknown factor kind '" + text + "' in the database");
}

}  // namespace

std::string factor_secret_context(std::int64_t factor_id) {
  return "factors.sealed_secret:" + std::to_string(factor_id);
}

Result<Factor> SqlFactorStore::factor_from(const Row& row, Secret secret) const {
  Factor factor;
  TFA_TRY(factor.id, row.integer(0));
  TFA_TRY(factor.user_id, row.integer(1));
  TFA_TRY(auto kind, row.text(2));
  TFA_TRY(factor.kind, kind_from(kind));
  TFA_TRY(factor.label, row.text(3));
  TFA_TRY(factor.params, row.text(4));
  TFA_TRY(factor.public_id, row.optional_text(5));
  if (secret == Secret::open && !row.is_null(6)) {
    TFA_TRY(auto sealed, row.blob(6));
    TFA_TRY(factor.secret, sealer_.open(sealed, factor_secret_context(factor.id)));
  }
  TFA_TRY(auto status, row.text(7));
  factor.status = status == "confirmed" ? FactorStatus::confirmed : FactorStatus::pending;
  TFA_TRY(factor.last_counter, row.optional_integer(8));
  TFA_TRY(factor.drift_steps, row.integer(9));
  TFA_TRY(auto created, row.integer(10));
  factor.created_at = from_unix(created);
  TFA_TRY(auto confirmed, row.optional_integer(11));
  factor.confirmed_at = from_unix(confirmed);
  TFA_TRY(auto expires, row.optional_integer(12));
  factor.expires_at = from_unix(expires);
  TFA_TRY(auto used, row.optional_integer(13));
  factor.last_used_at = from_unix(used);
  return factor;
}

Result<std::int64_t> SqlFactorStore::add_factor(const NewFactor& factor, Time now) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    // The row id is part of the sealing context, so insert first, then seal and store.
    TFA_TRY(auto inserted,
            connection.execute(
                "INSERT INTO factors (user_id, kind, label, params, public_id, status, "
                "created_at, confirmed_at, expires_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                params(factor.user_id, to_string(factor.kind), factor.label, factor.params,
                       factor.public_id, to_string(factor.status), to_unix(now),
                       factor.status == FactorStatus::confirmed ? std::optional(to_unix(now))
                                                                : std::nullopt,
                       to_unix(factor.expires_at))));
    TFA_TRY(const std::int64_t id, inserted.rows.at(0).integer(0));
    if (factor.secret != nullptr && !factor.secret->empty()) {
      Blob sealed{sealer_.seal(factor.secret->expose(), factor_secret_context(id), random_)};
      TFA_CHECK(connection.execute("UPDATE factors SET sealed_secret = $2 WHERE id = $1",
                                   params(id, std::move(sealed))));
    }
    return id;
  });
}

Result<std::vector<Factor>> SqlFactorStore::factors_of(std::int64_t user_id) {
  return list_of(user_id, Secret::open);
}

Result<std::vector<Factor>> SqlFactorStore::factor_list_of(std::int64_t user_id) {
  return list_of(user_id, Secret::leave_sealed);
}

Result<std::vector<Factor>> SqlFactorStore::list_of(std::int64_t user_id, Secret secret) {
  return database_.read<std::vector<Factor>>(
      [&](Connection& connection) -> Result<std::vector<Factor>> {
        static const std::string statement =
            "SELECT " + std::string(kColumns) + " FROM factors WHERE user_id = $1 ORDER BY id";
        TFA_TRY(auto found, connection.execute(statement, params(user_id)));
        std::vector<Factor> factors;
        for (const auto& row : found.rows) {
          TFA_TRY(auto factor, factor_from(row, secret));
          factors.push_back(std::move(factor));
        }
        return factors;
      });
}

Result<std::optional<Factor>> SqlFactorStore::find_factor(std::int64_t id) {
  return database_.read<std::optional<Factor>>(
      [&](Connection& connection) -> Result<std::optional<Factor>> {
        TFA_TRY(auto found, connection.execute("SELECT " + std::string(kColumns) +
                                                   " FROM factors WHERE id = $1",
                                               params(id)));
        if (found.rows.empty()) return std::optional<Factor>();
        TFA_TRY(auto factor, factor_from(found.rows.front()));
        return std::optional<Factor>(std::move(factor));
      });
}

Result<void> SqlFactorStore::confirm_factor(std::int64_t id, Time now,
                                            std::optional<std::int64_t> accepted_counter,
                                            std::int64_t drift_steps) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto updated,
            connection.execute(
                "UPDATE factors SET status = 'confirmed', confirmed_at = $2, expires_at = NULL, "
                "last_counter = $3, drift_steps = $4, "
                "last_used_at = CASE WHEN CAST($3 AS BIGINT) IS NULL THEN last_used_at ELSE $2 END "
                "WHERE id = $1 AND status = 'pending'",
                params(id, to_unix(now), accepted_counter, drift_steps)));
    if (updated.affected == 0) {
      return fail(Errc::not_found, "no pending factor with id " + std::to_string(id));
    }
    return {};
  });
}

Result<void> SqlFactorStore::remove_factor(std::int64_t id) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto deleted, connection.execute("DELETE FROM factors WHERE id = $1", params(id)));
    if (deleted.affected == 0) return fail(Errc::not_found, "no factor with id " + std::to_string(id));
    return {};
  });
}

Result<bool> SqlFactorStore::record_accepted_counter(std::int64_t factor_id, std::int64_t counter,
                                                     std::int64_t drift_steps, Time now) {
  return database_.transaction<bool>([&](Connection& connection) -> Result<bool> {
    // Compare and set in one statement: the database's row lock makes it atomic across
    // connections and processes.
    TFA_TRY(auto updated,
            connection.execute(
                "UPDATE factors SET last_counter = $2, drift_steps = $3, last_used_at = $4 "
                "WHERE id = $1 AND (last_counter IS NULL OR last_counter < $2)",
                params(factor_id, counter, drift_steps, to_unix(now))));
    return updated.affected == 1;
  });
}

Result<std::int64_t> end_email_tokens_of(Connection& connection, std::int64_t user_id, Time now) {
  TFA_TRY(auto ended, connection.execute("UPDATE email_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
                                         params(user_id, to_unix(now))));
  return ended.affected;
}

Result<SecondFactorReset> remove_second_factors(Connection& connection, std::int64_t user_id,
                                                const AuditEvent& event) {
  SecondFactorReset reset;
  TFA_TRY(auto factors, connection.execute("DELETE FROM factors WHERE user_id = $1", params(user_id)));
  TFA_TRY(auto codes, connection.execute("DELETE FROM backup_codes WHERE user_id = $1", params(user_id)));
  TFA_TRY(auto devices,
          connection.execute("DELETE FROM trusted_devices WHERE user_id = $1", params(user_id)));
  // The second factors' throttle keys (auth::account_key(id, "otp") and "yubikey") go too:
  // their failures, which the code's policy remembers for months, were against factors that
  // no longer exist, and the owner who enables 2FA again must not start blocked.
  TFA_CHECK(connection.execute("DELETE FROM throttle WHERE key = $1 OR key = $2",
                               params("account:" + std::to_string(user_id) + ":otp",
                                      "account:" + std::to_string(user_id) + ":yubikey")));
  // The other "Lost your device?" tokens mailed for the factors just removed: left alive, one
  // would still turn off a second factor the owner enables again, and sign in with it.
  TFA_CHECK(end_email_tokens_of(connection, user_id, event.at));
  reset.factors = factors.affected;
  reset.backup_codes = codes.affected;
  reset.trusted_devices = devices.affected;
  AuditEvent recorded = event;
  recorded.detail = (event.detail.empty() ? "" : event.detail + "; ") + "removed " +
                    std::to_string(reset.factors) + " factors, " +
                    std::to_string(reset.backup_codes) + " backup codes, " +
                    std::to_string(reset.trusted_devices) + " trusted devices";
  TFA_CHECK(append_audit_event(connection, recorded));
  return reset;
}

Result<SecondFactorReset> SqlFactorStore::remove_all_second_factors(std::int64_t user_id,
                                                                    const AuditEvent& event) {
  return database_.transaction<SecondFactorReset>(
      [&](Connection& connection) { return remove_second_factors(connection, user_id, event); });
}

}  // namespace sql
}  // namespace tfa::storage
