#pragma once
// A Random that hands out known bytes: a fixed script, repeated as needed. For tests that
// need to know which secret or token was generated.
#include <cstdint>
#include <vector>

#include "core/random.hpp"

namespace tfa::testing {

class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::vector<std::uint8_t> script) : script_(std::move(script)) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& byte : out) {
      byte = script_[next_ % script_.size()];
      ++next_;
    }
    requested_ += out.size();
  }
  /// Total bytes asked for so far.
  std::size_t requested() const { return requested_; }

 private:
  std::vector<std::uint8_t> script_;
  std::size_t next_ = 0;
  std::size_t requested_ = 0;
};

}  // namespace tfa::testing
