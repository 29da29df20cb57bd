#include "auth/enrollment.hpp"

#include "otp/secret.hpp"

namespace tfa::auth {

storage::Time Enrollment::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

otp::KeyUri Enrollment::key_for(const storage::User& user, SecretBytes secret,
                                const otp::TotpParams& params) const {
  otp::KeyUri key;
  key.issuer = settings_.issuer;
  key.account = user.name;
  key.secret = std::move(secret);
  key.algorithm = params.algorithm;
  key.digits = params.digits;
  key.period = params.period;
  return key;
}

Result<PendingTotp> Enrollment::start(const storage::User& user) {
  TFA_TRY(auto existing, factors_.factors_of(user.id));
  for (const auto& factor : existing) {
    if (factor.kind == storage::FactorKind::totp && factor.status == storage::FactorStatus::pending) {
      TFA_CHECK(factors_.remove_factor(factor.id));
    }
  }
  SecretBytes secret = otp::generate_secret(settings_.params.algorithm, random_);
  storage::NewFactor factor;
  factor.user_id = user.id;
  factor.kind = storage::FactorKind::totp;
  factor.label = "Authenticator app";
  factor.params = totp_params_json(settings_.params);
  factor.secret = &secret;
  factor.status = storage::FactorStatus::pending;
  factor.expires_at = now() + settings_.pending_lifetime;
  TFA_TRY(auto id, factors_.add_factor(factor, now()));
  return PendingTotp{id, key_for(user, std::move(secret), settings_.params)};
}

Result<std::optional<PendingTotp>> Enrollment::pending(const storage::User& user, std::int64_t factor_id) {
  TFA_TRY(auto factor, factors_.find_factor(factor_id));
  if (!factor || factor->user_id != user.id || factor->status != storage::FactorStatus::pending ||
      (factor->expires_at && *factor->expires_at <= now())) {
    return std::optional<PendingTotp>();
  }
  TFA_TRY(auto params, parse_totp_params(factor->params));
  return std::optional<PendingTotp>(PendingTotp{factor_id, key_for(user, std::move(factor->secret), params)});
}

Result<CodeCheck> Enrollment::confirm(const storage::User& user, std::int64_t factor_id,
                                      std::string_view code, const Actor& actor) {
  TFA_TRY(auto factor, factors_.find_factor(factor_id));
  if (!factor || factor->user_id != user.id) return fail(Errc::not_found, "no such enrollment");
  // Enrollment is how two-factor is turned on. Once it is on (a YubiKey added in another window
  // since this enrollment began), confirming would replace the backup codes the user was just
  // given. Refused before the code is checked, so that the code is not used up.
  TFA_TRY(auto factors, factors_.factor_list_of(user.id));  // no secret needs opening for this
  for (const auto& other : factors) {
    if (other.status == storage::FactorStatus::confirmed) {
      return fail(Errc::conflict, "two-factor authentication is already on");
    }
  }
  std::optional<otp::TotpMatch> match;
  if (factor->status == storage::FactorStatus::pending && !(factor->expires_at && *factor->expires_at <= now())) {
    TFA_TRY(auto params, parse_totp_params(factor->params));
    TFA_TRY(auto totp, otp::Totp::create(params, factor->secret));
    match = totp.verify(normalize_code(code), now(), settings_.totp.window_for(factor->drift_steps));
  }
  if (!match) {
    (void)audit_.append({0, now(), user.id, user.name, "2fa.enable", "failure", actor.client_address,
                         actor.user_agent, "wrong code during enrollment"});
    return CodeCheck::rejected;
  }
  // Confirmed with the code's step recorded, in one statement: the code that proved the app
  // has the secret cannot also sign in.
  TFA_CHECK(factors_.confirm_factor(factor_id, now(), static_cast<std::int64_t>(match->step), match->offset));
  (void)audit_.append({0, now(), user.id, user.name, "2fa.enabled", "success", actor.client_address,
                       actor.user_agent, "authenticator app"});
  if (notices_ != nullptr) notices_->two_factor_enabled(user, actor);
  return CodeCheck::accepted;
}

}  // namespace tfa::auth
