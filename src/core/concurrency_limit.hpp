#pragma once
// A bound on how many callers do something at once (password hashes, say, each of which holds
// megabytes while it runs). Callers beyond the bound wait their turn, woken in no set order.
//
// A mutex and a condition variable rather than std::counting_semaphore: libstdc++'s semaphore
// spins with sched_yield before it sleeps, and a few waiting threads then take the CPU from
// the ones doing the work.
#include <condition_variable>
#include <mutex>

namespace tfa::core {

class ConcurrencyLimit {
 public:
  /// `at_once` must be at least 1.
  explicit ConcurrencyLimit(int at_once) : free_(at_once) {}
  ConcurrencyLimit(const ConcurrencyLimit&) = delete;
  ConcurrencyLimit& operator=(const ConcurrencyLimit&) = delete;

  /// A turn, held for the lifetime of the Turn; waits while `at_once` others hold theirs.
  /// A null `limit` means no limit: the Turn then does nothing.
  class Turn {
   public:
    explicit Turn(ConcurrencyLimit* limit) : limit_(limit) { if (limit_) limit_->take(); }
    ~Turn() { if (limit_) limit_->give_back(); }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

   private:
    ConcurrencyLimit* limit_;
  };

  /// How many more turns could be taken right now without waiting.
  int free_turns();

 private:
  void take();
  void give_back();

  std::mutex mutex_;
  std::condition_variable freed_;
  int free_;
};

}  // namespace tfa::core
