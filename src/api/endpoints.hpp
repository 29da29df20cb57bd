#pragma once
// The API's request handlers, one function per route, and what they share: the caller behind
// a bearer token, and the password and code checks before sensitive changes.
#include <optional>

#include "api/api.hpp"
#include "api/json_io.hpp"
#include "http/types.hpp"

namespace tfa::api {

using Reply = http::net::awaitable<http::Response>;
/// A value, or the error response to send instead.
template <class T>
using Checked = tl::expected<T, http::Response>;

inline auth::Actor actor_of(const http::ClientInfo& client) { return {client.address, client.user_agent}; }

/// The caller named by "Authorization: Bearer TOKEN"; a 401 when the header is missing or the
/// token is unknown, expired or revoked, or its account disabled.
Checked<auth::ApiCaller> authenticate(Api& api, const http::Request& request, const http::ClientInfo& client);
/// authenticate() in parts, for an endpoint that reads more in the same transaction: the
/// token from the Authorization header (401 when missing or malformed), and the answer for
/// what ApiTokens::identify found (500 on a storage error, 401 for no caller).
Checked<std::string_view> bearer_of(const http::Request& request);
Checked<auth::ApiCaller> caller_or_401(const Result<std::optional<auth::ApiCaller>>& caller,
                                       const http::Request& request);
/// A 403 unless the caller signed in with password and code (not an API key): what managing
/// 2FA and creating keys require.
std::optional<http::Response> forbid_api_keys(const auth::ApiCaller& caller, const http::Request& request);
/// Checks the caller's password again (auth::PasswordReconfirmation: throttled per account,
/// refusals audited): nullopt when it is right, else the 401 or 429 to send. Runs Argon2id on
/// the pool.
http::net::awaitable<std::optional<http::Response>> reconfirm_password(Api& api, const storage::User& user,
                                                                       const std::string& password,
                                                                       const auth::Actor& actor,
                                                                       const http::Request& request);
/// Checks a current code, backup code or YubiKey OTP of a user with 2FA on, as at sign-in:
/// nullopt when accepted (or when the user has no second factor and `code` is absent), else
/// 401, 429 or 503. The check runs on the pool: a YubiKey may be checked by a remote server.
http::net::awaitable<Checked<std::optional<http::Response>>> check_second_factor(
    Api& api, const storage::User& user, const std::optional<std::string>& code, const http::Request& request,
    const http::ClientInfo& client);
/// A request to change 2FA or API keys, past its common checks: a sign-in token (not an API
/// key), a JSON object body, and the body's "password" confirmed again.
struct ConfirmedRequest {
  auth::ApiCaller caller;
  json::object body;
};
/// Those checks in that order; the first failure is the response to send.
http::net::awaitable<Checked<ConfirmedRequest>> confirm_owner(Api& api, const http::Request& request,
                                                              const http::ClientInfo& client);
/// The answer to a failure that is not the request's fault; the cause goes to the server's log,
/// not to the client. A YubiKey validation server that gives no trustworthy answer is a 503
/// that says so; a database that is locked or cannot be reached (`Errc::unavailable`) a 503
/// with Retry-After, since trying again soon is the right thing for a client to do; anything
/// else a 500.
http::Response server_error(const http::Request& request, const Error& cause);
/// The positive integer in the path's last segment ("/api/v1/keys/7"), or nullopt.
std::optional<std::int64_t> path_id(const http::Request& request);

namespace endpoints {
Reply login(Api&, http::Request&, const http::ClientInfo&);
Reply logout(Api&, http::Request&, const http::ClientInfo&);
Reply me(Api&, http::Request&, const http::ClientInfo&);
Reply start_totp(Api&, http::Request&, const http::ClientInfo&);
Reply confirm_totp(Api&, http::Request&, const http::ClientInfo&);
Reply regenerate_backup_codes(Api&, http::Request&, const http::ClientInfo&);
Reply disable_two_factor(Api&, http::Request&, const http::ClientInfo&);
Reply devices(Api&, http::Request&, const http::ClientInfo&);
Reply forget_device(Api&, http::Request&, const http::ClientInfo&);
Reply forget_all_devices(Api&, http::Request&, const http::ClientInfo&);
Reply create_key(Api&, http::Request&, const http::ClientInfo&);
Reply keys(Api&, http::Request&, const http::ClientInfo&);
Reply revoke_key(Api&, http::Request&, const http::ClientInfo&);
Reply add_yubikey(Api&, http::Request&, const http::ClientInfo&);
Reply remove_yubikey(Api&, http::Request&, const http::ClientInfo&);
Reply openapi(Api&, http::Request&, const http::ClientInfo&);
}  // namespace endpoints

}  // namespace tfa::api
