// Fuzzes Base32, the format secrets are typed and scanned in. Whatever base32_decode accepts
// must re-encode to text that decodes to the same bytes, and any bytes must survive
// encode-then-decode unchanged.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/base32.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (auto decoded = tfa::base32_decode({reinterpret_cast<const char*>(data), size})) {
    auto again = tfa::base32_decode(tfa::base32_encode(decoded->expose()));
    if (!again || !(*again == *decoded)) __builtin_trap();
  }

  // The same input read as raw bytes; an empty secret is refused by design.
  if (size == 0) return 0;
  const std::string encoded = tfa::base32_encode({data, size});
  auto bytes = tfa::base32_decode(encoded);
  if (!bytes || bytes->size() != size) __builtin_trap();
  const auto span = bytes->expose();
  if (!std::equal(span.begin(), span.end(), data)) __builtin_trap();
  return 0;
}
