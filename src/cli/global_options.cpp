#include "cli/global_options.hpp"

#include <iostream>

#include "cli/command.hpp"
#include "config/load.hpp"
#include "config/validate.hpp"
#include "core/utc_time.hpp"

namespace tfa::cli {

void GlobalOptions::add_to(CLI::App& app) {
  app.add_option("--config", config_file, "Configuration file (TOML); also TFA_CONFIG")
      ->group("Global options");
  app.add_option("--data-dir", data_dir, "Folder for the database, server key and outbox")
      ->group("Global options");
  app.add_option("--database", database, "sqlite:PATH or postgresql://USER@HOST/DB")
      ->group("Global options");
}

Result<config::Config> GlobalOptions::load() const {
  std::optional<std::filesystem::path> file;
  if (config_file) file = *config_file;
  TFA_TRY(auto config, config::load_config(file, config::process_environment()));
  if (data_dir) config.data_dir = *data_dir;
  if (database) config.database = *database;
  TFA_CHECK(config::validate(config));
  return config;
}

Result<std::unique_ptr<app::Services>> GlobalOptions::open(app::OpenOptions options) const {
  TFA_TRY(auto config, load());
  return app::open_services(config, options);
}

int report(const Error& error) {
  std::cerr << "tfa: " << error.message << '\n';
  switch (error.code) {
    case Errc::invalid_argument:
    case Errc::not_found:
    case Errc::conflict:
      return kExitUsage;
    case Errc::unavailable:
    case Errc::validation_unavailable:
    case Errc::internal:
      return kExitFailure;
  }
  return kExitFailure;
}

std::string format_time(std::chrono::sys_seconds time) { return format_utc_second(time); }

}  // namespace tfa::cli
