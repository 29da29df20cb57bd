#include "crypto/os_random.hpp"

#include <cstdlib>

#include <sodium.h>

namespace tfa::crypto {

OsRandom::OsRandom() {
  // sodium_init is idempotent and thread-safe; a negative result means no usable entropy source,
  // and running on without one would hand out predictable secrets.
  if (sodium_init() < 0) std::abort();
}

void OsRandom::fill(std::span<std::uint8_t> out) {
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

}  // namespace tfa::crypto
