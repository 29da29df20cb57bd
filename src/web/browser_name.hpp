#pragma once
#include <string>
#include <string_view>

namespace tfa::web {

/// A short name for a User-Agent header, for the trusted devices list: "Chrome on Linux",
/// "Firefox on Windows", "Safari on iPhone"; "Unknown browser" when nothing is recognised.
std::string browser_name(std::string_view user_agent);

}  // namespace tfa::web
