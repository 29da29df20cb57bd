// POST /api/v1/auth/login and /api/v1/auth/logout.
#include "api/endpoints.hpp"

namespace tfa::api::endpoints {

Reply login(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto body = read_object(request);
  if (!body) co_return std::move(body.error());
  auto username = required_string(*body, "username", request);
  if (!username) co_return std::move(username.error());
  auto password = required_string(*body, "password", request);
  if (!password) co_return std::move(password.error());
  auto otp = optional_string(*body, "otp", request);
  if (!otp) co_return std::move(otp.error());

  const auth::Actor actor = actor_of(client);
  std::optional<std::string_view> code;
  if (*otp && !(*otp)->empty()) code = **otp;
  auto& flow = api.services().login;
  auto& tokens = api.services().tokens;
  // The token is issued in the sign-in's own transaction: a sign-in that cannot keep its
  // token leaves its code unused. The flow tries "password + appended code" itself when no
  // code is given (seed 002).
  std::optional<auth::IssuedToken> issued;
  auto step = co_await api.services().pool.run([&flow, &tokens, &issued, &username, &password, code, &actor] {
    return flow.submit_password(*username, *password, code, std::nullopt, actor,
                                [&](const storage::User& user) -> Result<void> {
                                  TFA_TRY(issued, tokens.sign_in(user, actor));
                                  return {};
                                });
  });
  // Among others, a YubiKey OTP whose validation server does not answer: neither accepted nor refused.
  if (!step) co_return server_error(request, step.error());
  switch (step->outcome) {
    case auth::PasswordOutcome::throttled:
      co_return throttled_response(step->retry_after, request);
    case auth::PasswordOutcome::rejected:
      co_return error_response(401, "Incorrect username or password.", request);
    case auth::PasswordOutcome::needs_code:
      co_return error_response(401, kSecondFactorRequired, request);
    case auth::PasswordOutcome::signed_in:
      break;
  }
  if (!issued) co_return server_error(request, {Errc::internal, "a sign-in succeeded without a token"});
  co_return json_response(200,
                          json::object{{"token", issued->secret},
                                       {"expires_at", time_or_null(issued->record.expires_at)}},
                          request);
}

Reply logout(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  auto signed_out = api.services().tokens.sign_out(*caller, actor_of(client));
  if (!signed_out) co_return server_error(request, signed_out.error());
  co_return no_content(request);
}

}  // namespace tfa::api::endpoints
