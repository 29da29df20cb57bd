#pragma once
// The columns of a user, and a User read back from them: shared by the user store and by
// queries of other stores that join the users table (an API token with its holder).
#include <cstddef>
#include <string_view>

#include "storage/sql/database.hpp"
#include "storage/user_store.hpp"

namespace tfa::storage::sql {

/// In this order; a query that joins users may prefix each with its alias.
inline constexpr std::string_view kUserColumns =
    "id, name, email, password_hash, disabled, created_at, updated_at";

/// The user whose columns start at `first` in `row`.
Result<User> user_from(const Row& row, std::size_t first = 0);

}  // namespace tfa::storage::sql
