#include "yubico/validation_server.hpp"

#include <algorithm>
#include <charconv>

#include "otp/modhex.hpp"
#include "otp/yubico_otp.hpp"

#include "http/security_headers.hpp"

namespace tfa::yubico {
namespace {

std::optional<std::int64_t> client_id(const std::string& text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string field(const http::FormFields& query, const char* name) {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

}  // namespace

const auth::ThrottlePolicy ValidationServer::kFailuresPerAddress{20, std::chrono::seconds(2),
                                                                 std::chrono::minutes(15),
                                                                 std::chrono::hours(1)};

Result<Answer> ValidationServer::answer(const http::FormFields& query, const std::string& address) {
  Answer out;
  Parameters& p = out.parameters;
  p["t"] = protocol_time(clock_.now());
  const std::string throttle_key = auth::address_key(address, "yubico-verify");
  TFA_TRY(auto wait, throttle_.retry_after(throttle_key));
  if (wait) {
    p["status"] = std::string(status::operation_not_allowed);
    out.retry_after = *wait;
    return out;
  }
  // A refused request counts against its address; a block applies from the next request.
  auto refuse = [&](std::string_view status_text) -> Result<void> {
    p["status"] = std::string(status_text);
    TFA_TRY(auto blocked, throttle_.failure(throttle_key, kFailuresPerAddress));
    (void)blocked;
    return {};
  };

  const std::string otp = field(query, "otp");
  const std::string nonce = field(query, "nonce");
  const auto id = client_id(field(query, "id"));
  if (!id || otp.empty() || !valid_nonce(nonce) || !query.contains("h")) {
    TFA_CHECK(refuse(status::missing_parameter));
    return out;
  }
  // Only an OTP's own characters are echoed into a signed answer: a value holding '&' or '='
  // could make the signed text of one answer read as another's.
  if (!otp::looks_like_yubico_otp(otp) || !otp::is_modhex(otp)) {
    TFA_CHECK(refuse(status::bad_otp));
    return out;
  }
  TFA_TRY(auto client, keys_.find_client(*id));
  if (!client || client->revoked_at) {
    TFA_CHECK(refuse(status::no_such_client));
    return out;
  }
  Parameters request(query.begin(), query.end());
  // A form decoder reads an unescaped '+' as a space; base64 has no spaces, so put it back.
  std::replace(request["h"].begin(), request["h"].end(), ' ', '+');
  if (!signature_ok(request, client->key.expose())) {
    // Unsigned and without echoes: nothing the sender chose is signed for him.
    TFA_CHECK(refuse(status::bad_signature));
    return out;
  }
  // From here on the answer is signed, and echoes the OTP and nonce.
  p["otp"] = otp;
  p["nonce"] = nonce;
  auto sign = [&] { p["h"] = signature(p, client->key.expose()); };
  LocalValidator::Counters counters;
  TFA_TRY(auto verdict, validator_.verify(otp, &counters));
  if (verdict.status == auth::YubicoVerdict::ok) {
    p["status"] = std::string(status::ok);
    if (query.contains("sl")) p["sl"] = "100";
    if (field(query, "timestamp") == "1") {
      p["timestamp"] = std::to_string(counters.timestamp);
      p["sessioncounter"] = std::to_string(counters.usage);
      p["sessionuse"] = std::to_string(counters.session);
    }
    TFA_CHECK(throttle_.success(throttle_key));
  } else if (verdict.status == auth::YubicoVerdict::replayed) {
    p["status"] = std::string(status::replayed_otp);
  } else {
    TFA_CHECK(refuse(status::bad_otp));
  }
  sign();
  return out;
}

void ValidationServer::add_routes(http::Router& router) {
  router.add(http::bhttp::verb::get, "/wsapi/2.0/verify",
             [this](http::Request& request, const http::ClientInfo& client) -> http::net::awaitable<http::Response> {
               auto query = http::parse_target_query(request.target());
               if (!query) co_return http::text_response(400, "status=MISSING_PARAMETER\r\n", request);
               auto answered = answer(*query, client.address);
               if (!answered) {
                 Parameters failed{{"t", protocol_time(clock_.now())}, {"status", std::string(status::backend_error)}};
                 co_return http::text_response(500, format_answer(failed), request);
               }
               http::Response response = http::text_response(
                   answered->retry_after ? 429 : 200, format_answer(answered->parameters), request);
               if (answered->retry_after) {
                 response.set(http::bhttp::field::retry_after, std::to_string(answered->retry_after->count()));
               }
               response.set(http::bhttp::field::cache_control, "no-store");
               co_return response;
             });
}

}  // namespace tfa::yubico
