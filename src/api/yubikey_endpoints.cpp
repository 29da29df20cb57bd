// YubiKeys through the API: registering one with an OTP it typed, and removing it. Like every
// change to 2FA, each needs a sign-in token (not an API key) and the password again.
#include "api/endpoints.hpp"

namespace tfa::api::endpoints {

Reply add_yubikey(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto confirmed = co_await confirm_owner(api, request, client);
  if (!confirmed) co_return std::move(confirmed.error());
  const storage::User user = confirmed->caller.user;
  auto otp = required_string(confirmed->body, "otp", request);
  if (!otp) co_return std::move(otp.error());
  auto label = optional_string(confirmed->body, "label", request);
  if (!label) co_return std::move(label.error());

  auto& throttle = api.services().throttle;
  const std::string key = auth::account_key(user.id, "enroll");  // shared with the console
  auto wait = throttle.retry_after(key);
  if (!wait) co_return server_error(request, wait.error());
  if (*wait) co_return throttled_response(**wait, request);
  const auth::Actor actor = actor_of(client);
  const std::string typed = *otp;
  const std::string name = label->value_or("");
  auto& yubikeys = api.services().yubikeys;
  // In remote mode this asks a validation server: off the I/O threads.
  auto added = co_await api.services().pool.run([&] { return yubikeys.add(user, typed, name, actor); });
  if (!added) co_return server_error(request, added.error());
  switch (added->outcome) {
    case auth::YubiKeyAdded::taken:
      co_return error_response(409, "This YubiKey is already registered to an account.", request);
    case auth::YubiKeyAdded::replayed:
    case auth::YubiKeyAdded::bad_otp:
      (void)throttle.failure(key, api.services().login.settings().code_when_signed_in);
      co_return error_response(400,
                               added->outcome == auth::YubiKeyAdded::replayed
                                   ? "That one-time password was used before. Touch your YubiKey again."
                                   : "That YubiKey one-time password was not accepted.",
                               request);
    case auth::YubiKeyAdded::added:
      break;
  }
  (void)throttle.success(key);
  auto factor = api.services().factors.find_factor(added->factor_id);
  if (!factor) co_return server_error(request, factor.error());
  if (!*factor) co_return server_error(request, {Errc::internal, "the factor just added cannot be found"});
  json::object body{{"factor_id", added->factor_id},
                    {"label", (*factor)->label},
                    {"public_id", (*factor)->public_id.value_or("")},
                    {"enabled", true}};
  if (added->first_factor) {
    // Turning two-factor on comes with the backup codes, as after TOTP enrollment.
    auto codes = api.services().backup_codes.generate(user, false, actor);
    if (!codes) co_return server_error(request, codes.error());
    json::array list;
    for (const auto& code : *codes) list.push_back(json::string(code));
    body["backup_codes"] = std::move(list);
  }
  co_return json_response(201, std::move(body), request);
}

Reply remove_yubikey(Api& api, http::Request& request, const http::ClientInfo& client) {
  // Who asks comes first (401, 403, then the password), as on every endpoint; then the id (404).
  auto confirmed = co_await confirm_owner(api, request, client);
  if (!confirmed) co_return std::move(confirmed.error());
  const auto id = path_id(request);
  if (!id) co_return error_response(404, "No such YubiKey.", request);
  auto removed = api.services().yubikeys.remove(confirmed->caller.user, *id, actor_of(client));
  if (!removed) {
    if (removed.error().code == Errc::not_found) co_return error_response(404, "No such YubiKey.", request);
    if (removed.error().code == Errc::conflict) co_return error_response(409, removed.error().message, request);
    co_return server_error(request, removed.error());
  }
  co_return no_content(request);
}

}  // namespace tfa::api::endpoints
