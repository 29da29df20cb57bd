#pragma once
#include <string>

#include "core/result.hpp"

namespace tfa::cli {

/// Reads a new password: one line from standard input when `from_stdin` (for scripts), or
/// typed twice at the terminal without echo. Fails when there is no terminal, or the two
/// entries differ.
Result<std::string> read_new_password(bool from_stdin);

}  // namespace tfa::cli
