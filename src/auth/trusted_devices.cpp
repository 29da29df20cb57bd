#include "auth/trusted_devices.hpp"

#include "core/utf8.hpp"
#include "core/constant_time.hpp"
#include "crypto/tokens.hpp"

namespace tfa::auth {

storage::Time TrustedDevices::now() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.now());
}

Result<std::string> TrustedDevices::trust(const storage::User& user, const Actor& actor) {
  std::string token = crypto::new_token(random_);
  storage::TrustedDevice device;
  device.user_id = user.id;
  device.token_hash = crypto::token_hash(token);
  device.user_agent = core::valid_utf8_prefix(actor.user_agent, 500);
  device.created_at = device.last_seen_at = now();
  device.expires_at = now() + lifetime_;
  TFA_TRY(auto id, store_.add_trusted_device(device));
  (void)audit_.append({0, now(), user.id, user.name, "device.trusted", "success", actor.client_address,
                       actor.user_agent, "device " + std::to_string(id)});
  if (notices_ != nullptr) notices_->device_trusted(user, actor);
  return token;
}

Result<std::optional<storage::TrustedDevice>> TrustedDevices::recognise(std::int64_t user_id,
                                                                        std::string_view token) {
  if (!crypto::looks_like_token(token)) return std::optional<storage::TrustedDevice>();
  return store_.use_trusted_device(user_id, crypto::token_hash(token), now());
}

Result<bool> TrustedDevices::is_trusted(std::int64_t user_id, std::string_view token) {
  if (!crypto::looks_like_token(token)) return false;
  const auto hash = crypto::token_hash(token);
  TFA_TRY(auto devices, store_.trusted_devices_of(user_id, now()));
  bool found = false;
  for (const auto& device : devices) found = constant_time_equal(device.token_hash, hash) || found;
  return found;
}

Result<std::vector<storage::TrustedDevice>> TrustedDevices::list(std::int64_t user_id) {
  return store_.trusted_devices_of(user_id, now());
}

Result<void> TrustedDevices::forget(const storage::User& user, std::int64_t device_id, const Actor& actor) {
  TFA_CHECK(store_.forget_trusted_device(user.id, device_id));
  (void)audit_.append({0, now(), user.id, user.name, "device.forgotten", "success", actor.client_address,
                       actor.user_agent, "device " + std::to_string(device_id)});
  return {};
}

Result<std::int64_t> TrustedDevices::forget_all(const storage::User& user, const Actor& actor) {
  TFA_TRY(auto count, store_.forget_all_trusted_devices(user.id));
  (void)audit_.append({0, now(), user.id, user.name, "device.forgotten_all", "success",
                       actor.client_address, actor.user_agent, std::to_string(count) + " devices"});
  return count;
}

}  // namespace tfa::auth
