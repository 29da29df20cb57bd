#pragma once
// The vocabulary of the HTTP layer: Beast's request and response with string bodies, what the
// server knows about the client, and the one signature every route has.
#include <cstddef>
#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>

namespace tfa::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

/// Who sent a request, as far as the server can tell.
/// The most of a User-Agent header that is kept (sessions and devices store this much).
inline constexpr std::size_t kMaxUserAgentBytes = 500;

struct ClientInfo {
  /// The peer's IP address ("127.0.0.1", "::1"). When the peer is the configured trusted
  /// proxy and the request carries a valid address in the proxy header, that address instead.
  std::string address = {};
  /// The User-Agent header as sent (may be empty or anything at all; never trust it), made
  /// valid UTF-8 and cut to kMaxUserAgentBytes.
  std::string user_agent = {};
  /// True only when the trusted proxy says the client used https (X-Forwarded-Proto). The
  /// server itself speaks plain HTTP.
  bool tls = false;
};

/// Turns a request into a response. Runs on an I/O thread: CPU-heavy work goes through a
/// BlockingPool. Expected not to throw; if it does, the client gets a generic 500 and the
/// exception is logged. The server sets the response's version, keep-alive and Content-Length.
using Handler = std::function<net::awaitable<Response>(Request&, const ClientInfo&)>;

/// A plain-text response ("text/plain; charset=utf-8") with the security headers, the
/// request's HTTP version and keep-alive, and its Content-Length set.
Response text_response(unsigned status, std::string body, const Request& request);

}  // namespace tfa::http
