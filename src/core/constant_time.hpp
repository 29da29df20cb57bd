#pragma once
// Comparison whose running time depends only on the lengths of its inputs, never on their
// contents, so that an attacker timing responses learns nothing about a secret or a code.
#include <cstdint>
#include <span>
#include <string_view>

namespace tfa {

/// True when `a` and `b` hold the same bytes. Constant time in the contents; the lengths are
/// treated as public (unequal lengths return false at once).
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// Overwrites `bytes` with zeros in a way the optimiser may not remove.
void secure_wipe(std::span<std::uint8_t> bytes) noexcept;

}  // namespace tfa
