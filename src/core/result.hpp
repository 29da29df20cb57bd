#pragma once
// Errors as values. Every fallible call in tfa returns Result<T>: either a T or an Error that
// says what went wrong in words a user or operator can act on. Exceptions stay at the edges
// (network I/O, startup). Only the std::expected subset of tl::expected is used, so moving to
// C++23 is a one-line alias change.
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace tfa {

enum class Errc {
  invalid_argument,  // the caller's input is malformed or out of range
  not_found,
  conflict,          // the input is fine, but clashes with what exists
  unavailable,       // a dependency (database, mail server) cannot be reached
  internal,          // a bug or an environment failure; never the caller's fault
};

struct Error {
  Errc code;
  std::string message;
};

template <class T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning a failure: `return fail(Errc::invalid_argument, "digits must be 6 to 8");`
inline tl::unexpected<Error> fail(Errc code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace tfa
