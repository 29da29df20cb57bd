#include "otp/secret.hpp"

#include <gtest/gtest.h>

#include "crypto/os_random.hpp"
#include "testing/scripted_random.hpp"

namespace tfa::otp {
namespace {

using crypto::HashAlgorithm;

TEST(Secret, RecommendedSizesFollowTheHashOutput) {
  EXPECT_EQ(recommended_secret_size(HashAlgorithm::sha1), 20u);
  EXPECT_EQ(recommended_secret_size(HashAlgorithm::sha256), 32u);
  EXPECT_EQ(recommended_secret_size(HashAlgorithm::sha512), 64u);
}

TEST(Secret, DrawsItsBytesFromTheRandomSource) {
  testing::ScriptedRandom random({0xAB, 0xCD});
  const auto secret = generate_secret(HashAlgorithm::sha256, random);
  ASSERT_EQ(secret.size(), 32u);
  EXPECT_EQ(random.requested(), 32u);
  EXPECT_EQ(secret.expose()[0], 0xAB);
  EXPECT_EQ(secret.expose()[31], 0xCD);
}

TEST(Secret, OsRandomSecretsDiffer) {
  crypto::OsRandom random;
  const auto a = generate_secret(HashAlgorithm::sha1, random);
  const auto b = generate_secret(HashAlgorithm::sha1, random);
  EXPECT_EQ(a.size(), 20u);
  EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace tfa::otp
