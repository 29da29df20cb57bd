#pragma once
// The otpauth:// Key URI format (Google Authenticator's "Key Uri Format"), which QR codes carry
// to authenticator apps:
//   otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "crypto/hash_algorithm.hpp"

namespace tfa::otp {

enum class OtpKind { totp, hotp };

struct KeyUri {
  OtpKind kind = OtpKind::totp;
  std::string issuer;   // the provider, e.g. "Example Cloud"; may be empty but should not be
  std::string account;  // the user, e.g. "alice@example.com"; required
  SecretBytes secret;
  crypto::HashAlgorithm algorithm = crypto::HashAlgorithm::sha1;
  int digits = 6;
  std::chrono::seconds period{30};  // totp only
  std::uint64_t counter = 0;        // hotp only: the initial counter
};

/// Builds the URI. The label is "issuer:account", each part percent-encoded as UTF-8 (space as
/// %20, ':' in the account as %3A; '@' stays readable) and the issuer is repeated in the
/// `issuer` parameter, as the format recommends, so that apps old and new keep several
/// accounts apart. The secret is unpadded Base32. Fails when the account is empty, when the
/// issuer contains ':' (the format forbids it, since ':' separates it from the account), or
/// when the parameters are out of range.
Result<std::string> build_key_uri(const KeyUri& key);

/// Parses a URI, leniently where apps differ (scheme and algorithm in any case, '+' or %20 for
/// spaces in parameters, unknown parameters ignored, algorithm/digits/period defaulting to
/// SHA1/6/30) and strictly where a mistake would yield wrong codes: the secret must be valid
/// Base32, digits 6..8, period 15..300, a hotp URI needs its counter, parameters may not repeat,
/// and an issuer given both as label prefix and parameter must agree. Each error names the part
/// of the URI that is wrong.
Result<KeyUri> parse_key_uri(std::string_view uri);

}  // namespace tfa::otp
