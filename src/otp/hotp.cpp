#include "otp/hotp.hpp"

#include <openssl/crypto.h>

namespace tfa::otp {
namespace {

constexpr std::uint32_t kPowersOfTen[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                          100000000};

// Writes `value` as exactly `digits` decimal characters, with leading zeros.
void format_code(std::uint32_t value, int digits, char* out) noexcept {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::uint32_t dynamic_truncate(std::span<const std::uint8_t> digest) noexcept {
  const std::size_t offset = digest[digest.size() - 1] & 0x0f;
  return (static_cast<std::uint32_t>(digest[offset] & 0x7f) << 24) |
         (static_cast<std::uint32_t>(digest[offset + 1]) << 16) |
         (static_cast<std::uint32_t>(digest[offset + 2]) << 8) |
         static_cast<std::uint32_t>(digest[offset + 3]);
}

bool is_well_formed_code(std::string_view code, int digits) noexcept {
  if (code.size() != static_cast<std::size_t>(digits)) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Result<Hotp> Hotp::create(crypto::HashAlgorithm algorithm, int digits, const SecretBytes& key) {
  if (digits < kMinDigits || digits > kMaxDigits) {
    return fail(Errc::invalid_argument,
                "digits must be 6, 7 or 8, not " + std::to_string(digits));
  }
  auto mac = crypto::CounterHmac::create(algorithm, key.expose());
  if (!mac) return fail(Errc::invalid_argument, "the secret is empty");
  return Hotp(std::move(*mac), digits);
}

std::uint32_t Hotp::code(std::uint64_t counter) const noexcept {
  const crypto::Digest digest = mac_.mac(counter);
  return dynamic_truncate(digest.view()) % kPowersOfTen[digits_];
}

std::string Hotp::code_text(std::uint64_t counter) const {
  std::string text(static_cast<std::size_t>(digits_), '0');
  format_code(code(counter), digits_, text.data());
  return text;
}

bool Hotp::matches(std::string_view code_given, std::uint64_t counter) const noexcept {
  if (!is_well_formed_code(code_given, digits_)) return false;
  char expected[kMaxDigits];
  format_code(code(counter), digits_, expected);
  return CRYPTO_memcmp(expected, code_given.data(), static_cast<std::size_t>(digits_)) == 0;
}

std::optional<std::uint64_t> Hotp::verify(std::string_view code_given, std::uint64_t counter,
                                          unsigned look_ahead) const noexcept {
  if (!is_well_formed_code(code_given, digits_)) return std::nullopt;
  std::optional<std::uint64_t> found;
  for (std::uint64_t c = counter; c <= counter + look_ahead && c >= counter; ++c) {
    if (matches(code_given, c) && !found) found = c;
  }
  return found;
}

}  // namespace tfa::otp
