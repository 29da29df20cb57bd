#pragma once
// Random bytes from the operating system's CSPRNG (getrandom(2), through libsodium).
#include "core/random.hpp"

namespace tfa::crypto {

class OsRandom final : public Random {
 public:
  /// Initialises libsodium once; aborts the process if the OS offers no CSPRNG.
  OsRandom();
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace tfa::crypto
