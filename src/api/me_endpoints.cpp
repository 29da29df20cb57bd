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
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  const auto& user = caller->user;
  auto& services = api.services();
  Result<std::vector<storage::Factor>> factors = tl::unexpected(Error{});
  Result<std::int64_t> codes_left = tl::unexpected(Error{});
  Result<std::vector<storage::TrustedDevice>> devices = tl::unexpected(Error{});
  // One read transaction for the three.
  const auto read = services.transactions.reading([&]() -> Result<void> {
    factors = services.factors.factors_of(user.id);
    codes_left = services.backup_codes.remaining(user.id);
    devices = services.devices.list(user.id);
    return {};
  });
  if (!read || !factors || !codes_left || !devices) co_return server_error(request);

  json::array confirmed;
  for (const auto& factor : *factors) {
    if (factor.status != storage::FactorStatus::confirmed) continue;
    confirmed.push_back(json::object{{"id", factor.id},
                                     {"type", storage::to_string(factor.kind)},
                                     {"label", factor.label},
                                     {"created_at", format_time(factor.confirmed_at.value_or(factor.created_at))}});
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
  if (!devices) co_return server_error(request);
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
    co_return server_error(request);
  }
  co_return no_content(request);
}

Reply forget_all_devices(Api& api, http::Request& request, const http::ClientInfo& client) {
  auto caller = authenticate(api, request, client);
  if (!caller) co_return std::move(caller.error());
  if (auto refused = forbid_api_keys(*caller, request)) co_return std::move(*refused);
  auto count = api.services().devices.forget_all(caller->user, actor_of(client));
  if (!count) co_return server_error(request);
  co_return json_response(200, json::object{{"forgotten", *count}}, request);
}

}  // namespace tfa::api::endpoints
