#include "http/router.hpp"

#include <memory>
#include <stdexcept>

#include "http/form.hpp"

namespace tfa::http {
namespace {

Response default_error(const Request& request, unsigned status) {
  return text_response(status, status == 404 ? "Not found\n" : "Method not allowed\n", request);
}

}  // namespace

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

Handler Router::handler() const {
  return [table = std::make_shared<const Table>(table_)](Request& request,
                                                         const ClientInfo& client) {
    return dispatch(table, request, client);
  };
}

net::awaitable<Response> Router::dispatch(std::shared_ptr<const Table> table, Request& request,
                                          const ClientInfo& client) {
  const auto route = table->routes.find(query_path(request.target()));
  if (route == table->routes.end()) co_return table->error(request, 404);
  const auto& methods = route->second;
  const auto found = methods.find(request.method());
  if (found == methods.end()) {
    Response response = table->error(request, 405);
    std::string allow;
    for (const auto& [method, unused] : methods) {
      if (!allow.empty()) allow += ", ";
      allow += bhttp::to_string(method);
    }
    response.set(bhttp::field::allow, allow);
    co_return response;
  }
  co_return co_await found->second(request, client);
}

}  // namespace tfa::http
