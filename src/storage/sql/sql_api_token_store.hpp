#pragma once
#include "storage/api_token_store.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

class SqlApiTokenStore final : public ApiTokenStore {
 public:
  explicit SqlApiTokenStore(Database& database) : database_(database) {}

  Result<std::int64_t> add_api_token(const ApiToken& token) override;
  Result<std::optional<ApiToken>> find_api_token(const std::vector<std::uint8_t>& token_hash,
                                                 Time now) override;
  Result<std::optional<TokenHolder>> find_token_holder(const std::vector<std::uint8_t>& token_hash,
                                                       Time now) override;
  Result<void> touch_api_token(std::int64_t token_id, Time used_at) override;
  Result<std::vector<ApiToken>> api_tokens_of(std::int64_t user_id, ApiTokenKind kind, Time now) override;
  Result<void> revoke_api_token(std::int64_t user_id, std::int64_t token_id) override;
  Result<std::int64_t> revoke_api_tokens_of(std::int64_t user_id, ApiTokenKind kind) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
