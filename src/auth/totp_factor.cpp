#include "auth/totp_factor.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace tfa::auth {

std::string totp_params_json(const otp::TotpParams& params) {
  boost::json::object object{{"algorithm", std::string(crypto::to_string(params.algorithm))},
                             {"digits", params.digits},
                             {"period", params.period.count()}};
  return boost::json::serialize(object);
}

Result<otp::TotpParams> parse_totp_params(std::string_view json) {
  boost::system::error_code error;
  auto value = boost::json::parse(json, error);
  if (error || !value.is_object()) return fail(Errc::internal, "stored TOTP parameters are not a JSON object");
  const auto& object = value.as_object();
  otp::TotpParams params;
  try {
    TFA_TRY(params.algorithm, crypto::parse_hash_algorithm(object.at("algorithm").as_string()));
    params.digits = static_cast<int>(object.at("digits").to_number<std::int64_t>());
    params.period = std::chrono::seconds(object.at("period").to_number<std::int64_t>());
  } catch (const std::exception&) {
    return fail(Errc::internal, "stored TOTP parameters are incomplete");
  }
  return params;
}

otp::TotpWindow TotpSettings::window_for(std::int64_t drift) const noexcept {
  otp::TotpWindow drifted = window;
  drifted.drift = drift;
  drifted.limit = std::max({max_drift_steps, window.behind, window.ahead});
  return drifted;
}

std::string normalize_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c != ' ' && c != '-' && c != '\t') out.push_back(c);
  }
  return out;
}

Result<CodeCheck> check_totp_code(storage::FactorStore& store,
                                  const std::vector<storage::Factor>& factors,
                                  storage::FactorStatus status, std::string_view code,
                                  const TotpSettings& settings, const Clock& clock,
                                  std::int64_t* accepted_by) {
  const std::string typed = normalize_code(code);
  const auto now = std::chrono::floor<std::chrono::seconds>(clock.now());
  for (const auto& factor : factors) {
    if (factor.kind != storage::FactorKind::totp || factor.status != status) continue;
    if (factor.expires_at && *factor.expires_at <= now) continue;  // a stale pending enrollment
    TFA_TRY(auto params, parse_totp_params(factor.params));
    TFA_TRY(auto totp, otp::Totp::create(params, factor.secret));
    const auto match = totp.verify(typed, now, settings.window_for(factor.drift_steps));
    if (!match) continue;
    TFA_TRY(const bool fresh, store.record_accepted_counter(factor.id, static_cast<std::int64_t>(match->step),
                                                        match->offset, now));
    if (!fresh) return CodeCheck::replayed;
    if (accepted_by != nullptr) *accepted_by = factor.id;
    return CodeCheck::accepted;
  }
  return CodeCheck::rejected;
}

}  // namespace tfa::auth
