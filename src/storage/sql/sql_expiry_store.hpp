#pragma once
#include "storage/expiry_store.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

class SqlExpiryStore final : public ExpiryStore {
 public:
  explicit SqlExpiryStore(Database& database) : database_(database) {}
  Result<ExpiredRows> delete_expired(Time now, Time tokens_before, Time throttle_before,
                                     std::chrono::seconds code_memory_per_failure) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
