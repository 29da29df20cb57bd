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
  // A YubiKey validation server gave no answer that can be trusted: the OTP it was asked about
  // is neither accepted nor refused. Apart from `unavailable` so that the user is told this,
  // and not that, say, the database is down.
  validation_unavailable,
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

// TFA_TRY(lhs, expr): evaluates `expr` (a Result); on error returns the error from the
// enclosing function, otherwise assigns the value to `lhs` (which may be a declaration).
//   TFA_TRY(auto user, store.find_user(id));
#define TFA_CONCAT_INNER(a, b) a##b
#define TFA_CONCAT(a, b) TFA_CONCAT_INNER(a, b)
#define TFA_TRY(lhs, expr)                                                    \
  auto TFA_CONCAT(tfa_try_, __LINE__) = (expr);                               \
  if (!TFA_CONCAT(tfa_try_, __LINE__))                                        \
    return ::tl::unexpected(std::move(TFA_CONCAT(tfa_try_, __LINE__).error())); \
  lhs = std::move(*TFA_CONCAT(tfa_try_, __LINE__))

// TFA_CHECK(expr): for a Result<void>; returns its error from the enclosing function.
// The variable is named after the line, like TFA_TRY's, so that a TFA_CHECK inside a lambda
// given to another TFA_CHECK does not shadow the outer one's.
#define TFA_CHECK(expr)                                                                   \
  do {                                                                                    \
    auto TFA_CONCAT(tfa_check_, __LINE__) = (expr);                                       \
    if (!TFA_CONCAT(tfa_check_, __LINE__))                                                \
      return ::tl::unexpected(std::move(TFA_CONCAT(tfa_check_, __LINE__).error()));       \
  } while (false)
