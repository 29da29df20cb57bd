#pragma once
#include "storage/session_store.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

class SqlSessionStore final : public SessionStore {
 public:
  explicit SqlSessionStore(Database& database) : database_(database) {}

  Result<void> create_session(const Session& session) override;
  Result<std::optional<Session>> find_session(const std::vector<std::uint8_t>& id_hash,
                                              Time now) override;
  Result<void> update_session(const Session& session) override;
  Result<void> rotate_session(const std::vector<std::uint8_t>& old_id_hash,
                              const Session& replacement) override;
  Result<void> delete_session(const std::vector<std::uint8_t>& id_hash) override;
  Result<std::int64_t> delete_user_sessions(std::int64_t user_id) override;
  Result<std::int64_t> delete_expired_sessions(Time now) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
