#pragma once
// Reading YubiKey secrets as operators have them: one key on the command line, or a CSV file
// as the YubiKey Personalization Tool writes it ("Yubico OTP,<date>,<slot>,<public ID>,
// <private ID>,<AES key>,..."), or plain "public ID,private ID,AES key" rows.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tfa::cli {

struct YubiKeySecrets {
  std::string public_id;                  // lower-case modhex
  std::array<std::uint8_t, 6> private_id{};
  std::array<std::uint8_t, 16> aes_key{};
};

/// The public ID in modhex (2 to 32 characters), the private ID as 12 hex digits and the
/// AES key as 32 hex digits. Errc::invalid_argument naming the field that is wrong.
Result<YubiKeySecrets> parse_yubikey_secrets(std::string_view public_id, std::string_view private_id,
                                             std::string_view aes_key);

/// Every key in a CSV text. Blank lines, lines starting with '#' and the tool's "LOGGING
/// START" lines are skipped; any other line that is not a key is an error naming its number.
Result<std::vector<YubiKeySecrets>> parse_yubikey_csv(std::string_view text);

}  // namespace tfa::cli
