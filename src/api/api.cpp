#include "api/api.hpp"

#include <charconv>

#include <boost/beast/core/string.hpp>

#include "api/endpoints.hpp"
#include "http/server_failure.hpp"

namespace tfa::api {
namespace {

constexpr std::string_view kBearer = "Bearer ";

}  // namespace

void Api::add_routes(http::Router& router) {
  using http::bhttp::verb;
  using Endpoint = Reply (*)(Api&, http::Request&, const http::ClientInfo&);
  // The lambdas only forward to coroutines; `this` lives as long as the server.
  auto route = [this, &router](verb method, const char* path, Endpoint endpoint) {
    router.add(method, path, [this, endpoint](http::Request& request, const http::ClientInfo& client) {
      return endpoint(*this, request, client);
    });
  };
  route(verb::post, "/api/v1/auth/login", endpoints::login);
  route(verb::post, "/api/v1/auth/logout", endpoints::logout);
  route(verb::get, "/api/v1/me", endpoints::me);
  route(verb::post, "/api/v1/me/totp", endpoints::start_totp);
  route(verb::post, "/api/v1/me/totp/confirm", endpoints::confirm_totp);
  route(verb::post, "/api/v1/me/backup-codes", endpoints::regenerate_backup_codes);
  route(verb::post, "/api/v1/me/two-factor/disable", endpoints::disable_two_factor);
  route(verb::get, "/api/v1/me/devices", endpoints::devices);
  route(verb::delete_, "/api/v1/me/devices", endpoints::forget_all_devices);
  route(verb::delete_, "/api/v1/me/devices/{id}", endpoints::forget_device);
  route(verb::post, "/api/v1/me/yubikeys", endpoints::add_yubikey);
  route(verb::delete_, "/api/v1/me/yubikeys/{id}", endpoints::remove_yubikey);
  route(verb::get, "/api/v1/keys", endpoints::keys);
  route(verb::post, "/api/v1/keys", endpoints::create_key);
  route(verb::delete_, "/api/v1/keys/{id}", endpoints::revoke_key);
  route(verb::get, "/api/v1/openapi.json", endpoints::openapi);
  router.set_error_responder("/api/", [](const http::Request& request, unsigned status) {
    return error_response(status, status == 404 ? "No such endpoint." : "Method not allowed on this endpoint.",
                          request);
  });
}

http::Response unreadable_request(const http::Request& partial, unsigned status) {
  const std::string_view message = status == 413   ? "The request body is too large."
                                   : status == 431 ? "The request headers are too large."
                                                   : "The request could not be read.";
  if (partial.target().starts_with("/api/")) return error_response(status, message, partial);
  return http::text_response(status, std::string(message) + "\n", partial);
}

http::Response server_error(const http::Request& request, const Error& cause) {
  http::log_server_failure(request, cause);
  if (cause.code == Errc::validation_unavailable) {
    return error_response(503, "YubiKeys cannot be checked right now; try again in a few minutes.", request);
  }
  if (cause.code == Errc::unavailable) {
    auto response = error_response(503, "The service is briefly unavailable. Try again in a few seconds.", request);
    response.set(http::bhttp::field::retry_after, std::to_string(http::kRetryAfterUnavailable.count()));
    return response;
  }
  return error_response(500, "Something went wrong on our side. Try again later.", request);
}

std::optional<std::int64_t> path_id(const http::Request& request) {
  const std::string_view text = http::last_segment(request);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Checked<std::string_view> bearer_of(const http::Request& request) {
  const std::string_view header = request[http::bhttp::field::authorization];
  if (header.empty()) {
    return tl::unexpected(error_response(401, "Authentication required: send Authorization: Bearer TOKEN.", request));
  }
  // The scheme's name is case-insensitive (RFC 9110, 11.1); the token is not.
  if (!boost::beast::iequals(header.substr(0, kBearer.size()), kBearer)) {
    return tl::unexpected(error_response(401, "The Authorization header must be \"Bearer TOKEN\".", request));
  }
  return header.substr(kBearer.size());
}

Checked<auth::ApiCaller> caller_or_401(const Result<std::optional<auth::ApiCaller>>& caller,
                                       const http::Request& request) {
  if (!caller) return tl::unexpected(server_error(request, caller.error()));
  if (!*caller) return tl::unexpected(error_response(401, "The token is not valid or has expired.", request));
  return **caller;
}

Checked<auth::ApiCaller> authenticate(Api& api, const http::Request& request, const http::ClientInfo& client) {
  auto bearer = bearer_of(request);
  if (!bearer) return tl::unexpected(std::move(bearer.error()));
  return caller_or_401(api.services().tokens.authenticate(*bearer, actor_of(client)), request);
}

std::optional<http::Response> forbid_api_keys(const auth::ApiCaller& caller, const http::Request& request) {
  if (!caller.by_key()) return std::nullopt;
  return error_response(403,
                        "API keys cannot manage two-factor authentication or API keys. Sign in with "
                        "your password and code.",
                        request);
}

http::net::awaitable<std::optional<http::Response>> reconfirm_password(Api& api, const storage::User& user,
                                                                       const std::string& password,
                                                                       const auth::Actor& actor,
                                                                       const http::Request& request) {
  // The same account limit as the console's re-confirmation: one budget for both.
  auto& reconfirmation = api.services().reconfirmation;
  // By reference only: GCC 12 mis-destroys strings captured by value in a lambda that
  // crosses a co_await (the frame's locals outlive the call, so references are safe).
  auto checked = co_await api.services().pool.run([&reconfirmation, &user, &password, &actor] {
    return reconfirmation.confirm(user, password, actor);
  });
  if (!checked) co_return server_error(request, checked.error());
  if (checked->outcome == auth::Reconfirmation::throttled) co_return throttled_response(checked->retry_after, request);
  if (checked->outcome == auth::Reconfirmation::wrong_password) {
    co_return error_response(401, "Incorrect password.", request);
  }
  co_return std::nullopt;
}

http::net::awaitable<Checked<ConfirmedRequest>> confirm_owner(Api& api, const http::Request& request,
                                                              const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return tl::unexpected(std::move(caller.error()));
  if (auto refused = forbid_api_keys(*caller, request)) co_return tl::unexpected(std::move(*refused));
  auto body = read_object(request);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  auto password = required_string(*body, "password", request);
  if (!password) co_return tl::unexpected(std::move(password.error()));
  // GCC 12 miscompiles a co_await inside an if's condition: await first, then test.
  const auth::Actor actor = actor_of(client);
  auto refused = co_await reconfirm_password(api, caller->user, *password, actor, request);
  if (refused) co_return tl::unexpected(std::move(*refused));
  co_return ConfirmedRequest{std::move(*caller), std::move(*body)};
}

http::net::awaitable<Checked<std::optional<http::Response>>> check_second_factor(
    Api& api, const storage::User& user, const std::optional<std::string>& code, const http::Request& request,
    const http::ClientInfo& client) {
  using Answer = Checked<std::optional<http::Response>>;
  auto& login = api.services().login;
  auto two_factor = login.has_second_factor(user.id);
  if (!two_factor) co_return Answer(tl::unexpected(server_error(request, two_factor.error())));
  if (!*two_factor) co_return Answer(std::optional<http::Response>());
  if (!code || code->empty()) co_return Answer(std::optional(error_response(401, kSecondFactorRequired, request)));
  const auth::Actor actor = actor_of(client);
  auto step = co_await api.services().pool.run([&] { return login.submit_code(user, *code, actor); });
  if (!step) co_return Answer(tl::unexpected(server_error(request, step.error())));
  if (step->outcome == auth::CodeStep::throttled) {
    co_return Answer(std::optional(throttled_response(step->retry_after, request)));
  }
  if (step->outcome == auth::CodeStep::rejected) {
    co_return Answer(std::optional(error_response(401, kSecondFactorRequired, request)));
  }
  co_return Answer(std::optional<http::Response>());
}

}  // namespace tfa::api
