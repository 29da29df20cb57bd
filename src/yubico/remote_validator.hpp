#pragma once
// Remote mode: the OTP is checked by a validation server speaking the Yubico protocol 2.0
// (another tfa, a self-hosted yubikey-val, or a hosted service). The request is signed with
// the client's API key; the answer counts only when its signature checks and it echoes our
// OTP and nonce, so a forged or replayed answer cannot sign anyone in.
#include <chrono>
#include <string>
#include <vector>

#include "auth/yubikey_validator.hpp"
#include "core/random.hpp"

namespace tfa::yubico {

struct RemoteSettings {
  std::string url;  // e.g. https://validation.example.com/wsapi/2.0/verify
  std::string client_id;
  std::vector<std::uint8_t> api_key;  // the decoded base64 API key
  std::chrono::milliseconds timeout{5000};
  std::string ca_file;  // PEM CAs to trust for https; "" = the system's
};

class RemoteValidator final : public auth::YubicoValidator {
 public:
  RemoteValidator(RemoteSettings settings, Random& random) : settings_(std::move(settings)), random_(random) {}

  /// Blocks for up to the timeout: call it off the I/O threads.
  Result<auth::YubicoVerdict> verify(std::string_view otp) override;

 private:
  Result<auth::YubicoVerdict> ask(std::string_view otp);

  RemoteSettings settings_;
  Random& random_;
};

}  // namespace tfa::yubico
