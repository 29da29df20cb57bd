#pragma once
// Assembles a Config from three layers, each overriding the one before:
//   embedded defaults (config.hpp)  <  TOML file  <  TFA_* environment variables.
// Command-line flags (--data-dir, --database) are applied afterwards by the caller, who then
// calls validate() again.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/result.hpp"

namespace tfa::config {

/// Looks up one environment variable; nullopt when it is not set. Injected so that tests do
/// not touch the process environment.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;

/// The process's environment (getenv). Reads happen during load_config(), not here.
Environment process_environment();

/// A fixed set of variables, for tests and for embedding.
Environment environment_from(std::map<std::string, std::string, std::less<>> variables);

/// Loads `file`, or when it is nullopt or empty the file named by TFA_CONFIG; with neither,
/// only defaults and the environment apply. A setting's environment variable is TFA_ plus its
/// TOML path in upper case with '.' as '_' (password.min_length -> TFA_PASSWORD_MIN_LENGTH);
/// a variable that is set, even to "", overrides the file.
///
/// Fails with Errc::invalid_argument listing every problem found, one per line, each naming
/// its source and key: an unreadable file, a TOML syntax error (PATH:LINE:COLUMN), an unknown
/// key (usually a typo), a value of the wrong type, an environment value that is not a whole
/// number, and everything validate() rejects. The file's relative paths are relative to the
/// working directory, not to the file.
Result<Config> load_config(const std::optional<std::filesystem::path>& file,
                           const Environment& env);

}  // namespace tfa::config
