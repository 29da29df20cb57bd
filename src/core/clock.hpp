#pragma once
// Where "now" comes from. Services receive a Clock so that tests can set the time; pure
// functions (otp/) take the moment as a plain value instead.
#include <chrono>

namespace tfa {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace tfa
