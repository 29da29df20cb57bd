#pragma once
// YubiKeys this server validates itself (local mode and the validation server), with their
// sealed secrets and replay guard, and the API clients of the validation server.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

/// A key as the operator imported it; the secrets are opened from the sealed column.
struct YubiKeyRecord {
  std::string public_id;  // lower-case modhex
  SecretBytes private_id; // 6 bytes
  SecretBytes aes_key;    // 16 bytes
  std::optional<std::int64_t> last_counter;  // of the last accepted OTP (YubicoToken::counter)
  Time created_at;
};

/// A key without its secrets, for listings.
struct YubiKeySummary {
  std::string public_id;
  std::optional<std::int64_t> last_counter;
  Time created_at;
};

/// A client of /wsapi/2.0/verify: its id and the HMAC-SHA1 key its requests are signed with.
struct YubicoClient {
  std::int64_t id = 0;
  std::string name;
  SecretBytes key;  // opened; empty in listings
  Time created_at;
  std::optional<Time> revoked_at;
};

class YubiKeyStore {
 public:
  virtual ~YubiKeyStore() = default;

  /// Stores a key with its secrets sealed. Errc::conflict when the public ID is known, unless
  /// `replace`: then the secrets are replaced and the replay guard starts again, here and on
  /// the account the key is registered to, as it must for a key that was programmed anew.
  virtual Result<void> import_key(std::string_view public_id, std::span<const std::uint8_t> private_id,
                                  std::span<const std::uint8_t> aes_key, Time now, bool replace) = 0;
  virtual Result<std::optional<YubiKeyRecord>> find_key(std::string_view public_id) = 0;
  virtual Result<std::vector<YubiKeySummary>> list_keys() = 0;
  /// Errc::not_found when unknown.
  virtual Result<void> remove_key(std::string_view public_id) = 0;
  /// The replay guard: records `counter` and returns true only when it is newer than the last
  /// one recorded for the key. One atomic statement, so of two servers racing with the same
  /// OTP exactly one gets true.
  virtual Result<bool> record_key_counter(std::string_view public_id, std::int64_t counter) = 0;

  virtual Result<std::int64_t> add_client(std::string_view name, const SecretBytes& key, Time now) = 0;
  /// The client with its key opened, revoked or not; nullopt when there is none.
  virtual Result<std::optional<YubicoClient>> find_client(std::int64_t id) = 0;
  virtual Result<std::vector<YubicoClient>> list_clients() = 0;
  /// Errc::not_found when there is no such client that is not revoked already.
  virtual Result<void> revoke_client(std::int64_t id, Time now) = 0;
};

}  // namespace tfa::storage
