#pragma once
// The options every command accepts, before or after the subcommand: --config, --data-dir and
// --database. They override the config file and the TFA_* environment variables.
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/services.hpp"
#include "config/config.hpp"

namespace tfa::cli {

struct GlobalOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> database;

  void add_to(CLI::App& app);
  /// Defaults < config file < environment < these options, then validated as a whole.
  Result<config::Config> load() const;
  /// load() then app::open_services(); errors are printed by the caller.
  Result<std::unique_ptr<app::Services>> open(app::OpenOptions options = {}) const;
};

/// Prints "tfa: MESSAGE" and returns the exit status the error deserves: 2 when the input was
/// wrong (bad value, unknown or duplicate name), 1 when the environment failed.
int report(const Error& error);

/// "2026-11-25 04:49:24 UTC".
std::string format_time(std::chrono::sys_seconds time);

}  // namespace tfa::cli
