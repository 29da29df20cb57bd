#pragma once
#include "core/random.hpp"
#include "crypto/sealer.hpp"
#include "storage/sql/database.hpp"
#include "storage/yubikey_store.hpp"

namespace tfa::storage::sql {

/// Keys in `yubikeys` (private ID and AES key sealed together, bound to the public ID) and
/// clients in `yubico_clients` (the API key sealed, bound to the client id).
class SqlYubiKeyStore final : public YubiKeyStore {
 public:
  SqlYubiKeyStore(Database& database, const crypto::Sealer& sealer, Random& random)
      : database_(database), sealer_(sealer), random_(random) {}

  Result<void> import_key(std::string_view public_id, std::span<const std::uint8_t> private_id,
                          std::span<const std::uint8_t> aes_key, Time now, bool replace) override;
  Result<std::optional<YubiKeyRecord>> find_key(std::string_view public_id) override;
  Result<std::vector<YubiKeySummary>> list_keys() override;
  Result<void> remove_key(std::string_view public_id) override;
  Result<bool> record_key_counter(std::string_view public_id, std::int64_t counter) override;

  Result<std::int64_t> add_client(std::string_view name, const SecretBytes& key, Time now) override;
  Result<std::optional<YubicoClient>> find_client(std::int64_t id) override;
  Result<std::vector<YubicoClient>> list_clients() override;
  Result<void> revoke_client(std::int64_t id, Time now) override;

 private:
  Database& database_;
  const crypto::Sealer& sealer_;
  Random& random_;
};

}  // namespace tfa::storage::sql
