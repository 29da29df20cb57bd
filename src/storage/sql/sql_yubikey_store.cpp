#include "storage/sql/sql_yubikey_store.hpp"

#include <vector>

#include "core/constant_time.hpp"
#include "storage/sql/sealed_values.hpp"

namespace tfa::storage::sql {
namespace {

constexpr std::size_t kPrivateIdSize = 6;
constexpr std::size_t kAesKeySize = 16;

}  // namespace

Result<void> SqlYubiKeyStore::import_key(std::string_view public_id, std::span<const std::uint8_t> private_id,
                                         std::span<const std::uint8_t> aes_key, Time now, bool replace) {
  if (public_id.empty() || private_id.size() != kPrivateIdSize || aes_key.size() != kAesKeySize) {
    return fail(Errc::invalid_argument, "a YubiKey needs a public ID, a 6-byte private ID and a 16-byte AES key");
  }
  // Both secrets in one sealed value: private ID then AES key.
  std::vector<std::uint8_t> plain(private_id.begin(), private_id.end());
  plain.insert(plain.end(), aes_key.begin(), aes_key.end());
  Blob sealed{sealer_.seal(plain, yubikey_secret_context(public_id), random_)};
  secure_wipe(plain);
  const std::string id(public_id);
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto found, connection.execute("SELECT 1 FROM yubikeys WHERE public_id = $1", params(id)));
    if (!found.rows.empty()) {
      if (!replace) return fail(Errc::conflict, "the YubiKey " + id + " is already imported");
      TFA_CHECK(connection.execute(
          "UPDATE yubikeys SET sealed_secret = $2, last_counter = NULL, created_at = $3 WHERE public_id = $1",
          params(id, std::move(sealed), to_unix(now))));
      // The accounts' guard per key restarts too, or the key programmed anew, whose counters
      // start again, would be refused as replaying by the account it is registered to.
      TFA_CHECK(connection.execute(
          "UPDATE factors SET last_counter = NULL WHERE kind = 'yubico' AND public_id = $1", params(id)));
      return {};
    }
    TFA_CHECK(connection.execute(
        "INSERT INTO yubikeys (public_id, sealed_secret, created_at) VALUES ($1, $2, $3)",
        params(id, std::move(sealed), to_unix(now))));
    return {};
  });
}

Result<std::optional<YubiKeyRecord>> SqlYubiKeyStore::find_key(std::string_view public_id) {
  const std::string id(public_id);
  return database_.read<std::optional<YubiKeyRecord>>(
      [&](Connection& connection) -> Result<std::optional<YubiKeyRecord>> {
        TFA_TRY(auto found,
                connection.execute("SELECT sealed_secret, last_counter, created_at FROM yubikeys "
                                   "WHERE public_id = $1",
                                   params(id)));
        if (found.rows.empty()) return std::optional<YubiKeyRecord>();
        const Row& row = found.rows.front();
        TFA_TRY(auto sealed, row.blob(0));
        TFA_TRY(auto secret, sealer_.open(sealed, yubikey_secret_context(id)));
        if (secret.size() != kPrivateIdSize + kAesKeySize) {
          return fail(Errc::internal, "the sealed secret of YubiKey " + id + " has the wrong size");
        }
        YubiKeyRecord key;
        key.public_id = id;
        key.private_id = SecretBytes::copy_of(secret.expose().first(kPrivateIdSize));
        key.aes_key = SecretBytes::copy_of(secret.expose().subspan(kPrivateIdSize));
        TFA_TRY(key.last_counter, row.optional_integer(1));
        TFA_TRY(auto created, row.integer(2));
        key.created_at = from_unix(created);
        return std::optional<YubiKeyRecord>(std::move(key));
      });
}

Result<std::vector<YubiKeySummary>> SqlYubiKeyStore::list_keys() {
  return database_.read<std::vector<YubiKeySummary>>(
      [&](Connection& connection) -> Result<std::vector<YubiKeySummary>> {
        TFA_TRY(auto found, connection.execute(
                                "SELECT public_id, last_counter, created_at FROM yubikeys ORDER BY public_id",
                                params()));
        std::vector<YubiKeySummary> keys;
        for (const auto& row : found.rows) {
          YubiKeySummary key;
          TFA_TRY(key.public_id, row.text(0));
          TFA_TRY(key.last_counter, row.optional_integer(1));
          TFA_TRY(auto created, row.integer(2));
          key.created_at = from_unix(created);
          keys.push_back(std::move(key));
        }
        return keys;
      });
}

