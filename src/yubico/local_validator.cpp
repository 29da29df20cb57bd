#include "yubico/local_validator.hpp"

#include "otp/yubico_otp.hpp"

namespace tfa::yubico {

Result<auth::YubicoVerdict> LocalValidator::verify(std::string_view otp) { return verify(otp, nullptr); }

Result<auth::YubicoVerdict> LocalValidator::verify(std::string_view otp, Counters* counters) {
  auth::YubicoVerdict verdict;
  auto parts = otp::split_yubico_otp(otp);
  if (!parts) {
    verdict.detail = parts.error().message;
    return verdict;
  }
  verdict.public_id = parts->public_id;
  TFA_TRY(auto key, keys_.find_key(parts->public_id));
  if (!key) {
    verdict.detail = "unknown key";
    return verdict;
  }
  auto token = otp::open_yubico_otp(*parts, key->private_id.expose(), key->aes_key.expose());
  if (!token) {
    verdict.detail = token.error().message;
    return verdict;
  }
  verdict.counter = token->counter();
  TFA_TRY(const bool fresh, keys_.record_key_counter(parts->public_id, token->counter()));
  if (!fresh) {
    verdict.status = auth::YubicoVerdict::replayed;
    verdict.detail = "counter " + std::to_string(token->counter()) + " is not newer than the last one accepted";
    return verdict;
  }
  verdict.status = auth::YubicoVerdict::ok;
  if (counters != nullptr) *counters = {static_cast<std::uint16_t>(token->usage_counter & 0x7fff),
                                        token->session_counter, token->timestamp};
  return verdict;
}

}  // namespace tfa::yubico
