#pragma once
// The server key: 32 random bytes that seal every stored secret. It lives in a file of its
// own (by default <data dir>/secret.key), as 64 hex digits and a newline, readable by its
// owner only (mode 0600); a database dump without it reveals no secret.
#include <filesystem>

#include "core/random.hpp"
#include "crypto/sealer.hpp"
#include "storage/sql/database.hpp"

namespace tfa::app {

/// Reads the key file and returns a Sealer for it. When the file does not exist and `create`
/// is true, a new key is drawn from `random` and written with mode 0600 first.
/// Fails (invalid_argument, naming the file) when the file is readable or writable by group or
/// others, or does not hold exactly 64 hex digits. If a rotation was interrupted (a
/// "<file>.new" exists), both keys are loaded so that every value still opens.
Result<crypto::Sealer> load_server_key(const std::filesystem::path& file, bool create, Random& random);

struct KeyRotation {
  std::int64_t resealed = 0;  // values moved to the new key
  std::string old_key_id;
  std::string new_key_id;
};

/// Replaces the server key: writes a new key to "<file>.new", re-seals every secret under it in
/// one transaction, then renames "<file>.new" over the file. Interrupted at any point, the next
/// start still opens every value (see load_server_key) and running this again completes it.
Result<KeyRotation> rotate_server_key(const std::filesystem::path& file,
                                      storage::sql::Database& database, Random& random);

}  // namespace tfa::app
