#include "crypto/sealer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crypto/os_random.hpp"

namespace tfa::crypto {
namespace {

SecretBytes key_of(std::uint8_t fill) {
  SecretBytes key(kServerKeySize);
  for (auto& b : key.expose_mutable()) b = fill;
  return key;
}

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string text_of(const SecretBytes& s) {
  return {s.expose().begin(), s.expose().end()};
}

class SealerTest : public ::testing::Test {
 protected:
  OsRandom random_;
  Sealer sealer_ = Sealer::create(key_of(1)).value();
};

TEST_F(SealerTest, OpensWhatItSealedInTheSameContext) {
  const auto sealed = sealer_.seal(bytes_of("the totp secret"), "factors.sealed_secret:7", random_);
  EXPECT_EQ(text_of(sealer_.open(sealed, "factors.sealed_secret:7").value()), "the totp secret");
  EXPECT_TRUE(sealer_.sealed_with_primary(sealed));
}

TEST_F(SealerTest, SealedValueDoesNotContainThePlaintext) {
  const std::string secret = "JBSWY3DPEHPK3PXP-plaintext";
  const auto sealed = sealer_.seal(bytes_of(secret), "ctx", random_);
  const std::string raw(sealed.begin(), sealed.end());
  EXPECT_EQ(raw.find(secret), std::string::npos);
}

TEST_F(SealerTest, SealingTwiceGivesDifferentValues) {
  EXPECT_NE(sealer_.seal(bytes_of("x"), "ctx", random_), sealer_.seal(bytes_of("x"), "ctx", random_));
}

TEST_F(SealerTest, AValueMovedToAnotherRowDoesNotOpen) {
  const auto sealed = sealer_.seal(bytes_of("secret"), "factors.sealed_secret:7", random_);
  auto opened = sealer_.open(sealed, "factors.sealed_secret:8");
  ASSERT_FALSE(opened.has_value());
  EXPECT_NE(opened.error().message.find("moved from another row"), std::string::npos);
}

TEST_F(SealerTest, AnyFlippedByteIsDetected) {
  const auto sealed = sealer_.seal(bytes_of("secret"), "ctx", random_);
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    auto tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(sealer_.open(tampered, "ctx").has_value()) << "byte " << i;
  }
}

TEST_F(SealerTest, TruncatedAndEmptyValuesAreMalformed) {
  EXPECT_FALSE(sealer_.open({}, "ctx").has_value());
  const auto sealed = sealer_.seal(bytes_of("secret"), "ctx", random_);
  EXPECT_FALSE(sealer_.open(std::span(sealed).first(20), "ctx").has_value());
}

TEST_F(SealerTest, AnotherKeyCannotOpenAndSaysWhichKeyIsMissing) {
  const auto sealed = sealer_.seal(bytes_of("secret"), "ctx", random_);
  auto other = Sealer::create(key_of(2)).value();
  auto opened = other.open(sealed, "ctx");
  ASSERT_FALSE(opened.has_value());
  EXPECT_NE(opened.error().message.find(sealer_.primary_key_id()), std::string::npos);
}

TEST_F(SealerTest, OlderKeysStillOpenAfterRotation) {
  const auto sealed = sealer_.seal(bytes_of("secret"), "ctx", random_);
  std::vector<SecretBytes> older;
  older.push_back(key_of(1));
  auto rotated = Sealer::create(key_of(2), std::move(older)).value();
  EXPECT_EQ(text_of(rotated.open(sealed, "ctx").value()), "secret");
  EXPECT_FALSE(rotated.sealed_with_primary(sealed));
}

TEST(Sealer, RejectsKeysOfTheWrongSize) {
  EXPECT_FALSE(Sealer::create(SecretBytes(16)).has_value());
  std::vector<SecretBytes> older;
  older.emplace_back(31);
  EXPECT_FALSE(Sealer::create(key_of(1), std::move(older)).has_value());
}

}  // namespace
}  // namespace tfa::crypto
