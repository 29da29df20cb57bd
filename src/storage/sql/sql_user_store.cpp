#include "storage/sql/sql_user_store.hpp"

#include "storage/sql/user_row.hpp"

namespace tfa::storage::sql {
Result<User> user_from(const Row& row, std::size_t first) {
  User user;
  TFA_TRY(user.id, row.integer(first + 0));
  TFA_TRY(user.name, row.text(first + 1));
  TFA_TRY(user.email, row.text(first + 2));
  TFA_TRY(user.password_hash, row.text(first + 3));
  TFA_TRY(auto disabled, row.integer(first + 4));
  user.disabled = disabled != 0;
  TFA_TRY(auto created, row.integer(first + 5));
  TFA_TRY(auto updated, row.integer(first + 6));
  user.created_at = from_unix(created);
  user.updated_at = from_unix(updated);
  return user;
}

Result<User> SqlUserStore::create_user(const NewUser& user, Time now) {
  return database_.transaction<User>([&](Connection& connection) -> Result<User> {
    auto inserted = connection.execute(
        "INSERT INTO users (name, email, password_hash, disabled, created_at, updated_at) "
        "VALUES ($1, $2, $3, 0, $4, $4) RETURNING " + std::string(kUserColumns),
        params(user.name, user.email, user.password_hash, to_unix(now)));
    if (!inserted) {
      if (inserted.error().code == Errc::conflict) {
        return fail(Errc::conflict, "a user named '" + user.name + "' already exists");
      }
      return tl::unexpected(inserted.error());
    }
    return user_from(inserted->rows.at(0));
  });
}

Result<std::optional<User>> SqlUserStore::find_one(const std::string& statement, Value key) {
  return database_.read<std::optional<User>>(
      [&](Connection& connection) -> Result<std::optional<User>> {
        TFA_TRY(auto found, connection.execute(statement, std::span<const Value>(&key, 1)));
        if (found.rows.empty()) return std::optional<User>();
        TFA_TRY(auto user, user_from(found.rows.front()));
        return std::optional<User>(std::move(user));
      });
}

Result<std::optional<User>> SqlUserStore::find_user_by_name(std::string_view name) {
  static const std::string by_name = "SELECT " + std::string(kUserColumns) + " FROM users WHERE lower(name) = lower($1)";
  return find_one(by_name, std::string(name));
}

Result<std::optional<User>> SqlUserStore::find_user(std::int64_t id) {
  static const std::string by_id = "SELECT " + std::string(kUserColumns) + " FROM users WHERE id = $1";
  return find_one(by_id, id);
}

Result<std::vector<User>> SqlUserStore::list_users() {
  return database_.read<std::vector<User>>(
      [&](Connection& connection) -> Result<std::vector<User>> {
        TFA_TRY(auto found, connection.execute("SELECT " + std::string(kUserColumns) +
                                               " FROM users ORDER BY lower(name)"));
        std::vector<User> users;
        for (const auto& row : found.rows) {
          TFA_TRY(auto user, user_from(row));
          users.push_back(std::move(user));
        }
        return users;
      });
}

Result<void> SqlUserStore::update_one(std::string_view statement, std::vector<Value> values,
                                      std::int64_t id) {
  return database_.run_transaction([&](Connection& connection) -> Result<void> {
    TFA_TRY(auto updated, connection.execute(statement, values));
    if (updated.affected == 0) {
      return fail(Errc::not_found, "no user with id " + std::to_string(id));
    }
    return {};
  });
}

Result<void> SqlUserStore::set_password_hash(std::int64_t id, std::string_view hash, Time now) {
  return update_one("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
                    params(id, hash, to_unix(now)), id);
}

Result<bool> SqlUserStore::replace_password_hash(std::int64_t id, std::string_view expected,
                                                std::string_view hash, Time now) {
  return database_.transaction<bool>([&](Connection& connection) -> Result<bool> {
    TFA_TRY(auto updated, connection.execute("UPDATE users SET password_hash = $3, updated_at = $4 "
                                             "WHERE id = $1 AND password_hash = $2",
                                             params(id, expected, hash, to_unix(now))));
    return updated.affected == 1;
  });
}

Result<void> SqlUserStore::set_disabled(std::int64_t id, bool disabled, Time now) {
  return update_one("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1",
                    params(id, disabled, to_unix(now)), id);
}

Result<void> SqlUserStore::delete_user(std::int64_t id) {
  return update_one("DELETE FROM users WHERE id = $1", params(id), id);
}

}  // namespace tfa::storage::sql
