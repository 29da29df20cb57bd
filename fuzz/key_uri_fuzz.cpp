// Fuzzes the otpauth:// parser, which reads URIs from users and other systems. Any key it
// accepts must survive a round trip: build_key_uri gives a URI that parses to the same key,
// and building that key again gives the same URI.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "otp/key_uri.hpp"

namespace {

using tfa::otp::KeyUri;
using tfa::otp::OtpKind;

bool same_key(const KeyUri& a, const KeyUri& b) {
  if (a.kind != b.kind || a.issuer != b.issuer || a.account != b.account ||
      !(a.secret == b.secret) || a.algorithm != b.algorithm || a.digits != b.digits) {
    return false;
  }
  // A URI carries only its own kind's moving factor: a period given to hotp is ignored.
  return a.kind == OtpKind::totp ? a.period == b.period : a.counter == b.counter;
}

// Keys the parser reads leniently but a label cannot express, so building refuses them: an
// issuer with ':' (given only as a parameter), an account with ':' but no issuer (from a label
// such as ":a:b"), and an account beginning with a space after an issuer (the issuer given
// only as a parameter; in a label, spaces after the ':' are dropped).
bool inexpressible(const KeyUri& key) {
  return key.issuer.find(':') != std::string::npos ||
         (key.issuer.empty() && key.account.find(':') != std::string::npos) ||
         (!key.issuer.empty() && key.account.front() == ' ');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto key = tfa::otp::parse_key_uri({reinterpret_cast<const char*>(data), size});
  if (!key) return 0;
  auto uri = tfa::otp::build_key_uri(*key);
  if (!uri) {
    if (!inexpressible(*key)) __builtin_trap();
    return 0;
  }
  auto again = tfa::otp::parse_key_uri(*uri);
  if (!again || !same_key(*key, *again)) __builtin_trap();
  auto rebuilt = tfa::otp::build_key_uri(*again);
  if (!rebuilt || *rebuilt != *uri) __builtin_trap();
  return 0;
}
