#pragma once
// Modhex, the hexadecimal of YubiKeys: the digits 0-f written as "cbdefghijklnrtuv", letters
// that sit at the same place on most keyboard layouts, so a key typing them as a keyboard
// produces the same text whatever layout the computer uses.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tfa::otp {

std::string modhex_encode(std::span<const std::uint8_t> bytes);
/// The bytes of `text` (upper or lower case); nullopt when its length is odd or a character
/// is not modhex.
std::optional<std::vector<std::uint8_t>> modhex_decode(std::string_view text);
/// True when every character is modhex (either case) and the length is even.
bool is_modhex(std::string_view text) noexcept;

}  // namespace tfa::otp
