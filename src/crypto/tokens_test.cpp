#include "crypto/tokens.hpp"

#include <gtest/gtest.h>

#include <set>

#include "crypto/os_random.hpp"
#include "crypto/sealer.hpp"

namespace tfa::crypto {
namespace {

TEST(Tokens, AreUrlSafeAndDistinct) {
  OsRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto token = new_token(random);
    EXPECT_TRUE(looks_like_token(token)) << token;
    EXPECT_TRUE(seen.insert(token).second);
  }
}

TEST(Tokens, HashIsSha256OfTheText) {
  // SHA-256("abc"), FIPS 180-2 Appendix B.1.
  const auto hash = token_hash("abc");
  ASSERT_EQ(hash.size(), 32u);
  EXPECT_EQ(hash[0], 0xba);
  EXPECT_EQ(hash[31], 0xad);
  EXPECT_NE(token_hash("abd"), hash);
}

TEST(Tokens, LooksLikeTokenRefusesJunk) {
  EXPECT_FALSE(looks_like_token(""));
  EXPECT_FALSE(looks_like_token(std::string(42, 'a')));
  EXPECT_FALSE(looks_like_token(std::string(44, 'a')));
  EXPECT_FALSE(looks_like_token(std::string(42, 'a') + "="));
  EXPECT_FALSE(looks_like_token(std::string(42, 'a') + "/"));
  EXPECT_TRUE(looks_like_token(std::string(42, 'a') + "-"));
}

TEST(Tokens, DerivedKeysDependOnPurposeAndServerKey) {
  SecretBytes one(kServerKeySize), two(kServerKeySize);
  two.expose_mutable()[0] = 1;
  const auto a = Sealer::create(std::move(one)).value();
  const auto b = Sealer::create(std::move(two)).value();
  EXPECT_TRUE(a.derive_key("csrf") == a.derive_key("csrf"));
  EXPECT_FALSE(a.derive_key("csrf") == a.derive_key("other"));
  EXPECT_FALSE(a.derive_key("csrf") == b.derive_key("csrf"));
  EXPECT_EQ(a.derive_key("csrf").size(), kServerKeySize);
}

}  // namespace
}  // namespace tfa::crypto
