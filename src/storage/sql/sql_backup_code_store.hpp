#pragma once
#include "storage/backup_code_store.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

class SqlBackupCodeStore final : public BackupCodeStore {
 public:
  explicit SqlBackupCodeStore(Database& database) : database_(database) {}

  Result<void> replace_backup_codes(std::int64_t user_id, const std::vector<CodeHash>& code_hashes,
                                    Time now) override;
  Result<bool> use_backup_code(std::int64_t user_id, const CodeHash& code_hash, Time now) override;
  Result<std::int64_t> unused_backup_codes(std::int64_t user_id) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
