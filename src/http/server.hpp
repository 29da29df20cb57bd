#pragma once
// The HTTP/1.1 server: a listener and one coroutine per connection on an io_context run by a
// few threads. It reads requests within limits, hands each to one Handler, writes the
// response and keeps the connection alive when the client wants it. It knows no routes.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "http/types.hpp"

namespace tfa::http {

struct ServerSettings {
  std::string address = "127.0.0.1";  // an IPv4 or IPv6 literal ("::" for every interface)
  unsigned short port = 8080;          // 0: any free port, see Server::port()
  int threads = 2;                     // I/O threads
  std::size_t header_limit = 8 * 1024;  // request line and headers, bytes; more is a 431
  std::size_t body_limit = 64 * 1024;   // request body, bytes; more is a 413
  /// Time to receive a whole request once its first byte arrived (for a new connection: from
  /// the accept), and to write one response. A client that is slower is disconnected.
  std::chrono::seconds read_timeout{15};
  /// How long a kept-alive connection may wait for its next request.
  std::chrono::seconds idle_timeout{60};
  /// After stop(), how long requests in progress may take before their connections are cut.
  std::chrono::seconds shutdown_grace{10};
  /// "" trusts no proxy. Otherwise the IP address of a reverse proxy (nginx): for requests
  /// from that peer only, the client address comes from `proxy_header` (its last entry) and
  /// ClientInfo::tls from X-Forwarded-Proto. Anyone else can send those headers too, so they
  /// are ignored from any other peer.
  std::string trusted_proxy;
  std::string proxy_header = "X-Forwarded-For";
  /// Builds the response to a request that could not be read (400, 413, 431) from what was
  /// read of it (for a 413 the request line and headers, so e.g. the API can answer in JSON).
  /// Unset: plain text.
  std::function<Response(const Request& partial, unsigned status)> unreadable_request;
};

namespace detail {
struct ServerState;
}

class Server {
 public:
  /// Checks the settings and binds the listening socket now, so that the caller can report
  /// the port before run(). From here on SIGINT and SIGTERM belong to the server: one that
  /// arrives before run() makes run() shut down at once. Fails with Errc::invalid_argument for an address or trusted proxy
  /// that is not an IP literal or threads < 1, and with Errc::unavailable naming the address
  /// when the socket cannot be bound (port in use, address not local, no permission).
  static Result<std::unique_ptr<Server>> create(ServerSettings settings, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The bound port: the configured one, or the one the system chose for port 0.
  unsigned short port() const;

  /// Serves until SIGINT or SIGTERM arrives or stop() is called, then shuts down gracefully:
  /// no new connections; idle connections are closed; a request in progress gets its response
  /// (with Connection: close) unless shutdown_grace runs out first, then its connection is
  /// cut. Returns when every connection is closed. Call once, from one thread; it runs
  /// `threads` - 1 more threads itself.
  void run();

  /// Starts the shutdown described at run(). Thread-safe, may be called before run() or more
  /// than once; returns at once.
  void stop();

 private:
  explicit Server(std::unique_ptr<detail::ServerState> state);
  std::unique_ptr<detail::ServerState> state_;
};

/// "127.0.0.1:8080" or "[::1]:8080".
std::string format_endpoint(const std::string& address, unsigned short port);

}  // namespace tfa::http
