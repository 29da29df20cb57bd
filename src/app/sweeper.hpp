#pragma once
// A background thread of `tfa serve` that deletes expired rows (sessions, trusted devices,
// pending enrollments, old e-mail tokens, idle throttle keys) at start and then every
// `interval`, so that visitors who never sign in cannot grow the database without bound.
// With several instances on one database each sweeps; the deletes are idempotent.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "storage/expiry_store.hpp"

namespace tfa::app {

class Sweeper {
 public:
  Sweeper(storage::ExpiryStore& store, const Clock& clock, std::chrono::seconds interval);
  ~Sweeper();  // stop()
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

  /// One sweep now, on the caller's thread; what it removed (also logged when not nothing).
  Result<storage::ExpiredRows> sweep_once();
  /// Ends the thread; a sweep in progress finishes first. Idempotent.
  void stop();

 private:
  void run();

  storage::ExpiryStore& store_;
  const Clock& clock_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tfa::app
