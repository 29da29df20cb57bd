#include "http/server.hpp"

#include <csignal>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "core/thread_name.hpp"
#include "http/session.hpp"

namespace tfa::http {
namespace {

using detail::Connection;
using detail::ServerState;
using detail::tcp;

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

void log_exception(const char* what, std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", what, e.what());
  } catch (...) {
    spdlog::error("{}: unknown exception", what);
  }
}

/// Every connection, each on its own strand.
std::vector<std::shared_ptr<Connection>> snapshot(ServerState& state) {
  std::lock_guard lock(state.mutex);
  std::vector<std::shared_ptr<Connection>> all;
  for (const auto& [id, connection] : state.connections) all.push_back(connection);
  return all;
}

bool no_connections(ServerState& state) {
  std::lock_guard lock(state.mutex);
  return state.connections.empty();
}

void start_session(ServerState& state, tcp::socket socket) {
  auto connection = std::make_shared<Connection>(std::move(socket));
  std::uint64_t id;
  {
    std::lock_guard lock(state.mutex);
    id = state.next_id++;
    state.connections.emplace(id, connection);
  }
  auto executor = connection->stream.get_executor();
  net::co_spawn(executor, detail::run_session(state, std::move(connection)),
                [&state, id](std::exception_ptr error) {
                  log_exception("connection failed", error);
                  std::lock_guard lock(state.mutex);
                  state.connections.erase(id);
                  // The shutdown waits on the grace timer for the last connection to go.
                  if (state.stopping && state.connections.empty()) {
                    net::post(state.control, [&state] { state.grace_timer.cancel(); });
                  }
                });
}

net::awaitable<void> listen(ServerState& state) {
  for (;;) {
    auto [ec, socket] = co_await state.acceptor.async_accept(net::make_strand(state.io), kTuple);
    if (state.stopping || !state.acceptor.is_open()) co_return;
    if (ec) {
      // Out of file descriptors and the like: log, breathe, and keep serving the others.
      spdlog::warn("accept failed: {}", ec.message());
      net::steady_timer pause(state.control, std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    start_session(state, std::move(socket));
  }
}

net::awaitable<void> shut_down(ServerState& state);

/// Starts shut_down() unless it was started before. Any thread.
void begin_shutdown(ServerState& state) {
  if (state.stopping.exchange(true)) return;
  net::co_spawn(state.control, shut_down(state),
                [](std::exception_ptr e) { log_exception("shutdown failed", e); });
}

/// Waits for the last connection to end, or for `deadline`, or for a second signal.
net::awaitable<void> wait_for_connections(ServerState& state,
                                          std::chrono::steady_clock::time_point deadline) {
  // The grace timer is cancelled when the last connection ends (start_session) or a second
  // signal arrives (on_signal). Neither can be missed: they run on this strand too, and each
  // wait starts in the same step as the check before it.
  while (!no_connections(state) && !state.force && std::chrono::steady_clock::now() < deadline) {
    state.grace_timer.expires_at(deadline);
    co_await state.grace_timer.async_wait(kTuple);
  }
}

/// Runs on the control strand once stop() was called.
net::awaitable<void> shut_down(ServerState& state) {
  beast::error_code ignored;
  state.acceptor.close(ignored);
  // Idle connections close now; busy ones see `stopping` when their response is written.
  for (const auto& connection : snapshot(state)) {
    net::post(connection->stream.get_executor(), [connection] {
      if (connection->idle) connection->stream.cancel();
    });
  }
  co_await wait_for_connections(state,
                                std::chrono::steady_clock::now() + state.settings.shutdown_grace);
  if (!no_connections(state)) {
    spdlog::warn("closing the connections still busy");
    for (const auto& connection : snapshot(state)) {
      net::post(connection->stream.get_executor(), [connection] { connection->stream.close(); });
    }
    // A handler that never returns would keep run() from returning: give the connections a
    // moment to unwind, then stop the loop regardless.
    co_await wait_for_connections(state, std::chrono::steady_clock::now() + std::chrono::seconds(1));
    if (!no_connections(state)) {
      spdlog::error("connections still busy after shutdown; stopping anyway");
      state.io.stop();
    }
  }
  // The last pending operation: with it gone, run() returns.
  if (state.signals) state.signals->cancel(ignored);
}

/// SIGINT or SIGTERM: the first starts the graceful shutdown, a second one cuts it short.
void on_signal(ServerState& state, const beast::error_code& ec, int signal) {
  if (ec) return;
  // Waiting again first: shut_down() may run to its end inside begin_shutdown() below, and
  // its cancel() must find this wait to cancel, or run() would never return.
  state.signals->async_wait(
      [&state](const beast::error_code& e, int s) { on_signal(state, e, s); });
  const char* name = signal == SIGINT ? "SIGINT" : "SIGTERM";
  if (!state.stopping) {
    spdlog::info("received {}; shutting down", name);
    begin_shutdown(state);
  } else if (!state.force) {
    spdlog::info("received {} again; closing every connection now", name);
    state.force = true;
    state.grace_timer.cancel();
  }
}

}  // namespace

std::string format_endpoint(const std::string& address, unsigned short port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

Result<std::unique_ptr<Server>> Server::create(ServerSettings settings, Handler handler) {
  if (settings.threads < 1) return fail(Errc::invalid_argument, "server threads must be at least 1");
  beast::error_code ec;
  const auto address = net::ip::make_address(settings.address, ec);
  if (ec) {
    return fail(Errc::invalid_argument,
                "listen address \"" + settings.address + "\" is not an IP address");
  }
  std::optional<net::ip::address> proxy;
  if (!settings.trusted_proxy.empty()) {
    proxy = net::ip::make_address(settings.trusted_proxy, ec);
    if (ec) {
      return fail(Errc::invalid_argument,
                  "trusted proxy \"" + settings.trusted_proxy + "\" is not an IP address");
    }
  }
  const std::string where = format_endpoint(settings.address, settings.port);
  auto state = std::make_unique<ServerState>(std::move(settings), std::move(handler));
  state->trusted_proxy = proxy;

  const tcp::endpoint endpoint(address, state->settings.port);
  auto& acceptor = state->acceptor;
  auto failed = [&where](const char* step, const beast::error_code& error) {
    return fail(Errc::unavailable, "cannot listen on " + where + ": " + step + ": " + error.message());
  };
  if (acceptor.open(endpoint.protocol(), ec); ec) return failed("open", ec);
  // Lets a restarted server bind while old connections sit in TIME_WAIT; it does not let two
  // servers share a port on Linux.
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) return failed("option", ec);
  if (acceptor.bind(endpoint, ec); ec) return failed("bind", ec);
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return failed("listen", ec);
  state->port = acceptor.local_endpoint(ec).port();
  if (ec) return failed("local address", ec);
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

Server::Server(std::unique_ptr<detail::ServerState> state) : state_(std::move(state)) {
  // Caught from now on, not only in run(): a caller announces the port between create() and
  // run(), and a signal sent in reply to that must not kill the process. It waits in the
  // signal set until run() starts the loop.
  state_->signals.emplace(state_->control, SIGINT, SIGTERM);
  state_->signals->async_wait([&state = *state_](const beast::error_code& ec, int signal) {
    on_signal(state, ec, signal);
  });
}

Server::~Server() = default;

unsigned short Server::port() const { return state_->port; }

void Server::run() {
  ServerState& state = *state_;
  net::co_spawn(state.control, listen(state),
                [](std::exception_ptr e) { log_exception("listener failed", e); });

  std::vector<std::thread> threads;
  for (int i = 1; i < state.settings.threads; ++i) {
    threads.emplace_back([&state] {
      core::name_this_thread("tfa-io");
      state.io.run();
    });
  }
  state.io.run();
  for (auto& thread : threads) thread.join();
}

void Server::stop() { begin_shutdown(*state_); }

}  // namespace tfa::http
