#include "cli/yubikey_import.hpp"

#include <gtest/gtest.h>

namespace tfa::cli {
namespace {

TEST(YubiKeyImport, ReadsOneKeyFromTheCommandLine) {
  auto key = parse_yubikey_secrets("VVCCCCHNRHBR", "8792ebfe26cc", "ECDE18DBE76FBD0C33330F1C354871DB");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->public_id, "vvcccchnrhbr");
  EXPECT_EQ(key->private_id[0], 0x87);
  EXPECT_EQ(key->aes_key[15], 0xdb);
}

TEST(YubiKeyImport, NamesTheFieldThatIsWrong) {
  EXPECT_NE(parse_yubikey_secrets("vvccccaaaaaa", "8792ebfe26cc", std::string(32, '0')).error().message.find("public ID"),
            std::string::npos);
  EXPECT_NE(parse_yubikey_secrets("vvcccchnrhbr", "8792ebfe26", std::string(32, '0')).error().message.find("private ID"),
            std::string::npos);
  EXPECT_NE(parse_yubikey_secrets("vvcccchnrhbr", "8792ebfe26cc", std::string(31, '0')).error().message.find("AES key"),
            std::string::npos);
}

TEST(YubiKeyImport, ReadsThePersonalizationToolsLogAndPlainRows) {
  const std::string csv =
      "LOGGING START,12/02/26 06:00\n"
      "Yubico OTP,12/02/26 06:01,1,vvccccfiluij,267e04a92acb,998c5b5d33a6c8cf7b8c8e48c6bb1c87,,,0,0,0,0,0,0,0,0,0,0\n"
      "\n"
      "# a comment\n"
      "vvcccchnrhbr, 8792ebfe26cc, ecde18dbe76fbd0c33330f1c354871db\r\n";
  auto keys = parse_yubikey_csv(csv);
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].public_id, "vvccccfiluij");
  EXPECT_EQ((*keys)[0].private_id[0], 0x26);
  EXPECT_EQ((*keys)[1].public_id, "vvcccchnrhbr");
}

TEST(YubiKeyImport, RefusesTheWholeFileForOneBadLine) {
  auto keys = parse_yubikey_csv("vvcccchnrhbr,8792ebfe26cc,ecde18dbe76fbd0c33330f1c354871db\nnot,a,key\n");
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace tfa::cli
