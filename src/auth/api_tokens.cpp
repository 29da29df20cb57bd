#include "auth/api_tokens.hpp"

#include "crypto/tokens.hpp"

namespace tfa::auth {
namespace {

constexpr std::size_t kMaxKeyName = 64;

/// 1 to 64 characters (not bytes) of valid UTF-8 without control characters: C0, DEL and C1
/// (U+0080 to U+009F, which UTF-8 writes as 0xC2 0x80 to 0xC2 0x9F).
bool valid_key_name(std::string_view name) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == 0xc2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) < 0xa0) return false;
    if ((c & 0xc0) != 0x80) ++characters;  // a byte that starts a character
  }
  return characters >= 1 && characters <= kMaxKeyName;
}

}  // namespace

storage::Time ApiTokens::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

void ApiTokens::audit(const storage::User& user, std::string_view event, const Actor& actor,
                      std::string detail) {
  (void)audit_.append({0, now(), user.id, user.name, std::string(event), "success", actor.client_address,
                       actor.user_agent, std::move(detail)});
}

Result<IssuedToken> ApiTokens::issue(const storage::User& user, storage::ApiTokenKind kind,
                                     std::string name, std::optional<storage::Time> expires_at) {
  IssuedToken issued;
  issued.secret = crypto::new_token(random_);
  auto& record = issued.record;
  record.user_id = user.id;
  record.kind = kind;
  record.name = std::move(name);
  record.token_hash = crypto::token_hash(issued.secret);
  record.created_at = now();
  record.expires_at = expires_at;
  TFA_TRY(record.id, store_.add_api_token(record));
  return issued;
}

Result<IssuedToken> ApiTokens::sign_in(const storage::User& user, const Actor& actor) {
  std::optional<IssuedToken> issued;
  TFA_CHECK(transactions_.writing([&]() -> Result<void> {
    TFA_TRY(issued, issue(user, storage::ApiTokenKind::session, "", now() + settings_.session_lifetime));
    audit(user, "api.token_issued", actor, "token " + std::to_string(issued->record.id));
    return {};
  }));
  return std::move(*issued);
}

Result<NewKey> ApiTokens::check_new_key(std::string_view name, std::optional<storage::Time> expires_at) const {
  if (!valid_key_name(name)) {
    return fail(Errc::invalid_argument, "name must be 1 to 64 characters without control characters");
  }
  if (expires_at && *expires_at <= now()) return fail(Errc::invalid_argument, "expires_at must be in the future");
  return NewKey(std::string(name), expires_at);
}

Result<IssuedToken> ApiTokens::create_key(const storage::User& user, const NewKey& key, const Actor& actor) {
  TFA_TRY(auto issued, issue(user, storage::ApiTokenKind::key, key.name(), key.expires_at()));
  audit(user, "api_key.created", actor, "key " + std::to_string(issued.record.id) + " \"" + issued.record.name + "\"");
  if (notices_ != nullptr) notices_->api_key_created(user, issued.record.name, issued.record.expires_at, actor);
  return issued;
}

Result<std::optional<ApiCaller>> ApiTokens::authenticate(std::string_view bearer, const Actor& actor) {
  TFA_TRY(auto caller, identify(bearer));
  if (caller) TFA_CHECK(record_use(*caller, actor));
  return caller;
}

Result<std::optional<ApiCaller>> ApiTokens::identify(std::string_view bearer) {
  if (!crypto::looks_like_token(bearer)) return std::optional<ApiCaller>();
  TFA_TRY(auto holder, store_.find_token_holder(crypto::token_hash(bearer), now()));
  if (!holder || holder->user.disabled) return std::optional<ApiCaller>();
  return std::optional<ApiCaller>(ApiCaller{std::move(holder->user), std::move(holder->token)});
}

Result<void> ApiTokens::record_use(ApiCaller& caller, const Actor& actor) {
  const auto at = now();
  auto& token = caller.token;
  if (token.last_used_at && *token.last_used_at >= at - settings_.touch_interval) return {};
  TFA_CHECK(store_.touch_api_token(token.id, at));
  token.last_used_at = at;
  if (token.kind == storage::ApiTokenKind::key) {
    audit(caller.user, "api_key.used", actor, "key " + std::to_string(token.id));
  }
  return {};
}

Result<std::vector<storage::ApiToken>> ApiTokens::keys(std::int64_t user_id) {
  return store_.api_tokens_of(user_id, storage::ApiTokenKind::key, now());
}

Result<void> ApiTokens::revoke_key(const storage::User& user, std::int64_t key_id, const Actor& actor) {
  TFA_TRY(auto keys_now, keys(user.id));
  bool is_key = false;
  for (const auto& key : keys_now) is_key = is_key || key.id == key_id;
  // A sign-in token's id is not a key's: revoking it here is not_found like any other id.
  if (!is_key) return fail(Errc::not_found, "no API key with id " + std::to_string(key_id));
  TFA_CHECK(store_.revoke_api_token(user.id, key_id));
  audit(user, "api_key.revoked", actor, "key " + std::to_string(key_id));
  return {};
}

Result<void> ApiTokens::sign_out(const ApiCaller& caller, const Actor& actor) {
  TFA_CHECK(store_.revoke_api_token(caller.user.id, caller.token.id));
  audit(caller.user, caller.by_key() ? "api_key.revoked" : "api.signed_out", actor,
        (caller.by_key() ? "key " : "token ") + std::to_string(caller.token.id));
  return {};
}

}  // namespace tfa::auth
