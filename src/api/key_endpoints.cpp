// API keys: created with the password and a current code, listed with their last use,
// revoked by id.
#include "api/endpoints.hpp"

namespace tfa::api::endpoints {
namespace {

json::object key_json(const storage::ApiToken& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"created_at", format_time(key.created_at)},
          {"expires_at", time_or_null(key.expires_at)},
          {"last_used_at", time_or_null(key.last_used_at)}};
}

}  // namespace

Reply create_key(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto confirmed = co_await confirm_owner(api, request, client);
  if (!confirmed) co_return std::move(confirmed.error());
  const auth::ApiCaller* caller = &confirmed->caller;
  const json::object* body = &confirmed->body;
  auto name = required_string(*body, "name", request);
  if (!name) co_return std::move(name.error());
  auto otp = optional_string(*body, "otp", request);
  if (!otp) co_return std::move(otp.error());
  auto expires_text = optional_string(*body, "expires_at", request);
  if (!expires_text) co_return std::move(expires_text.error());
  std::optional<storage::Time> expires_at;
  if (*expires_text) {
    expires_at = parse_time(**expires_text);
    if (!expires_at) co_return error_response(400, "\"expires_at\" must be a time like 2027-01-31T00:00:00Z.", request);
  }
  // Bad input is refused before the code is checked: a refused request must not use it up.
  auto new_key = api.services().tokens.check_new_key(*name, expires_at);
  if (!new_key) co_return error_response(400, new_key.error().message + ".", request);
  auto second = co_await check_second_factor(api, caller->user, *otp, request, client);
  if (!second) co_return std::move(second.error());
  if (*second) co_return std::move(**second);

  auto created = api.services().tokens.create_key(caller->user, *new_key, actor_of(client));
  if (!created) co_return server_error(request, created.error());
  json::object out = key_json(created->record);
  out["key"] = created->secret;
  co_return json_response(201, out, request);
}

Reply keys(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  auto keys = api.services().tokens.keys(caller->user.id);
  if (!keys) co_return server_error(request, keys.error());
  json::array out;
  for (const auto& key : *keys) out.push_back(key_json(key));
  co_return json_response(200, json::object{{"keys", std::move(out)}}, request);
}

Reply revoke_key(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  // A key may revoke itself (a script retiring its own key) but no other.
  const auto id = path_id(request);
  if (caller->by_key() && id != caller->token.id) {
    co_return std::move(*forbid_api_keys(*caller, request));
  }
  if (!id) co_return error_response(404, "No API key with that id.", request);
  auto revoked = api.services().tokens.revoke_key(caller->user, *id, actor_of(client));
  if (!revoked) {
    if (revoked.error().code == Errc::not_found) co_return error_response(404, "No API key with that id.", request);
    co_return server_error(request, revoked.error());
  }
  co_return no_content(request);
}

}  // namespace tfa::api::endpoints
