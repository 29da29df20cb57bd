#include "crypto/aes_block.hpp"

#include <gtest/gtest.h>

namespace tfa::crypto {
namespace {

// FIPS-197 Appendix C.1: AES-128 with key 000102...0f.
TEST(AesBlock, MatchesFips197AppendixC1) {
  std::array<std::uint8_t, 16> key{};
  AesBlock plain{};
  for (std::uint8_t i = 0; i < 16; ++i) {
    key[i] = i;
    plain[i] = static_cast<std::uint8_t>(i * 0x11);
  }
  const AesBlock expected{0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                          0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
  auto encrypted = aes128_encrypt_block(key, plain);
  ASSERT_TRUE(encrypted);
  EXPECT_EQ(*encrypted, expected);
  auto decrypted = aes128_decrypt_block(key, expected);
  ASSERT_TRUE(decrypted);
  EXPECT_EQ(*decrypted, plain);
}

TEST(AesBlock, RefusesAKeyOfTheWrongSize) {
  std::array<std::uint8_t, 15> key{};
  auto result = aes128_decrypt_block(key, AesBlock{});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace tfa::crypto
