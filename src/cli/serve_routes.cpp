#include "cli/serve_routes.hpp"

#include "web/console.hpp"

namespace tfa::cli {

std::shared_ptr<void> register_routes(http::Router& router, app::Services& services,
                                      http::BlockingPool& pool) {
  // Liveness for load balancers and service managers. It checks nothing beyond "this process
  // answers HTTP", so a slow database does not get every instance restarted at once.
  router.add(http::bhttp::verb::get, "/healthz",
             [](http::Request& request, const http::ClientInfo&) -> http::net::awaitable<http::Response> {
               co_return http::text_response(200, "ok", request);
             });

  auto console = std::make_shared<web::Console>(
      web::ConsoleServices{*services.accounts, *services.sessions, *services.login,
                           *services.enrollment, *services.devices, *services.throttle,
                           *services.factors, pool, *services.backup_codes, *services.recovery,
                           *services.disable_two_factor, *services.audit},
      web::ConsoleSettings{services.config.signup, services.config.issuer});
  console->add_routes(router);
  return console;
}

}  // namespace tfa::cli
