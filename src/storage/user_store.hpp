#pragma once
// Accounts: who may sign in. Names are unique regardless of case.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

struct User {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::string password_hash;  // Argon2id PHC string
  bool disabled = false;
  Time created_at;
  Time updated_at;
};

struct NewUser {
  std::string name;
  std::string email;
  std::string password_hash;
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  /// Errc::conflict when the name is taken (in any case).
  virtual Result<User> create_user(const NewUser& user, Time now) = 0;
  /// Case-insensitive.
  virtual Result<std::optional<User>> find_user_by_name(std::string_view name) = 0;
  virtual Result<std::optional<User>> find_user(std::int64_t id) = 0;
  /// Ordered by name.
  virtual Result<std::vector<User>> list_users() = 0;
  /// Errc::not_found when there is no such user (also for the two below).
  virtual Result<void> set_password_hash(std::int64_t id, std::string_view hash, Time now) = 0;
  virtual Result<void> set_disabled(std::int64_t id, bool disabled, Time now) = 0;
  /// Sets the hash only while it is still `expected`: false, changing nothing, when the
  /// password was changed in the meantime (or there is no such user). For rehashing, which
  /// must never put back a password that was just replaced.
  virtual Result<bool> replace_password_hash(std::int64_t id, std::string_view expected,
                                             std::string_view hash, Time now) = 0;
  /// Removes the user and, by cascade, everything that belongs to it except audit events.
  virtual Result<void> delete_user(std::int64_t id) = 0;
};

}  // namespace tfa::storage
