#include "web/console.hpp"

#include "http/security_headers.hpp"
#include "web/handlers.hpp"
#include "web/views.hpp"

namespace tfa::web {

void Console::add_routes(http::Router& router) {
  using http::bhttp::verb;
  using Page = http::net::awaitable<http::Response> (*)(Console&, http::Request&, const http::ClientInfo&);
  // The handler functions are coroutines; the lambda only forwards, so capturing `this` is safe
  // for as long as the Console lives (the server's lifetime).
  auto route = [this, &router](verb method, const char* path, Page page) {
    router.add(method, path, [this, page](http::Request& request, const http::ClientInfo& client) {
      return page(*this, request, client);
    });
  };
  route(verb::get, "/", handlers::home);
  route(verb::get, "/signup", handlers::signup_form);
  route(verb::post, "/signup", handlers::signup);
  route(verb::get, "/signup/confirm", handlers::signup_confirm_form);
  route(verb::post, "/signup/confirm", handlers::signup_confirm);
  route(verb::get, "/login", handlers::login_form);
  route(verb::post, "/login", handlers::login);
  route(verb::get, "/login/code", handlers::code_form);
  route(verb::post, "/login/code", handlers::code);
  route(verb::post, "/logout", handlers::logout);
  route(verb::get, "/profile/security", handlers::security);
  route(verb::get, "/profile/security/enable", handlers::confirm_password_form);
  route(verb::post, "/profile/security/enable", handlers::confirm_password);
  route(verb::get, "/profile/security/enroll", handlers::enroll_form);
  route(verb::post, "/profile/security/enroll", handlers::enroll);
  route(verb::get, "/profile/security/enabled", handlers::enabled);
  route(verb::post, "/profile/security/devices/forget", handlers::forget_device);
  route(verb::post, "/profile/security/devices/forget-all", handlers::forget_all_devices);
  route(verb::get, "/login/backup", handlers::backup_login_form);
  route(verb::post, "/login/backup", handlers::backup_login);
  route(verb::post, "/login/recover/send", handlers::send_recovery_mail);
  route(verb::get, "/login/recover", handlers::recover_form);
  route(verb::post, "/login/recover", handlers::recover);
  route(verb::get, "/profile/security/manage", handlers::manage);
  route(verb::post, "/profile/security/backup-codes", handlers::regenerate_backup_codes);
  route(verb::post, "/profile/security/disable", handlers::disable);
  route(verb::get, "/profile/security/yubikey", handlers::yubikey_form);
  route(verb::post, "/profile/security/yubikey", handlers::add_yubikey);
  route(verb::post, "/profile/security/yubikey/remove", handlers::remove_yubikey);
  route(verb::get, "/login/yubikey", handlers::yubikey_login_form);
  route(verb::get, "/profile/password", handlers::change_password_form);
  route(verb::post, "/profile/password", handlers::change_password);

  router.set_error_responder([](const http::Request& request, unsigned status) {
    ErrorView view;
    view.status = status;
    view.layout.title = status == 404 ? "Page not found" : "Method not allowed";
    view.heading = view.layout.title;
    view.message = status == 404 ? "There is no page at this address." : "This page does not accept that kind of request.";
    http::Response response{static_cast<http::bhttp::status>(status), request.version()};
    response.set(http::bhttp::field::content_type, "text/html; charset=utf-8");
    response.body() = render(view);
    http::add_security_headers(response);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
  });
  router.add(verb::get, "/static/console.js",
             [](http::Request& request, const http::ClientInfo&) -> http::net::awaitable<http::Response> {
               http::Response response{http::bhttp::status::ok, request.version()};
               response.set(http::bhttp::field::content_type, "text/javascript; charset=utf-8");
               response.set(http::bhttp::field::cache_control, "public, max-age=3600");
               response.body() = std::string(script());
               http::add_security_headers(response);
               response.keep_alive(request.keep_alive());
               response.prepare_payload();
               co_return response;
             });
  router.add(verb::get, "/static/style.css",
             [](http::Request& request, const http::ClientInfo&) -> http::net::awaitable<http::Response> {
               http::Response response{http::bhttp::status::ok, request.version()};
               response.set(http::bhttp::field::content_type, "text/css; charset=utf-8");
               response.set(http::bhttp::field::cache_control, "public, max-age=3600");
               response.body() = std::string(stylesheet());
               http::add_security_headers(response);
               response.keep_alive(request.keep_alive());
               response.prepare_payload();
               co_return response;
             });
}

}  // namespace tfa::web
