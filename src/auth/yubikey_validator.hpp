#pragma once
// Checking a Yubico OTP, wherever it is done: here with the key's AES secret (local mode), or
// by a validation server speaking the Yubico protocol (remote mode). The sign-in flow and the
// registration of keys see only this interface.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tfa::auth {

struct YubicoVerdict {
  enum Status {
    ok,        // a genuine OTP, never seen before; its counter is now used up
    bad_otp,   // malformed, forged, or of a key the validator does not know
    replayed,  // genuine, but its counter is not newer than one already accepted
  } status = bad_otp;
  std::string public_id;              // lower-case modhex; set whenever the OTP could be split
  std::optional<std::int64_t> counter;  // usage << 8 | session, when the validator tells it
  std::string detail;                 // why, for the audit log; never secret
};

class YubicoValidator {
 public:
  virtual ~YubicoValidator() = default;
  /// Errc::validation_unavailable when the validator cannot answer (a remote server down or answering
  /// something unverifiable): the OTP is then neither accepted nor used up.
  virtual Result<YubicoVerdict> verify(std::string_view otp) = 0;
};

}  // namespace tfa::auth
