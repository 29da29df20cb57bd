#include "crypto/counter_hmac.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/hmac.hpp"

namespace tfa::crypto {
namespace {

std::array<std::uint8_t, 8> big_endian(std::uint64_t counter) {
  std::array<std::uint8_t, 8> out;
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(counter >> (56 - 8 * i));
  return out;
}

// The precomputed-state HMAC must equal OpenSSL's general HMAC for every algorithm and for key
// lengths around the block size, where RFC 2104's key handling changes (keys longer than a
// block are hashed first).
TEST(CounterHmac, AgreesWithGeneralHmacForAllAlgorithmsAndKeyLengths) {
  std::mt19937_64 rng(20261125);
  for (auto algorithm : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha512}) {
    for (std::size_t key_size : {1u, 10u, 20u, 32u, 63u, 64u, 65u, 100u, 127u, 128u, 129u, 200u}) {
      std::vector<std::uint8_t> key(key_size);
      for (auto& b : key) b = static_cast<std::uint8_t>(rng());
      auto mac = CounterHmac::create(algorithm, key);
      ASSERT_TRUE(mac.has_value());
      for (std::uint64_t counter : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{56666666},
                                    rng(), ~std::uint64_t{0}}) {
        const auto expected = hmac(algorithm, key, big_endian(counter));
        const auto actual = mac->mac(counter);
        ASSERT_EQ(actual.size, digest_size(algorithm));
        EXPECT_TRUE(std::equal(expected.view().begin(), expected.view().end(),
                               actual.view().begin(), actual.view().end()))
            << to_string(algorithm) << " key size " << key_size << " counter " << counter;
      }
    }
  }
}

TEST(CounterHmac, RejectsAnEmptyKey) {
  EXPECT_FALSE(CounterHmac::create(HashAlgorithm::sha1, {}).has_value());
}

TEST(CounterHmac, StillWorksAfterMove) {
  std::vector<std::uint8_t> key(20, 7);
  auto mac = CounterHmac::create(HashAlgorithm::sha256, key);
  ASSERT_TRUE(mac.has_value());
  CounterHmac moved = std::move(*mac);
  const auto expected = hmac(HashAlgorithm::sha256, key, big_endian(42));
  const auto actual = moved.mac(42);
  EXPECT_TRUE(std::equal(expected.view().begin(), expected.view().end(), actual.view().begin()));
}

}  // namespace
}  // namespace tfa::crypto
