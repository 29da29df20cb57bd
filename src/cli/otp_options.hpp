#pragma once
// The --algorithm, --digits and --period options shared by `tfa code` and `tfa uri`.
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/result.hpp"
#include "otp/key_uri.hpp"

namespace tfa::cli {

struct OtpOptions {
  std::optional<std::string> algorithm;
  std::optional<int> digits;
  std::optional<int> period;

  void add_to(CLI::App& command);
  /// Overrides the fields of `key` with the options the user gave; fails on an unknown algorithm.
  Result<void> apply_to(otp::KeyUri& key) const;
};

}  // namespace tfa::cli
