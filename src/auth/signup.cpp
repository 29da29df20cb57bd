#include "auth/signup.hpp"

#include <boost/json.hpp>

#include "core/utf8.hpp"
#include "crypto/tokens.hpp"

namespace tfa::auth {
namespace {

// Bound into the seal, so no other sealed value of the server opens as a sign-up link.
constexpr std::string_view kSealContext = "signup-link:1";
// A sealed request is at most ~700 characters; anything much longer is not ours.
constexpr std::size_t kMaxTokenChars = 2048;

struct SealedRequest {
  std::string name;
  std::string email;
  std::string password_hash;
  std::int64_t expires_at = 0;  // Unix seconds
  std::optional<std::int64_t> issued_at;  // Unix seconds; absent in links sealed before it was added
};

std::optional<SealedRequest> parse_request(std::span<const std::uint8_t> plain) {
  boost::system::error_code error;
  auto value = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()), error);
  if (error || !value.is_object()) return std::nullopt;
  const auto& object = value.as_object();
  const auto* name = object.if_contains("name");
  const auto* email = object.if_contains("email");
  const auto* hash = object.if_contains("password_hash");
  const auto* expires = object.if_contains("expires_at");
  if (!name || !name->is_string() || !email || !email->is_string() || !hash || !hash->is_string() ||
      !expires || !expires->is_int64()) {
    return std::nullopt;
  }
  SealedRequest request{std::string(name->as_string()), std::string(email->as_string()),
                        std::string(hash->as_string()), expires->as_int64(), std::nullopt};
  if (const auto* issued = object.if_contains("issued_at"); issued && issued->is_int64()) {
    request.issued_at = issued->as_int64();
  }
  return request;
}

}  // namespace

Result<bool> Signup::deleted_since(const std::string& name, storage::Time since) {
  // Asked for by kind: among all of the name's events, the deletion could be pushed out of any
  // window by a flood of others (throttled sign-ins write one each).
  storage::AuditQuery query;
  query.username = name;
  query.since = since;
  query.event = "user.deleted";
  query.limit = 1;
  TFA_TRY(auto events, stores_.audit.list(query));
  return !events.empty();
}

storage::Time Signup::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

std::string Signup::seal_request(std::string_view name, std::string_view email, const std::string& hash) const {
  const auto issued = now();
  const auto expires = issued + settings_.link_lifetime;
  const std::string plain = boost::json::serialize(boost::json::object{
      {"issued_at", std::chrono::duration_cast<std::chrono::seconds>(issued.time_since_epoch()).count()},
      {"name", name},
      {"email", email},
      {"password_hash", hash},
      {"expires_at", std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count()}});
  const auto sealed = sealer_.seal(
      std::span(reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size()), kSealContext, random_);
  return crypto::to_base64url(sealed);
}

Result<SignupRequest> Signup::request(std::string_view name, std::string_view email, std::string_view password,
                                      const Actor& actor) {
  SignupRequest result;
  // The limits come first, so that a blocked address learns nothing, not even about its input.
  const std::string address = address_key(actor.client_address, "signup");
  const std::string recipient = name_key(email, "signup_mail");
  for (const auto& key : {address, recipient}) {
    TFA_TRY(auto wait, throttle_.retry_after(key));
    if (wait) {
      result.outcome = SignupRequest::throttled;
      result.retry_after = *wait;
      (void)stores_.audit.append({0, now(), std::nullopt, core::valid_utf8_prefix(name, 64), "signup.requested", "throttled",
                                  actor.client_address, actor.user_agent, ""});
      return result;
    }
  }
  TFA_CHECK(accounts_.check_new_account(name, email, password));
  // Every sign-up counts, as it mails; the one that reaches the limit starts the wait.
  (void)throttle_.failure(address, ThrottlePolicy{settings_.per_address - 1, std::chrono::seconds(30),
                                                  std::chrono::hours(1), std::chrono::hours(24)});
  (void)throttle_.failure(recipient, ThrottlePolicy{settings_.mails_per_recipient - 1, std::chrono::minutes(10),
                                                    std::chrono::hours(1), std::chrono::hours(24)});
  // Hashed whether or not the name is taken: the two answers take the same time.
  TFA_TRY(auto hash, accounts_.hash_new_password(password));
  TFA_TRY(auto existing, stores_.users.find_user_by_name(name));
  if (existing) {
    notices_.signup_name_taken(std::string(name), std::string(email), actor);
  } else {
    notices_.signup_link(std::string(name), std::string(email), seal_request(name, email, hash),
                         static_cast<int>(settings_.link_lifetime.count()), actor);
  }
  (void)stores_.audit.append({0, now(), std::nullopt, std::string(name), "signup.requested",
                              existing ? "taken" : "success", actor.client_address, actor.user_agent,
                              "mailed to " + std::string(email)});
  return result;
}

Result<SignupConfirm> Signup::confirm(std::string_view typed, const Actor& actor) {
  SignupConfirm result;
  const std::string key = address_key(actor.client_address, "signup_link");
  TFA_TRY(auto wait, throttle_.retry_after(key));
  if (wait) {
    result.outcome = SignupConfirm::throttled;
    result.retry_after = *wait;
    return result;
  }
  auto refuse = [&](SignupConfirm::Outcome outcome, std::string_view why) -> Result<SignupConfirm> {
    (void)throttle_.failure(key, settings_.bad_links_per_address);
    (void)stores_.audit.append({0, now(), std::nullopt, result.name, "signup.confirmed", "failure",
                                actor.client_address, actor.user_agent, std::string(why)});
    result.outcome = outcome;
    return result;
  };
  // Mail programs wrap long links; people paste with spaces or line breaks.
  std::string token = crypto::typed_token(typed, kMaxTokenChars);
  // The whole link pasted instead of its token.
  if (const auto at = token.rfind("token="); at != std::string::npos) token.erase(0, at + 6);
  if (token.empty() || typed.size() > kMaxTokenChars) return refuse(SignupConfirm::invalid, "malformed link");
  auto sealed = crypto::from_base64url(token);
  if (!sealed) return refuse(SignupConfirm::invalid, "malformed link");
  auto plain = sealer_.open(*sealed, kSealContext);
  if (!plain) return refuse(SignupConfirm::invalid, "link does not open");
  auto request = parse_request(plain->expose());
  if (!request) return refuse(SignupConfirm::invalid, "link does not parse");
  result.name = request->name;
  if (storage::Time(std::chrono::seconds(request->expires_at)) <= now()) {
    return refuse(SignupConfirm::expired, "expired link");
  }
  // The name is free again once its account is deleted; a link mailed before that must not
  // bring the account back.
  const auto issued = request->issued_at ? storage::Time(std::chrono::seconds(*request->issued_at))
                                         : storage::Time(std::chrono::seconds(request->expires_at)) -
                                               settings_.link_lifetime;
  TFA_TRY(const bool deleted, deleted_since(request->name, issued));
  if (deleted) return refuse(SignupConfirm::invalid, "the account was deleted after the link was sent");
  auto created = accounts_.create_user_with_hash(request->name, request->email, std::move(request->password_hash),
                                                 actor, "signed up; e-mail address confirmed");
  if (!created) {
    if (created.error().code == Errc::conflict) return refuse(SignupConfirm::taken, "name taken");
    return tl::unexpected(created.error());
  }
  (void)throttle_.success(key);
  result.outcome = SignupConfirm::created;
  result.user = std::move(*created);
  return result;
}

}  // namespace tfa::auth
