#pragma once
// The schema's versioned migrations, embedded in the binary from src/storage/migrations/.
#include <span>
#include <string_view>

#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

struct Migration {
  int version;
  std::string_view name;
  std::string_view script;
};

/// Every migration for `dialect`, in ascending version order.
std::span<const Migration> migrations_for(Dialect dialect);

}  // namespace tfa::storage::sql
