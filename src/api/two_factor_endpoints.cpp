// Turning TOTP on (start, then confirm with a code), regenerating backup codes and turning
// 2FA off: each needs a sign-in token (not an API key) and the password again.
#include "api/endpoints.hpp"
#include "core/base32.hpp"
#include "otp/key_uri.hpp"
#include "qr/qr_code.hpp"

namespace tfa::api::endpoints {
namespace {

json::array codes_json(const std::vector<std::string>& codes) {
  json::array out;
  for (const auto& code : codes) out.push_back(json::string(code));
  return out;
}

}  // namespace

Reply start_totp(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto confirmed = co_await confirm_owner(api, request, client);
  if (!confirmed) co_return std::move(confirmed.error());
  const auth::ApiCaller* caller = &confirmed->caller;

  auto enabled = api.services().login.has_second_factor(caller->user.id);
  if (!enabled) co_return server_error(request, enabled.error());
  if (*enabled) co_return error_response(409, "Two-factor authentication is already enabled.", request);
  auto started = api.services().enrollment.start(caller->user);
  if (!started) co_return server_error(request, started.error());
  auto uri = otp::build_key_uri(started->key);
  if (!uri) co_return server_error(request, uri.error());
  auto qr = qr::QrCode::encode(*uri);
  if (!qr) co_return server_error(request, qr.error());
  co_return json_response(
      201,
      json::object{{"factor_id", started->factor_id},
                   {"secret", base32_encode(started->key.secret.expose())},
                   {"otpauth_uri", *uri},
                   {"qr_svg", qr->to_svg(5, "QR code for " + started->key.issuer + ": " + started->key.account)}},
      request);
}

Reply confirm_totp(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  if (auto refused = forbid_api_keys(*caller, request)) co_return std::move(*refused);
  auto body = read_object(request);
  if (!body) co_return std::move(body.error());
  auto factor_id = required_integer(*body, "factor_id", request);
  if (!factor_id) co_return std::move(factor_id.error());
  auto code = required_string(*body, "code", request);
  if (!code) co_return std::move(code.error());

  auto& enrollment = api.services().enrollment;
  auto pending = enrollment.pending(caller->user, *factor_id);
  if (!pending) co_return server_error(request, pending.error());
  if (!*pending) {
    co_return error_response(404, "No pending enrollment with that factor_id; it may have expired. Start again.", request);
  }
  auto& throttle = api.services().throttle;
  const std::string key = auth::account_key(caller->user.id, "enroll");  // shared with the console
  auto wait = throttle.retry_after(key);
  if (!wait) co_return server_error(request, wait.error());
  if (*wait) co_return throttled_response(**wait, request);
  auto check = enrollment.confirm(caller->user, *factor_id, *code, actor_of(client));
  if (!check && check.error().code == Errc::conflict) {
    co_return error_response(409, "Two-factor authentication is already enabled.", request);
  }
  if (!check) co_return server_error(request, check.error());
  if (*check != auth::CodeCheck::accepted) {
    (void)throttle.failure(key, api.services().login.settings().code_when_signed_in);
    co_return error_response(400, "That code is not valid. Check that the date and time on your phone are correct.",
                             request);
  }
  (void)throttle.success(key);
  auto codes = api.services().backup_codes.generate(caller->user, false, actor_of(client));
  if (!codes) co_return server_error(request, codes.error());
  co_return json_response(200, json::object{{"enabled", true}, {"backup_codes", codes_json(*codes)}}, request);
}

Reply regenerate_backup_codes(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto confirmed = co_await confirm_owner(api, request, client);
  if (!confirmed) co_return std::move(confirmed.error());
  const auth::ApiCaller* caller = &confirmed->caller;
  auto enabled = api.services().login.has_second_factor(caller->user.id);
  if (!enabled) co_return server_error(request, enabled.error());
  if (!*enabled) co_return error_response(409, "Two-factor authentication is not enabled.", request);
  auto codes = api.services().backup_codes.generate(caller->user, true, actor_of(client));
  if (!codes) co_return server_error(request, codes.error());
  co_return json_response(200, json::object{{"backup_codes", codes_json(*codes)}}, request);
}

Reply disable_two_factor(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto confirmed = co_await confirm_owner(api, request, client);
  if (!confirmed) co_return std::move(confirmed.error());
  const auth::ApiCaller* caller = &confirmed->caller;
  auto code = required_string(confirmed->body, "code", request);
  if (!code) co_return std::move(code.error());
  auto enabled = api.services().login.has_second_factor(caller->user.id);
  if (!enabled) co_return server_error(request, enabled.error());
  if (!*enabled) co_return error_response(409, "Two-factor authentication is not enabled.", request);
  auto& disabler = api.services().disable_two_factor;
  const storage::User user = caller->user;
  const auth::Actor actor = actor_of(client);
  const std::string typed = *code;
  // A YubiKey OTP may be checked by a remote validation server: off the I/O threads.
  auto step = co_await api.services().pool.run([&] { return disabler.disable(user, typed, actor); });
  if (!step) co_return server_error(request, step.error());
  if (step->outcome == auth::CodeStep::throttled) co_return throttled_response(step->retry_after, request);
  if (step->outcome == auth::CodeStep::rejected) co_return error_response(401, kSecondFactorRequired, request);
  co_return json_response(200, json::object{{"enabled", false}}, request);
}

}  // namespace tfa::api::endpoints
