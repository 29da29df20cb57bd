#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tfa::crypto {

/// A hash or MAC output of up to 64 bytes, held by value so computing one never allocates.
struct Digest {
  std::array<std::uint8_t, 64> bytes{};
  std::size_t size = 0;

  std::span<const std::uint8_t> view() const noexcept { return {bytes.data(), size}; }
};

}  // namespace tfa::crypto
