#include "cli/serve_routes.hpp"

#include "api/api.hpp"
#include "web/console.hpp"
#include "yubico/validation_server.hpp"

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
                           *services.disable_two_factor, *services.audit, *services.yubikeys,
                           *services.password_changer, *services.reconfirmation, *services.signup},
      web::ConsoleSettings{services.config.signup, services.config.issuer, services.config.login.totp_digits});
  console->add_routes(router);

  auto api = std::make_shared<api::Api>(
      api::ApiServices{*services.accounts, *services.api_login, *services.api_tokens, *services.enrollment,
                       *services.backup_codes, *services.disable_two_factor, *services.devices,
                       *services.throttle, *services.factors, *services.database, pool, *services.yubikeys,
                       *services.reconfirmation},
      api::ApiSettings{services.config.issuer});
  api->add_routes(router);
  // tfa as a Yubico validation server, for the keys imported here, in either mode.
  auto validation = std::make_shared<yubico::ValidationServer>(*services.yubikey_store, *services.local_yubico,
                                                               *services.throttle, services.clock);
  validation->add_routes(router);
  // All live as long as the returned handle.
  return std::make_shared<std::tuple<std::shared_ptr<web::Console>, std::shared_ptr<api::Api>,
                                     std::shared_ptr<yubico::ValidationServer>>>(console, api, validation);
}

}  // namespace tfa::cli
