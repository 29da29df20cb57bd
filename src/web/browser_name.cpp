#include "web/browser_name.hpp"

namespace tfa::web {
namespace {

bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", Android "Linux".
std::string_view browser(std::string_view ua) {
  if (has(ua, "Edg/")) return "Edge";
  if (has(ua, "OPR/")) return "Opera";
  if (has(ua, "Firefox/")) return "Firefox";
  if (has(ua, "Chrome/") || has(ua, "Chromium/") || has(ua, "HeadlessChrome/")) return "Chrome";
  if (has(ua, "Safari/")) return "Safari";
  if (has(ua, "curl/")) return "curl";
  return "";
}

std::string_view system(std::string_view ua) {
  if (has(ua, "iPhone")) return "iPhone";
  if (has(ua, "iPad")) return "iPad";
  if (has(ua, "Android")) return "Android";
  if (has(ua, "Windows")) return "Windows";
  if (has(ua, "Mac OS X") || has(ua, "Macintosh")) return "macOS";
  if (has(ua, "CrOS")) return "ChromeOS";
  if (has(ua, "Linux")) return "Linux";
  return "";
}

}  // namespace

std::string browser_name(std::string_view user_agent) {
  const auto b = browser(user_agent);
  const auto s = system(user_agent);
  if (b.empty() && s.empty()) return "Unknown browser";
  if (b.empty()) return "Browser on " + std::string(s);
  if (s.empty()) return std::string(b);
  return std::string(b) + " on " + std::string(s);
}

}  // namespace tfa::web
