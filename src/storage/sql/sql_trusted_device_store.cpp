#include "storage/sql/sql_trusted_device_store.hpp"

namespace tfa::storage::sql {
namespace {

constexpr std::string_view kColumns =
    "id, user_id, token_hash, user_agent, created_at, last_seen_at, expires_at";

Result<TrustedDevice> device_from(const Row& row) {
  TrustedDevice device;
  TFA_TRY(device.id, row.integer(0));
  TFA_TRY(device.user_id, row.integer(1));
  TFA_TRY(device.token_hash, row.blob(2));
  TFA_TRY(device.user_agent, row.text(3));
  TFA_TRY(auto created, row.integer(4));
  TFA_TRY(auto seen, row.integer(5));
  TFA_TRY(auto expires, row.integer(6));
  device.created_at = from_unix(created);
  device.last_seen_at = from_unix(seen);
  device.expires_at = from_unix(expires);
  return device;
}

}  // namespace

Result<std::int64_t> SqlTrustedDeviceStore::add_trusted_device(const TrustedDevice& device) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    // conflict when the token hash is taken or the user does not exist.
    TFA_TRY(auto inserted,
            connection.execute(
                "INSERT INTO trusted_devices (user_id, token_hash, user_agent, created_at, "
                "last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                params(device.user_id, Blob{device.token_hash}, device.user_agent,
                       to_unix(device.created_at), to_unix(device.last_seen_at),
                       to_unix(device.expires_at))));
    return inserted.rows.at(0).integer(0);
  });
}

Result<std::optional<TrustedDevice>> SqlTrustedDeviceStore::use_trusted_device(
    std::int64_t user_id, const std::vector<std::uint8_t>& token_hash, Time now) {
  return database_.transaction<std::optional<TrustedDevice>>(
      [&](Connection& connection) -> Result<std::optional<TrustedDevice>> {
        // Match and touch in one statement; the user id is part of the match, so a token
        // presented for another account is not recognised.
        TFA_TRY(auto updated,
                connection.execute(
                    "UPDATE trusted_devices SET last_seen_at = $3 "
                    "WHERE user_id = $1 AND token_hash = $2 AND expires_at > $3 RETURNING " +
                        std::string(kColumns),
                    params(user_id, Blob{token_hash}, to_unix(now))));
        if (updated.rows.empty()) return std::optional<TrustedDevice>();
        TFA_TRY(auto device, device_from(updated.rows.front()));
        return std::optional<TrustedDevice>(std::move(device));
      });
}

Result<std::vector<TrustedDevice>> SqlTrustedDeviceStore::trusted_devices_of(std::int64_t user_id,
                                                                             Time now) {
  return database_.read<std::vector<TrustedDevice>>(
      [&](Connection& connection) -> Result<std::vector<TrustedDevice>> {
        // id breaks ties between devices seen in the same second, so the order is stable.
        static const std::string statement =
            "SELECT " + std::string(kColumns) +
            " FROM trusted_devices WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, id DESC";
        TFA_TRY(auto found, connection.execute(statement, params(user_id, to_unix(now))));
        std::vector<TrustedDevice> devices;
        for (const auto& row : found.rows) {
          TFA_TRY(auto device, device_from(row));
          devices.push_back(std::move(device));
        }
        return devices;
      });
}

Result<void> SqlTrustedDeviceStore::forget_trusted_device(std::int64_t user_id,
                                                          std::int64_t device_id) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    // The owner is part of the match: a device id taken from another account is not_found,
    // exactly like one that does not exist, so ids of other users' devices cannot be probed.
    TFA_TRY(auto deleted,
            connection.execute("DELETE FROM trusted_devices WHERE id = $2 AND user_id = $1",
                               params(user_id, device_id)));
    if (deleted.affected == 0) {
      return fail(Errc::not_found, "no trusted device with id " + std::to_string(device_id));
    }
    return {};
  });
}

Result<std::int64_t> SqlTrustedDeviceStore::forget_all_trusted_devices(std::int64_t user_id) {
  return database_.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    // Expired rows are removed too; the count includes them.
    TFA_TRY(auto deleted, connection.execute("DELETE FROM trusted_devices WHERE user_id = $1",
                                             params(user_id)));
    return deleted.affected;
  });
}

}  // namespace tfa::storage::sql
