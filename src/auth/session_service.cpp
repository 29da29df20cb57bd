#include "auth/session_service.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include "core/utf8.hpp"
#include "core/constant_time.hpp"
#include "crypto/hmac.hpp"
#include "crypto/tokens.hpp"

namespace tfa::auth {

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::anonymous: return "anonymous";
    case Stage::second_factor: return "second_factor";
    case Stage::signed_in: return "signed_in";
  }
  return "anonymous";
}

Stage WebSession::stage() const {
  if (record.stage == "signed_in") return Stage::signed_in;
  if (record.stage == "second_factor") return Stage::second_factor;
  return Stage::anonymous;
}

std::optional<std::int64_t> WebSession::number(std::string_view key) const {
  boost::system::error_code error;
  auto value = boost::json::parse(record.data, error);
  if (error || !value.is_object()) return std::nullopt;
  const auto* found = value.as_object().if_contains(key);
  if (found == nullptr || !found->is_int64()) return std::nullopt;
  return found->as_int64();
}

void WebSession::set_number(std::string_view key, std::optional<std::int64_t> value) {
  boost::system::error_code error;
  auto parsed = boost::json::parse(record.data, error);
  boost::json::object object = (!error && parsed.is_object()) ? parsed.as_object() : boost::json::object{};
  if (value) {
    object[key] = *value;
  } else {
    object.erase(key);
  }
  record.data = boost::json::serialize(object);
}

storage::Time SessionService::now() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.now());
}

storage::Time SessionService::expiry_for(Stage stage) const {
  return now() + (stage == Stage::signed_in ? settings_.signed_in_idle : settings_.sign_in_lifetime);
}

Result<WebSession> SessionService::start(const Actor& client) {
  WebSession session;
  session.id = crypto::new_token(random_);
  auto& r = session.record;
  r.id_hash = crypto::token_hash(session.id);
  r.stage = std::string(to_string(Stage::anonymous));
  r.data = "{}";
  r.client_address = client.client_address;
  r.user_agent = core::valid_utf8_prefix(client.user_agent, 500);
  r.created_at = r.last_seen_at = now();
  r.expires_at = expiry_for(Stage::anonymous);
  TFA_CHECK(store_.create_session(r));
  return session;
}

Result<std::optional<WebSession>> SessionService::resume(std::string_view cookie_value) {
  if (!crypto::looks_like_token(cookie_value)) return std::optional<WebSession>();
  TFA_TRY(auto record, store_.find_session(crypto::token_hash(cookie_value), now()));
  if (!record) return std::optional<WebSession>();
  WebSession session{std::string(cookie_value), std::move(*record)};
  if (session.stage() == Stage::signed_in) {
    // Sliding expiry, written at most once a minute to spare the database.
    const auto current = now();
    if (current - session.record.last_seen_at >= std::chrono::minutes(1)) {
      session.record.last_seen_at = current;
      session.record.expires_at = expiry_for(Stage::signed_in);
      TFA_CHECK(store_.update_session(session.record));
    }
  }
  return std::optional<WebSession>(std::move(session));
}

Result<void> SessionService::advance(WebSession& session, Stage stage,
                                     std::optional<std::int64_t> user_id) {
  const auto old_hash = session.record.id_hash;
  WebSession next = session;
  next.id = crypto::new_token(random_);
  next.record.id_hash = crypto::token_hash(next.id);
  next.record.stage = std::string(to_string(stage));
  next.record.user_id = user_id;
  next.record.last_seen_at = now();
  next.record.expires_at = expiry_for(stage);
  // What the session holds (a pending enrollment, the password re-confirmed minutes ago)
  // belongs to its user: another account signing in on this browser starts without it.
  if (stage == Stage::anonymous || user_id != session.record.user_id) {
    next.record.data = "{}";
    next.record.reauth_at.reset();
  }
  TFA_CHECK(store_.rotate_session(old_hash, next.record));
  session = std::move(next);
  return {};
}

Result<void> SessionService::save(WebSession& session) {
  session.record.last_seen_at = now();
  return store_.update_session(session.record);
}

Result<void> SessionService::end(const WebSession& session) {
  return store_.delete_session(session.record.id_hash);
}

std::string SessionService::csrf_token(const WebSession& session) const {
  const auto mac = crypto::hmac(crypto::HashAlgorithm::sha256, csrf_key_.expose(),
                                {reinterpret_cast<const std::uint8_t*>(session.id.data()), session.id.size()});
  char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, mac.bytes.data(), mac.size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

bool SessionService::csrf_matches(const WebSession& session, std::string_view token) const {
  return constant_time_equal(std::string_view(csrf_token(session)), token);
}

bool SessionService::recently_reauthenticated(const WebSession& session) const {
  return session.record.reauth_at && now() - *session.record.reauth_at <= settings_.reauth_valid;
}

void SessionService::mark_reauthenticated(WebSession& session) const { session.record.reauth_at = now(); }

}  // namespace tfa::auth
