#pragma once
// Backup codes (seed 004): ten one-time codes a user keeps for when the phone is gone. Only
// keyed hashes of the codes are stored; the user sees the codes once.
#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

using CodeHash = std::vector<std::uint8_t>;

class BackupCodeStore {
 public:
  virtual ~BackupCodeStore() = default;

  /// Voids every backup code of the user, used or not, and stores `code_hashes` as the new
  /// set, in one transaction. Errc::conflict when the user does not exist.
  virtual Result<void> replace_backup_codes(std::int64_t user_id,
                                            const std::vector<CodeHash>& code_hashes, Time now) = 0;

  /// Marks the user's unused code with this hash as used and returns true; false when the
  /// user has no unused code with it. One atomic statement, so of two requests racing with
  /// the same code exactly one gets true.
  virtual Result<bool> use_backup_code(std::int64_t user_id, const CodeHash& code_hash, Time now) = 0;

  /// How many of the user's codes are still unused.
  virtual Result<std::int64_t> unused_backup_codes(std::int64_t user_id) = 0;
};

}  // namespace tfa::storage
