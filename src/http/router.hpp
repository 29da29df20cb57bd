#pragma once
// Dispatch by method and exact path. The path is the request target up to '?', compared
// byte for byte (no percent-decoding, no trailing-slash folding), so "/login" and "/login/"
// are different routes and a query string never affects routing. One pattern exists: a path
// whose last segment is "{id}" ("/api/v1/keys/{id}") answers any non-empty last segment
// without '/' when no exact route does; the handler reads the segment with last_segment().
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "http/types.hpp"

namespace tfa::http {

/// Builds the response for a request no route answers: status 404 (unknown path) or 405
/// (known path, other method). The router adds the Allow header to a 405 afterwards.
using ErrorResponder = std::function<Response(const Request&, unsigned status)>;

class Router {
 public:
  Router();

  /// Routes `method` on `path` to `handler`. Throws std::invalid_argument when the path does
  /// not start with '/' or contains '?' or the method is verb::unknown, and std::logic_error
  /// when the pair is already routed: mistakes in the server's own code, found at start-up.
  void add(bhttp::verb method, std::string path, Handler handler);

  /// Replaces the default plain-text 404/405 responses, e.g. with HTML pages.
  void set_error_responder(ErrorResponder responder);
  /// The 404/405 responses for paths that start with `prefix` (e.g. JSON under "/api/"); the
  /// longest matching prefix wins over the responder above.
  void set_error_responder(std::string prefix, ErrorResponder responder);

  /// A Handler that dispatches to the routes added so far. It holds its own copy of the
  /// table: later add() calls do not affect it, and the Router may be destroyed first.
  /// Unknown methods (verb::unknown) are a 405 on a known path, like any other method.
  Handler handler() const;

 private:
  struct Table {
    std::map<std::string, std::map<bhttp::verb, Handler>, std::less<>> routes;
    ErrorResponder error;
    std::map<std::string, ErrorResponder, std::less<>> error_by_prefix;
    const ErrorResponder& error_for(std::string_view path) const;
  };
  // A coroutine with the table as a parameter, so the frame keeps the table alive by itself.
  static net::awaitable<Response> dispatch(std::shared_ptr<const Table> table, Request& request,
                                           const ClientInfo& client);
  Table table_;
};

/// The request path's last segment ("7" for "/api/v1/keys/7"), for routes ending in "{id}".
std::string_view last_segment(const Request& request);

}  // namespace tfa::http
