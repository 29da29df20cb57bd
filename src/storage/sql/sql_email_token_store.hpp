#pragma once
#include "storage/email_token_store.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

class SqlEmailTokenStore final : public EmailTokenStore {
 public:
  explicit SqlEmailTokenStore(Database& database) : database_(database) {}

  Result<std::int64_t> add_email_token(const NewEmailToken& token, Time now) override;
  Result<std::optional<EmailToken>> find_email_token(const std::vector<std::uint8_t>& token_hash) override;
  Result<std::int64_t> email_tokens_since(std::int64_t user_id, std::string_view purpose,
                                          Time since) override;
  Result<std::int64_t> end_email_tokens(std::int64_t user_id, Time now) override;
  Result<bool> redeem_disable_token(std::int64_t user_id, const std::vector<std::uint8_t>& token_hash,
                                    Time now, const AuditEvent& event) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
