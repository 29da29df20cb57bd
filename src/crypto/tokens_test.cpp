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

TEST(Tokens, Base64urlMatchesRfc4648Vectors) {
  // RFC 4648 §10, unpadded; then the two characters where base64url differs from base64.
  auto bytes = [](std::string_view text) { return std::vector<std::uint8_t>(text.begin(), text.end()); };
  EXPECT_EQ(to_base64url(bytes("")), "");
  EXPECT_EQ(to_base64url(bytes("f")), "Zg");
  EXPECT_EQ(to_base64url(bytes("fo")), "Zm8");
  EXPECT_EQ(to_base64url(bytes("foobar")), "Zm9vYmFy");
  const std::vector<std::uint8_t> high{0xfb, 0xff};
  EXPECT_EQ(to_base64url(high), "-_8");
  EXPECT_EQ(from_base64url("-_8"), high);
  EXPECT_EQ(from_base64url("Zm9vYmFy"), bytes("foobar"));
}

TEST(Tokens, Base64urlRefusesOtherText) {
  EXPECT_FALSE(from_base64url("+/8"));       // standard base64's alphabet
  EXPECT_FALSE(from_base64url("Zm8="));      // padding
  EXPECT_FALSE(from_base64url("Zm 9v"));     // a space inside
  EXPECT_FALSE(from_base64url("Z"));         // no whole byte
}

TEST(Tokens, TypedTokenDropsWhitespaceAndStopsAtTheLimit) {
  EXPECT_EQ(typed_token(" ab\r\n cd\t"), "abcd");
  EXPECT_EQ(typed_token("abcdef", 4), "abcd");
  EXPECT_EQ(typed_token(""), "");
}

}  // namespace
}  // namespace tfa::crypto
