#include "config/config.hpp"

namespace tfa::config {

std::string Config::database_url() const {
  if (!database.empty()) return database;
  return "sqlite:" + (data_dir / "tfa.db").string();
}

std::filesystem::path Config::key_file() const {
  if (!server_key_file.empty()) return server_key_file;
  return data_dir / "secret.key";
}

}  // namespace tfa::config
