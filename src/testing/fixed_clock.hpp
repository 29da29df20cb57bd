#pragma once
// A Clock that stands still until a test moves it.
#include <atomic>
#include <chrono>

#include "core/clock.hpp"

namespace tfa::testing {

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point now) : now_(now) {}
  std::chrono::system_clock::time_point now() const override { return now_.load(); }
  void set(std::chrono::system_clock::time_point now) { now_.store(now); }
  void advance(std::chrono::system_clock::duration by) { now_.store(now_.load() + by); }

 private:
  std::atomic<std::chrono::system_clock::time_point> now_;
};

}  // namespace tfa::testing
