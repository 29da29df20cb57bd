#pragma once
// Devices on which a user chose "Do not challenge me on this device for the next 7 days".
// The browser holds a random token; the store keeps its hash.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

struct TrustedDevice {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::vector<std::uint8_t> token_hash;
  std::string user_agent;
  Time created_at;
  Time last_seen_at;
  Time expires_at;
};

class TrustedDeviceStore {
 public:
  virtual ~TrustedDeviceStore() = default;
  virtual Result<std::int64_t> add_trusted_device(const TrustedDevice& device) = 0;
  /// The device whose token hashes to `token_hash`, if it belongs to `user_id` and has not
  /// expired; its last_seen_at is set to `now`.
  virtual Result<std::optional<TrustedDevice>> use_trusted_device(
      std::int64_t user_id, const std::vector<std::uint8_t>& token_hash, Time now) = 0;
  /// The user's devices that have not expired, most recently seen first.
  virtual Result<std::vector<TrustedDevice>> trusted_devices_of(std::int64_t user_id, Time now) = 0;
  /// not_found unless the device exists and belongs to the user.
  virtual Result<void> forget_trusted_device(std::int64_t user_id, std::int64_t device_id) = 0;
  virtual Result<std::int64_t> forget_all_trusted_devices(std::int64_t user_id) = 0;
};

}  // namespace tfa::storage
