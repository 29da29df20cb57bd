#pragma once
// HOTP (RFC 4226): an HMAC-based one-time password from a counter.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "crypto/counter_hmac.hpp"

namespace tfa::otp {

inline constexpr int kMinDigits = 6;  // RFC 4226 §5.3: at least 6
inline constexpr int kMaxDigits = 8;  // more than 8 would exceed the 31-bit truncated value's range

/// RFC 4226 §5.3 dynamic truncation: 31 bits picked from the digest by its last nibble.
std::uint32_t dynamic_truncate(std::span<const std::uint8_t> digest) noexcept;

/// True when `code` is exactly `digits` ASCII digits.
bool is_well_formed_code(std::string_view code, int digits) noexcept;

class Hotp {
 public:
  /// Fails for digits outside 6..8 or an empty key. The key is copied into precomputed HMAC
  /// states; the caller's SecretBytes may be dropped afterwards.
  static Result<Hotp> create(crypto::HashAlgorithm algorithm, int digits, const SecretBytes& key);

  /// The code for `counter` as a number below 10^digits.
  std::uint32_t code(std::uint64_t counter) const noexcept;
  /// The code for `counter` as text, zero-padded to `digits` characters.
  std::string code_text(std::uint64_t counter) const;

  /// Constant-time comparison of `code` (exactly `digits` ASCII digits; anything else never
  /// matches) with the code for `counter`.
  bool matches(std::string_view code, std::uint64_t counter) const noexcept;

  /// Tries counters counter..counter+look_ahead (RFC 4226 §7.4 resynchronisation) and returns
  /// the lowest one that matches. Every counter in the window is computed, so the time taken
  /// does not tell whether or where the code matched.
  std::optional<std::uint64_t> verify(std::string_view code, std::uint64_t counter,
                                      unsigned look_ahead) const noexcept;

  int digits() const noexcept { return digits_; }
  crypto::HashAlgorithm algorithm() const noexcept { return mac_.algorithm(); }

 private:
  Hotp(crypto::CounterHmac mac, int digits) noexcept : mac_(std::move(mac)), digits_(digits) {}

  crypto::CounterHmac mac_;
  int digits_;
};

}  // namespace tfa::otp
