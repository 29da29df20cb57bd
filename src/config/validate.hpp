#pragma once
// Whether a Config is usable: integer ranges, the issuer's and the database URL's form. Every
// problem is reported, not just the first, so an operator fixes a file in one round.
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"

namespace tfa::config {

struct Problem {
  std::string key;      // TOML path of the setting: "password.argon2_ops"
  std::string message;  // what is wrong with its value: "must be from 1 to 100, got 0"
};

/// Every problem with `config`, in the order of docs/configuration.md; empty when usable.
/// Messages never echo the database URL, which may hold a password.
std::vector<Problem> find_problems(const Config& config);

/// find_problems() as one Error (Errc::invalid_argument), one "key: message" per line. For a
/// caller that changes a loaded Config (command-line flags) and must check it again;
/// load_config() already validates and names the file or variable each value came from.
Result<void> validate(const Config& config);

}  // namespace tfa::config
