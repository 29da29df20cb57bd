#include "http/session.hpp"

#include <array>
#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <spdlog/spdlog.h>

#include "core/utf8.hpp"
#include "http/access_log.hpp"
#include "http/security_headers.hpp"

namespace tfa::http::detail {
namespace {

/// The path and query of a target in absolute form ("http://host:port/path?query" gives
/// "/path?query", "http://host" gives "/"); nullopt for any other form.
std::optional<std::string> origin_form(std::string_view target) {
  std::size_t scheme = 0;
  if (beast::iequals(target.substr(0, 7), "http://")) {
    scheme = 7;
  } else if (beast::iequals(target.substr(0, 8), "https://")) {
    scheme = 8;
  } else {
    return std::nullopt;
  }
  const auto path = target.find_first_of("/?", scheme);
  if (path == std::string_view::npos) return std::string("/");
  if (target[path] == '?') return "/" + std::string(target.substr(path));
  return std::string(target.substr(path));
}

/// The target of the request line at the start of `buffer`; "" when there is no whole line of
/// the form "METHOD TARGET VERSION". For answering a request whose headers could not be parsed.
std::string request_line_target(const beast::flat_buffer& buffer) {
  const std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
  const auto end = data.find("\r\n");
  if (end == std::string_view::npos) return {};
  const std::string_view line = data.substr(0, end);
  const auto first = line.find(' ');
  const auto last = line.rfind(' ');
  if (first == std::string_view::npos || last <= first + 1) return {};
  return std::string(line.substr(first + 1, last - first - 1));
}

constexpr auto kTuple = net::as_tuple(net::use_awaitable);
using Clock = std::chrono::steady_clock;

/// An IPv4 client of an IPv6 socket shows up as ::ffff:a.b.c.d; it is a.b.c.d to everyone.
net::ip::address unmapped(const net::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  return address;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// The status for a request that could not be read, or nullopt when there is nobody to answer
/// (the client left, timed out, or the server is cutting the connection).
std::optional<unsigned> status_for(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == beast::error_code(bhttp::error::bad_method).category()) return 400;
  return std::nullopt;
}

std::string_view reason_text(unsigned status) {
  switch (status) {
    case 400: return "Bad request\n";
    case 413: return "Request body too large\n";
    case 431: return "Request header fields too large\n";
    default: return "Internal server error\n";
  }
}

/// Closes after letting the client read what was sent: shut down our side, then read and
/// discard what the client still sends (the rest of a refused request) for a moment. Closing
/// with unread data would make the kernel send a reset, and the client could lose the response.
net::awaitable<void> linger_close(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 8192> sink;
  std::size_t discarded = 0;
  while (discarded < 4 * 1024 * 1024) {
    auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), kTuple);
    if (ec) break;
    discarded += n;
  }
  stream.close();
}

/// The handler's response; a generic 500 when it throws.
net::awaitable<Response> call_handler(const Handler& handler, Request& request,
                                      const ClientInfo& client) {
  std::string what;
  try {
    co_return co_await handler(request, client);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "an exception of unknown type";
  }
  spdlog::error("handler for {} {} failed: {}", std::string(request.method_string()),
                std::string(request.target().substr(0, request.target().find('?'))), what);
  co_return text_response(500, std::string(reason_text(500)), request);
}

}  // namespace

ClientInfo client_info(const ServerState& state, const net::ip::address& peer,
                       const Request& request) {
  ClientInfo info;
  info.address = unmapped(peer).to_string();
  // Stored with sessions, trusted devices and audit rows: made valid UTF-8 (PostgreSQL
  // refuses anything else, and a refused audit row would undo what its transaction counts).
  info.user_agent = core::valid_utf8_prefix(request[bhttp::field::user_agent], kMaxUserAgentBytes);
  if (!state.trusted_proxy || unmapped(peer) != *state.trusted_proxy) return info;

  // The proxy appends the address it saw to whatever the client sent, so only the last entry
  // of the last header is its word; the entries before it are the client's claims.
  std::string_view forwarded;
  const auto [first, end] = request.equal_range(state.settings.proxy_header);
  for (auto field = first; field != end; ++field) forwarded = field->value();
  const auto comma = forwarded.rfind(',');
  const std::string last(trim(comma == std::string_view::npos ? forwarded
                                                              : forwarded.substr(comma + 1)));
  beast::error_code ec;
  const auto address = net::ip::make_address(last, ec);
  if (!ec) info.address = unmapped(address).to_string();
  info.tls = beast::iequals(trim(request["X-Forwarded-Proto"]), "https");
  return info;
}

