#pragma once
#include "storage/sql/database.hpp"
#include "storage/throttle_store.hpp"

namespace tfa::storage::sql {

class SqlThrottleStore final : public ThrottleStore {
 public:
  explicit SqlThrottleStore(Database& database) : database_(database) {}

  Result<std::optional<ThrottleState>> throttle_state(std::string_view key) override;
  Result<ThrottleState> update_throttle(
      std::string_view key, Time now,
      const std::function<ThrottleState(const std::optional<ThrottleState>&)>& update) override;
  Result<std::optional<ThrottleState>> locked_throttle_state(std::string_view key, Time now) override;
  Result<void> clear_throttle(std::string_view key) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
