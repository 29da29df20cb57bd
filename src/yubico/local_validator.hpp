#pragma once
// Local mode: the OTP is checked here, with the AES secret and private ID the operator
// imported (`tfa yubikey import`), and the key's counters are the replay guard. The same
// check answers tfa's own validation server.
#include "auth/yubikey_validator.hpp"
#include "storage/yubikey_store.hpp"

namespace tfa::yubico {

class LocalValidator final : public auth::YubicoValidator {
 public:
  explicit LocalValidator(storage::YubiKeyStore& keys) : keys_(keys) {}

  Result<auth::YubicoVerdict> verify(std::string_view otp) override;

  /// The decrypted counters of an accepted OTP, for the validation server's `timestamp=1`
  /// answer.
  struct Counters {
    std::uint16_t usage = 0;
    std::uint8_t session = 0;
    std::uint32_t timestamp = 0;
  };
  /// verify(), and on ok also the counters through `counters` (when not null).
  Result<auth::YubicoVerdict> verify(std::string_view otp, Counters* counters);

 private:
  storage::YubiKeyStore& keys_;
};

}  // namespace tfa::yubico
