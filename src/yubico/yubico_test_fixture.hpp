#pragma once
// Test support: the auth tests' SQLite database with a YubiKey store, one imported key, and
// OTPs made for it as the key would type them.
#include "auth/auth_test_db.hpp"
#include "otp/yubico_otp.hpp"
#include "storage/sql/sql_yubikey_store.hpp"

namespace tfa::yubico::test {

inline constexpr std::string_view kPublicId = "vvcccchnrhbr";
inline const std::array<std::uint8_t, 6> kPrivateId{0x87, 0x92, 0xeb, 0xfe, 0x26, 0xcc};
inline const std::array<std::uint8_t, 16> kAesKey{0xec, 0xde, 0x18, 0xdb, 0xe7, 0x6f, 0xbd, 0x0c,
                                                  0x33, 0x33, 0x0f, 0x1c, 0x35, 0x48, 0x71, 0xdb};

class YubicoTest : public auth::test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    keys_ = std::make_unique<storage::sql::SqlYubiKeyStore>(*database_, sealer_, random_);
    ASSERT_TRUE(keys_->import_key(kPublicId, kPrivateId, kAesKey, now(), false));
  }
  void TearDownServices() override { keys_.reset(); }

  /// The OTP the key types at power-up `usage`, touch `session`.
  static std::string otp(std::uint16_t usage, std::uint8_t session,
                         std::span<const std::uint8_t> private_id = kPrivateId,
                         std::span<const std::uint8_t> aes_key = kAesKey) {
    otp::YubicoToken token;
    std::copy(private_id.begin(), private_id.end(), token.private_id.begin());
    token.usage_counter = usage;
    token.session_counter = session;
    token.timestamp = 0x1234 + session;
    token.random = 0xbeef;
    return otp::make_yubico_otp(kPublicId, token, aes_key).value();
  }

  std::unique_ptr<storage::sql::SqlYubiKeyStore> keys_;
};

}  // namespace tfa::yubico::test
