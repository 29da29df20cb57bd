// GET /api/v1/me and the trusted devices: what the caller's account looks like.
#include "api/endpoints.hpp"

namespace tfa::api::endpoints {
namespace {

json::object device_json(const storage::TrustedDevice& device) {
  return {{"id", device.id},
          {"user_agent", device.user_agent},
          {"created_at", format_time(device.created_at)},
          {"last_seen_at", format_time(device.last_seen_at)},
          {"expires_at", format_time(device.expires_at)}};
}

json::array devices_json(const std::vector<storage::TrustedDevice>& devices) {
  json::array out;
  for (const auto& device : devices) out.push_back(device_json(device));
  return out;
}

}  // namespace

Reply me(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto bearer = bearer_of(request);
  if (!bearer) co_return std::move(bearer.error());
  auto& services = api.services();
  Result<std::optional<auth::ApiCaller>> identified = std::optional<auth::ApiCaller>();
  Result<std::vector<storage::Factor>> factors = std::vector<storage::Factor>();
  Result<std::int64_t> codes_left = 0;
  Result<std::vector<storage::TrustedDevice>> devices = std::vector<storage::TrustedDevice>();
  // The token, the account and the three lists: one read transaction.
  const auto read = services.transactions.reading([&]() -> Result<void> {
    identified = services.tokens.identify(*bearer);
    if (!identified || !*identified) return {};
    const std::int64_t user_id = (*identified)->user.id;
    factors = services.factors.factor_list_of(user_id);
    codes_left = services.backup_codes.remaining(user_id);
    devices = services.devices.list(user_id);
    return {};
  });
  if (!read) co_return server_error(request, read.error());
  auto caller = caller_or_401(identified, request);
  if (!caller) co_return std::move(caller.error());
  if (!factors) co_return server_error(request, factors.error());
  if (!codes_left) co_return server_error(request, codes_left.error());
  if (!devices) co_return server_error(request, devices.error());
  auto recorded = services.tokens.record_use(*caller, actor_of(client));
  if (!recorded) co_return server_error(request, recorded.error());
  const auto& user = caller->user;

  json::array confirmed;
  for (const auto& factor : *factors) {
    if (factor.status != storage::FactorStatus::confirmed) continue;
    json::object entry{{"id", factor.id},
                       {"type", storage::to_string(factor.kind)},
                       {"label", factor.label},
                       {"created_at", format_time(factor.confirmed_at.value_or(factor.created_at))}};
    if (factor.kind == storage::FactorKind::yubico) entry["public_id"] = factor.public_id.value_or("");
    confirmed.push_back(std::move(entry));
  }
  const bool enabled = !confirmed.empty();
  json::object two_factor{{"enabled", enabled},
                          {"factors", std::move(confirmed)},
                          {"backup_codes_left", *codes_left},
                          {"trusted_devices", devices_json(*devices)}};
  json::object token{{"kind", caller->by_key() ? "api_key" : "session"},
                     {"expires_at", time_or_null(caller->token.expires_at)}};
  if (caller->by_key()) token["name"] = caller->token.name;
  co_return json_response(200,
                          json::object{{"username", user.name},
                                       {"email", user.email},
                                       {"two_factor", std::move(two_factor)},
                                       {"token", std::move(token)}},
                          request);
}

Reply devices(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  auto devices = api.services().devices.list(caller->user.id);
  if (!devices) co_return server_error(request, devices.error());
  co_return json_response(200, json::object{{"devices", devices_json(*devices)}}, request);
}

Reply forget_device(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  if (auto refused = forbid_api_keys(*caller, request)) co_return std::move(*refused);
  const auto id = path_id(request);
  if (!id) co_return error_response(404, "No trusted device with that id.", request);
  auto forgotten = api.services().devices.forget(caller->user, *id, actor_of(client));
  if (!forgotten) {
    if (forgotten.error().code == Errc::not_found) co_return error_response(404, "No trusted device with that id.", request);
    co_return server_error(request, forgotten.error());
  }
  co_return no_content(request);
}

Reply forget_all_devices(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  if (auto refused = forbid_api_keys(*caller, request)) co_return std::move(*refused);
  auto count = api.services().devices.forget_all(caller->user, actor_of(client));
  if (!count) co_return server_error(request, count.error());
  co_return json_response(200, json::object{{"forgotten", *count}}, request);
}

}  // namespace tfa::api::endpoints
