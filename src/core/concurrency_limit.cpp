#include "core/concurrency_limit.hpp"

namespace tfa::core {

int ConcurrencyLimit::free_turns() {
  std::lock_guard lock(mutex_);
  return free_;
}

void ConcurrencyLimit::take() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [this] { return free_ > 0; });
  --free_;
}

void ConcurrencyLimit::give_back() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_one();
}

}  // namespace tfa::core
