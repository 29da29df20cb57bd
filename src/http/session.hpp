#pragma once
// Internal to tfa_http: the state a Server shares with its connections, and the coroutine
// that serves one connection.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "http/server.hpp"

namespace tfa::http::detail {

using tcp = net::ip::tcp;

/// One accepted connection. The stream's executor is a strand of its own; `stream` and `idle`
/// are touched only on it.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  /// True while waiting for the first byte of the next request: a shutdown may close the
  /// connection then without losing anything.
  bool idle = true;
};

struct ServerState {
  ServerState(ServerSettings s, Handler h)
      : settings(std::move(s)), handler(std::move(h)), io(settings.threads),
        control(net::make_strand(io)), acceptor(control), grace_timer(control) {}

  const ServerSettings settings;
  const Handler handler;
  std::optional<net::ip::address> trusted_proxy;  // parsed settings.trusted_proxy
  unsigned short port = 0;

  net::io_context io;
  // The acceptor, the signals and the shutdown timer live on this strand.
  net::strand<net::io_context::executor_type> control;
  tcp::acceptor acceptor;
  std::optional<net::signal_set> signals;
  net::steady_timer grace_timer;

  std::atomic<bool> stopping{false};
  bool force = false;  // a second signal: stop waiting for busy connections (control strand)
  std::mutex mutex;  // guards the two members below
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_id = 0;
};

/// Serves requests on `connection` until the client leaves, a limit or timeout is hit, or the
/// server stops. Never throws for anything a client does.
net::awaitable<void> run_session(const ServerState& state, std::shared_ptr<Connection> connection);

/// What the handler learns about the client of `request` from `peer`: see ClientInfo.
ClientInfo client_info(const ServerState& state, const net::ip::address& peer,
                       const Request& request);

}  // namespace tfa::http::detail
