#include "crypto/hmac.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tfa::crypto {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string hex(std::span<const std::uint8_t> bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

// RFC 4231 test case 2 ("Jefe"), and RFC 2202 test case 2 for SHA-1.
TEST(Hmac, MatchesRfcVectors) {
  auto key = bytes_of("Jefe");
  auto data = bytes_of("what do ya want for nothing?");
  EXPECT_EQ(hex(hmac(HashAlgorithm::sha1, key, data).view()),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex(hmac(HashAlgorithm::sha256, key, data).view()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(hmac(HashAlgorithm::sha512, key, data).view()),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d03"
            "4f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

}  // namespace
}  // namespace tfa::crypto
