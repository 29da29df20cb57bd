#pragma once
// What makes a user name, an e-mail address and a password acceptable. Each check returns a
// message a person can act on.
#include <cstddef>
#include <string_view>

#include "core/result.hpp"

namespace tfa::auth {

inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path limit
inline constexpr std::size_t kMaxPasswordBytes = 1024;

/// 1 to 64 characters: letters, digits and . _ - @ +. Names are compared without regard to case.
Result<void> check_user_name(std::string_view name);
/// One '@' with text on both sides, no spaces or control characters, at most 254 bytes.
/// (Deliverability is proven by mail, not by a pattern.)
Result<void> check_email(std::string_view email);
/// At least `min_length` characters (Unicode code points) and at most 1024 bytes.
Result<void> check_password(std::string_view password, std::size_t min_length);

}  // namespace tfa::auth
