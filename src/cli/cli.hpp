#pragma once

namespace tfa::cli {

/// Parses the command line, runs the chosen subcommand and returns the process exit status.
/// Never throws: every error becomes one line on stderr and a non-zero status.
int run(int argc, const char* const* argv);

}  // namespace tfa::cli
