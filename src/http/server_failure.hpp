#pragma once
// What the API and the console share when they answer a failure that is not the request's
// fault (a database that is locked or gone, a bug): the log line and the Retry-After.

#include <chrono>

#include "core/result.hpp"
#include "http/types.hpp"

namespace tfa::http {

/// Retry-After of a 503 for `Errc::unavailable` (the database is locked or cannot be reached):
/// about half of what tfa itself waits for a lock before it gives up (10 s).
inline constexpr std::chrono::seconds kRetryAfterUnavailable{5};

/// Writes the cause of a 5xx answer to the server's log with the request's method and path. The
/// query is left out: it is the client's, and may hold a token. The client is never told the
/// cause.
void log_server_failure(const Request& request, const Error& cause);

}  // namespace tfa::http
