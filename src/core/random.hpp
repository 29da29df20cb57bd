#pragma once
// Where random bytes come from. Production code uses crypto::OsRandom (the OS's CSPRNG);
// tests may pass a scripted source to get known secrets.
#include <cstdint>
#include <span>

namespace tfa {

class Random {
 public:
  virtual ~Random() = default;
  /// Fills `out` with random bytes. Never fails: a CSPRNG that cannot deliver aborts the process.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

}  // namespace tfa
