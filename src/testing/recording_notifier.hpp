#pragma once
// A Notifier for unit tests that keeps every message it is given, so a test can read the
// mail a service sent (the real transports are tested against a real SMTP server).
#include <mutex>
#include <vector>

#include "notify/notifier.hpp"

namespace tfa::testing {

class RecordingNotifier final : public notify::Notifier {
 public:
  Result<void> send(const notify::Message& message) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(message);
    return {};
  }
  std::vector<notify::Message> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<notify::Message> sent_;
};

}  // namespace tfa::testing
