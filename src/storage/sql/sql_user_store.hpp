#pragma once
#include "storage/sql/database.hpp"
#include "storage/user_store.hpp"

namespace tfa::storage::sql {

class SqlUserStore final : public UserStore {
 public:
  explicit SqlUserStore(Database& database) : database_(database) {}

  Result<User> create_user(const NewUser& user, Time now) override;
  Result<std::optional<User>> find_user_by_name(std::string_view name) override;
  Result<std::optional<User>> find_user(std::int64_t id) override;
  Result<std::vector<User>> list_users() override;
  Result<void> set_password_hash(std::int64_t id, std::string_view hash, Time now) override;
  Result<void> set_disabled(std::int64_t id, bool disabled, Time now) override;
  Result<bool> replace_password_hash(std::int64_t id, std::string_view expected, std::string_view hash,
                                     Time now) override;
  Result<void> delete_user(std::int64_t id) override;

 private:
  /// `statement` selects the columns of one user by $1 (built once, not per call).
  Result<std::optional<User>> find_one(const std::string& statement, Value key);
  Result<void> update_one(std::string_view statement, std::vector<Value> values, std::int64_t id);

  Database& database_;
};

}  // namespace tfa::storage::sql
