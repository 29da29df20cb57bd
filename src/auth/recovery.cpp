#include "auth/recovery.hpp"

#include "crypto/tokens.hpp"

namespace tfa::auth {

storage::Time Recovery::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

Result<RecoveryRequest> Recovery::request_disable(const storage::User& user, const Actor& actor) {
  RecoveryRequest result;
  TFA_TRY(auto recent, tokens_.email_tokens_since(user.id, kDisablePurpose, now() - std::chrono::hours(1)));
  if (recent >= settings_.mails_per_hour) {
    result.outcome = RecoveryRequest::throttled;
    result.retry_after = std::chrono::minutes(60);
    (void)audit_.append({0, now(), user.id, user.name, "recovery.requested", "throttled",
                         actor.client_address, actor.user_agent, ""});
    return result;
  }
  const std::string token = crypto::new_token(random_);
  TFA_CHECK(tokens_.add_email_token(
      {user.id, std::string(kDisablePurpose), crypto::token_hash(token), now() + settings_.token_lifetime},
      now()));
  (void)audit_.append({0, now(), user.id, user.name, "recovery.requested", "success",
                       actor.client_address, actor.user_agent, "token mailed"});
  notices_.recovery_token(user, token, static_cast<int>(settings_.token_lifetime.count()), actor);
  return result;
}

Result<RecoveryRedeem> Recovery::redeem_disable(std::string_view typed,
                                                std::optional<std::int64_t> signing_in,
                                                const Actor& actor) {
  RecoveryRedeem result;
  // A blank form is no guess: refused without a failure counted.
  if (typed.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    result.outcome = RecoveryRedeem::invalid;
    return result;
  }
  const std::string key = address_key(actor.client_address, "email_token");
  TFA_TRY(auto wait, throttle_.retry_after(key));
  if (wait) {
    result.outcome = RecoveryRedeem::throttled;
    result.retry_after = *wait;
    return result;
  }
  // People paste with spaces or line breaks around the token.
  const std::string token = crypto::typed_token(typed);
  std::optional<storage::EmailToken> found;
  std::optional<storage::User> user;  // the token's owner, for the audit row and the redeeming
  if (crypto::looks_like_token(token)) {
    TFA_TRY(found, tokens_.find_email_token(crypto::token_hash(token)));
    if (found) {
      TFA_TRY(user, users_.find_user(found->user_id));
    }
  }
  auto refuse = [&](RecoveryRedeem::Outcome outcome, std::string_view why) -> Result<RecoveryRedeem> {
    (void)throttle_.failure(key, settings_.per_address);
    // Under the owner's name, so that `tfa audit --user NAME` lists it.
    (void)audit_.append({0, now(), found ? std::optional(found->user_id) : std::nullopt,
                         user ? user->name : std::string(), "recovery.redeemed", "failure",
                         actor.client_address, actor.user_agent, std::string(why)});
    result.outcome = outcome;
    return result;
  };
  if (!found || found->purpose != kDisablePurpose) return refuse(RecoveryRedeem::invalid, "unknown token");
  if (signing_in && *signing_in != found->user_id) return refuse(RecoveryRedeem::other_user, "another account's token");
  if (found->used_at) return refuse(RecoveryRedeem::used, "used token");
  if (found->expires_at <= now()) return refuse(RecoveryRedeem::expired, "expired token");

  if (!user || user->disabled) return refuse(RecoveryRedeem::invalid, "account gone or disabled");
  const storage::AuditEvent event{0,           now(), user->id, user->name, "2fa.disabled", "success",
                                  actor.client_address, actor.user_agent, "by e-mail token"};
  TFA_TRY(auto redeemed, tokens_.redeem_disable_token(user->id, crypto::token_hash(token), now(), event));
  // Lost a race with another request that spent the same token a moment ago.
  if (!redeemed) return refuse(RecoveryRedeem::used, "used token");
  (void)throttle_.success(key);
  notices_.two_factor_disabled(*user, actor, "with a token sent by e-mail");
  result.outcome = RecoveryRedeem::disabled;
  result.user_id = user->id;
  return result;
}

}  // namespace tfa::auth
