#include "app/open_database.hpp"

#include "storage/postgres/postgres_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tfa::app {

Result<std::unique_ptr<storage::sql::Database>> open_database(const std::string& url, int pool_size) {
  if (url.rfind("sqlite:", 0) == 0) {
    return storage::sqlite::open_sqlite_database(url.substr(7), pool_size);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return storage::postgres::open_postgres_database(url, pool_size);
  }
  return fail(Errc::invalid_argument,
              "database must be sqlite:PATH or postgresql://..., not '" + redact_database_url(url) + "'");
}

std::string redact_database_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto authority_start = scheme_end + 3;
  const auto at = url.find('@', authority_start);
  const auto slash = url.find('/', authority_start);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  const auto colon = url.find(':', authority_start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace tfa::app
