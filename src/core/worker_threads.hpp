#pragma once
// A fixed set of threads that run work for callers who wait for it: each thread takes the
// oldest queued work, runs it, hands the caller its outcome, and takes the next.
//
// For long CPU-bound work (password hashes of milliseconds) whose threads should keep their
// cores: a thread that finishes one work goes straight to the next, where a caller that ran
// the work itself would go back to its own affairs, and a waiting one would be woken on
// whichever core the scheduler chose, often one that is busy hashing already. For work
// shorter than a thread handoff (some microseconds), run it on the calling thread instead.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tfa::core {

class WorkerThreads {
 public:
  /// Starts `count` threads (at least one), named `name`.
  WorkerThreads(int count, const char* name);
  /// Lets the threads finish what is queued, then joins them. Only once no caller waits.
  ~WorkerThreads();
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;

  /// Runs `work` on one of the threads and returns when it is done; an exception from it is
  /// rethrown here. The caller waits meanwhile, so `work` may use what the caller's stack holds.
  void run(const std::function<void()>& work);

 private:
  struct Job {
    explicit Job(const std::function<void()>* w) : work(w) {}
    const std::function<void()>* work;
    std::exception_ptr exception;
    bool done = false;                 // under mutex_
    std::condition_variable finished;  // notified once done
  };
  void serve();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tfa::core
