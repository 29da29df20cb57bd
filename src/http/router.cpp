#include "http/router.hpp"

#include <memory>
#include <stdexcept>

#include "http/form.hpp"

namespace tfa::http {
namespace {

Response default_error(const Request& request, unsigned status) {
  return text_response(status, status == 404 ? "Not found\n" : "Method not allowed\n", request);
}

constexpr std::string_view kIdSegment = "{id}";

/// "/api/v1/keys/7" -> "/api/v1/keys/{id}"; "" when the path has no last segment to match.
std::string id_pattern_for(std::string_view path) {
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == path.size()) return {};
  return std::string(path.substr(0, slash + 1)) + std::string(kIdSegment);
}

}  // namespace

std::string_view last_segment(const Request& request) {
  const std::string_view path = query_path(request.target());
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

const ErrorResponder& Router::Table::error_for(std::string_view path) const {
  const ErrorResponder* best = &error;
  std::size_t best_length = 0;
  for (const auto& [prefix, responder] : error_by_prefix) {
    if (path.starts_with(prefix) && prefix.size() >= best_length) {
      best = &responder;
      best_length = prefix.size();
    }
  }
  return *best;
}

Router::Router() { table_.error = default_error; }

void Router::add(bhttp::verb method, std::string path, Handler handler) {
  if (path.empty() || path.front() != '/' || path.find('?') != std::string::npos) {
    throw std::invalid_argument("route path must start with '/' and have no query: " + path);
  }
  if (method == bhttp::verb::unknown) throw std::invalid_argument("route without a method: " + path);
  auto& methods = table_.routes[path];
  if (!methods.emplace(method, std::move(handler)).second) {
    throw std::logic_error("route added twice: " + std::string(bhttp::to_string(method)) + " " +
                           path);
  }
}

void Router::set_error_responder(ErrorResponder responder) { table_.error = std::move(responder); }

void Router::set_error_responder(std::string prefix, ErrorResponder responder) {
  table_.error_by_prefix[std::move(prefix)] = std::move(responder);
}

Handler Router::handler() const {
  return [table = std::make_shared<const Table>(table_)](Request& request,
                                                         const ClientInfo& client) {
    return dispatch(table, request, client);
  };
}

net::awaitable<Response> Router::dispatch(std::shared_ptr<const Table> table, Request& request,
                                          const ClientInfo& client) {
  const std::string_view path = query_path(request.target());
  auto route = table->routes.find(path);
  if (route == table->routes.end()) {
    const std::string pattern = id_pattern_for(path);
    if (!pattern.empty()) route = table->routes.find(pattern);
  }
  if (route == table->routes.end()) co_return table->error_for(path)(request, 404);
  const auto& methods = route->second;
  auto found = methods.find(request.method());
  // HEAD is GET without the body (RFC 9110, 9.3.2), wherever GET is served; the session drops
  // the body.
  if (found == methods.end() && request.method() == bhttp::verb::head) found = methods.find(bhttp::verb::get);
  if (found == methods.end()) {
    Response response = table->error_for(path)(request, 405);
    std::string allow;
    for (const auto& [method, unused] : methods) {
      if (!allow.empty()) allow += ", ";
      allow += bhttp::to_string(method);
      if (method == bhttp::verb::get && !methods.contains(bhttp::verb::head)) allow += ", HEAD";
    }
    response.set(bhttp::field::allow, allow);
    co_return response;
  }
  co_return co_await found->second(request, client);
}

}  // namespace tfa::http