net::awaitable<void> run_session(const ServerState& state, std::shared_ptr<Connection> connection) {
  const ServerSettings& settings = state.settings;
  beast::tcp_stream& stream = connection->stream;
  beast::error_code ec;
  const auto peer = stream.socket().remote_endpoint(ec).address();
  if (ec) co_return;

  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    // Idle: nothing of the next request has arrived. A new connection gets read_timeout for
    // its whole first request, a kept-alive one idle_timeout for the first byte.
    connection->idle = true;
    if (state.stopping) break;
    stream.expires_after(first ? settings.read_timeout : settings.idle_timeout);
    if (buffer.size() == 0) {
      auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
      if (read_ec) break;
      buffer.commit(n);
    }
    connection->idle = false;
    if (!first) stream.expires_after(settings.read_timeout);
    first = false;
    const auto started = Clock::now();

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(settings.header_limit));
    parser.body_limit(settings.body_limit);
    auto [header_ec, header_n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    ec = header_ec;
    if (!ec && !parser.is_done() && parser.get().version() >= 11 &&
        beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      // The client waits for this before sending the body (RFC 9110 section 10.1.1).
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [write_ec, unused] = co_await net::async_write(stream, net::buffer(kContinue), kTuple);
      ec = write_ec;
    }
    if (!ec && !parser.is_done()) {
      auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      ec = body_ec;
    }
    if (ec) {
      const auto status = status_for(ec);
      if (!status) break;
      // The request is unusable, and so is the rest of the stream: answer and close. What
      // could be read of it lets the answer match the path (JSON under /api/): the parser
      // holds the request line once it got past it (a bad header, a bad chunk, a body too
      // large); headers too large are never parsed, so their target is read off the buffer.
      Request partial = parser.release();
      if (partial.target().empty()) partial.target(request_line_target(buffer));
      if (auto origin = origin_form(partial.target())) partial.target(*origin);
      partial.keep_alive(false);
      Response response = settings.unreadable_request
                              ? settings.unreadable_request(partial, *status)
                              : text_response(*status, std::string(reason_text(*status)), partial);
      response.keep_alive(false);
      stream.expires_after(settings.read_timeout);
      auto [write_ec, written] = co_await bhttp::async_write(stream, response, kTuple);
      log_access({.client = unmapped(peer).to_string(), .method = "-", .target = "-",
                  .status = *status, .bytes = written, .duration = Clock::now() - started});
      if (!write_ec) co_await linger_close(stream);
      break;
    }

    Request request = parser.release();
    // A server must take a target in absolute form, "http://host/path" (RFC 9112, 3.2.2); the
    // routes know the path, so that is what the handlers see.
    if (auto origin = origin_form(request.target())) request.target(*origin);
    const ClientInfo client = client_info(state, peer, request);
    stream.expires_never();  // the handler's time is its own business
    Response response = co_await call_handler(state.handler, request, client);
    const bool keep_alive = request.keep_alive() && response.keep_alive() && !state.stopping;
    response.version(request.version());
    response.keep_alive(keep_alive);
    response.prepare_payload();
    // A response to HEAD has the headers of the full response but no body (RFC 9110 section
    // 9.3.2); sending one would be read as the start of the next response.
    if (request.method() == bhttp::verb::head) response.body().clear();
    stream.expires_after(settings.read_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, response, kTuple);
    log_access({.client = client.address, .method = request.method_string(),
                .target = request.target(), .status = response.result_int(), .bytes = written,
                .duration = Clock::now() - started, .user_agent = client.user_agent});
    if (write_ec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace tfa::http::detail
