#pragma once
#include "storage/sql/database.hpp"
#include "storage/trusted_device_store.hpp"

namespace tfa::storage::sql {

class SqlTrustedDeviceStore final : public TrustedDeviceStore {
 public:
  explicit SqlTrustedDeviceStore(Database& database) : database_(database) {}

  Result<std::int64_t> add_trusted_device(const TrustedDevice& device) override;
  Result<std::optional<TrustedDevice>> use_trusted_device(
      std::int64_t user_id, const std::vector<std::uint8_t>& token_hash, Time now) override;
  Result<std::vector<TrustedDevice>> trusted_devices_of(std::int64_t user_id, Time now) override;
  Result<void> forget_trusted_device(std::int64_t user_id, std::int64_t device_id) override;
  Result<std::int64_t> forget_all_trusted_devices(std::int64_t user_id) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
