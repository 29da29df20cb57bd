#pragma once
// Fresh identifiers for outgoing mail, from the OS's CSPRNG (libsodium's randombytes_buf).
// Internal to tfa_notify. Thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

namespace tfa::notify::detail {

/// `bytes` random bytes as lower-case hex (twice as many characters).
std::string random_hex(std::size_t bytes);

/// "<32 hex digits>@DOMAIN" (no angle brackets), DOMAIN being the domain of `from`'s address,
/// or "localhost" when it has none or it holds characters a Message-ID cannot carry. The 128
/// random bits make it unique without a counter shared between instances (RFC 5322 3.6.4).
std::string new_message_id(std::string_view from);

}  // namespace tfa::notify::detail
