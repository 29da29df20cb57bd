#pragma once
// tfa as a Yubico validation server: GET /wsapi/2.0/verify for the keys this server knows
// (imported with `tfa yubikey import`), for clients made with `tfa yubikey client add`. So
// other systems, or another tfa in remote mode, can validate YubiKeys here instead of at a
// hosted service.
//
// Requests must be signed (`h`); answers are signed with the same client key. A request from
// an unknown client, with a bad signature or a refused OTP counts against its address, which
// is blocked for a while after many (HTTP 429 with Retry-After).
#include <string>

#include "auth/throttle.hpp"
#include "core/clock.hpp"
#include "http/form.hpp"
#include "http/router.hpp"
#include "storage/yubikey_store.hpp"
#include "yubico/local_validator.hpp"
#include "yubico/validation_protocol.hpp"

namespace tfa::yubico {

struct Answer {
  Parameters parameters;  // the body's lines, `h` included when the client is known
  std::optional<std::chrono::seconds> retry_after;  // set when the address is blocked
};

class ValidationServer {
 public:
  ValidationServer(storage::YubiKeyStore& keys, LocalValidator& validator, auth::Throttle& throttle,
                   const Clock& clock)
      : keys_(keys), validator_(validator), throttle_(throttle), clock_(clock) {}

  /// The answer to one verify request with these query parameters, from `address`.
  Result<Answer> answer(const http::FormFields& query, const std::string& address);

  /// Registers GET /wsapi/2.0/verify.
  void add_routes(http::Router& router);

  /// Failures per address: 20 free, then 2 s doubling up to 15 minutes, forgotten after an hour.
  static const auth::ThrottlePolicy kFailuresPerAddress;

 private:
  storage::YubiKeyStore& keys_;
  LocalValidator& validator_;
  auth::Throttle& throttle_;
  const Clock& clock_;
};

}  // namespace tfa::yubico