Result<void> SqlYubiKeyStore::remove_key(std::string_view public_id) {
  const std::string id(public_id);
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto deleted, connection.execute("DELETE FROM yubikeys WHERE public_id = $1", params(id)));
    if (deleted.affected == 0) return fail(Errc::not_found, "no YubiKey " + id + " is imported");
    return {};
  });
}

Result<bool> SqlYubiKeyStore::record_key_counter(std::string_view public_id, std::int64_t counter) {
  const std::string id(public_id);
  return database_.transaction<bool>([&](Connection& connection) -> Result<bool> {
    TFA_TRY(auto updated,
            connection.execute("UPDATE yubikeys SET last_counter = $2 WHERE public_id = $1 AND "
                               "(last_counter IS NULL OR last_counter < $2)",
                               params(id, counter)));
    return updated.affected == 1;
  });
}

Result<std::int64_t> SqlYubiKeyStore::add_client(std::string_view name, const SecretBytes& key, Time now) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    // The client id is part of the sealing context: insert a placeholder, then seal.
    TFA_TRY(auto inserted,
            connection.execute("INSERT INTO yubico_clients (name, sealed_secret, created_at) "
                               "VALUES ($1, $2, $3) RETURNING id",
                               params(std::string(name), Blob{std::vector<std::uint8_t>{0}}, to_unix(now))));
    TFA_TRY(const std::int64_t id, inserted.rows.at(0).integer(0));
    Blob sealed{sealer_.seal(key.expose(), yubico_client_secret_context(id), random_)};
    TFA_CHECK(connection.execute("UPDATE yubico_clients SET sealed_secret = $2 WHERE id = $1",
                                 params(id, std::move(sealed))));
    return id;
  });
}

Result<std::optional<YubicoClient>> SqlYubiKeyStore::find_client(std::int64_t id) {
  return database_.read<std::optional<YubicoClient>>(
      [&](Connection& connection) -> Result<std::optional<YubicoClient>> {
        TFA_TRY(auto found, connection.execute("SELECT name, sealed_secret, created_at, revoked_at "
                                               "FROM yubico_clients WHERE id = $1",
                                               params(id)));
        if (found.rows.empty()) return std::optional<YubicoClient>();
        const Row& row = found.rows.front();
        YubicoClient client;
        client.id = id;
        TFA_TRY(client.name, row.text(0));
        TFA_TRY(auto sealed, row.blob(1));
        TFA_TRY(client.key, sealer_.open(sealed, yubico_client_secret_context(id)));
        TFA_TRY(auto created, row.integer(2));
        client.created_at = from_unix(created);
        TFA_TRY(auto revoked, row.optional_integer(3));
        client.revoked_at = from_unix(revoked);
        return std::optional<YubicoClient>(std::move(client));
      });
}

Result<std::vector<YubicoClient>> SqlYubiKeyStore::list_clients() {
  return database_.read<std::vector<YubicoClient>>(
      [&](Connection& connection) -> Result<std::vector<YubicoClient>> {
        TFA_TRY(auto found, connection.execute(
                                "SELECT id, name, created_at, revoked_at FROM yubico_clients ORDER BY id",
                                params()));
        std::vector<YubicoClient> clients;
        for (const auto& row : found.rows) {
          YubicoClient client;
          TFA_TRY(client.id, row.integer(0));
          TFA_TRY(client.name, row.text(1));
          TFA_TRY(auto created, row.integer(2));
          client.created_at = from_unix(created);
          TFA_TRY(auto revoked, row.optional_integer(3));
          client.revoked_at = from_unix(revoked);
          clients.push_back(std::move(client));
        }
        return clients;
      });
}

Result<void> SqlYubiKeyStore::revoke_client(std::int64_t id, Time now) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto updated, connection.execute(
                              "UPDATE yubico_clients SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                              params(id, to_unix(now))));
    if (updated.affected == 0) return fail(Errc::not_found, "no active client " + std::to_string(id));
    return {};
  });
}

}  // namespace tfa::storage::sql
