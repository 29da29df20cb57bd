#include "notify/message_id.hpp"

#include <cstdlib>
#include <vector>

#include <sodium.h>

#include "notify/address.hpp"

namespace tfa::notify::detail {
namespace {

bool is_dot_atom(std::string_view domain) {
  if (domain.empty() || domain.front() == '.' || domain.back() == '.') return false;
  for (unsigned char c : domain) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  // sodium_init is idempotent and thread-safe; without an entropy source ids would repeat.
  static const bool initialised = sodium_init() >= 0;
  if (!initialised) std::abort();
  std::vector<unsigned char> raw(bytes);
  if (bytes > 0) randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

std::string new_message_id(std::string_view from) {
  const std::string_view domain = address_domain(from);
  return random_hex(16) + "@" + std::string(is_dot_atom(domain) ? domain : "localhost");
}

}  // namespace tfa::notify::detail
