#pragma once
// Opens the database a URL names: "sqlite:PATH" for the embedded default, "postgresql://..."
// (or "postgres://...") for a shared server.
#include <memory>
#include <string>

#include "storage/sql/database.hpp"

namespace tfa::app {

Result<std::unique_ptr<storage::sql::Database>> open_database(const std::string& url, int pool_size);

/// The URL with any password replaced by "***", for messages and logs.
std::string redact_database_url(const std::string& url);

}  // namespace tfa::app
