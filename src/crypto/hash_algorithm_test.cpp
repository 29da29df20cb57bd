#include "crypto/hash_algorithm.hpp"

#include <gtest/gtest.h>

namespace tfa::crypto {
namespace {

TEST(HashAlgorithm, ParsesNamesInAnyCaseWithOrWithoutHyphen) {
  EXPECT_EQ(parse_hash_algorithm("SHA1").value(), HashAlgorithm::sha1);
  EXPECT_EQ(parse_hash_algorithm("sha1").value(), HashAlgorithm::sha1);
  EXPECT_EQ(parse_hash_algorithm("SHA-256").value(), HashAlgorithm::sha256);
  EXPECT_EQ(parse_hash_algorithm("sha512").value(), HashAlgorithm::sha512);
}

TEST(HashAlgorithm, RejectsUnknownNamesInsteadOfFallingBack) {
  auto result = parse_hash_algorithm("MD5");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("'MD5'"), std::string::npos);
  EXPECT_NE(result.error().message.find("SHA1, SHA256 or SHA512"), std::string::npos);
  EXPECT_FALSE(parse_hash_algorithm("").has_value());
  EXPECT_FALSE(parse_hash_algorithm("SHA3").has_value());
}

TEST(HashAlgorithm, NamesRoundTrip) {
  for (auto a : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha512}) {
    EXPECT_EQ(parse_hash_algorithm(to_string(a)).value(), a);
  }
  EXPECT_EQ(digest_size(HashAlgorithm::sha1), 20u);
  EXPECT_EQ(digest_size(HashAlgorithm::sha256), 32u);
  EXPECT_EQ(digest_size(HashAlgorithm::sha512), 64u);
}

}  // namespace
}  // namespace tfa::crypto
