#include "core/worker_threads.hpp"

#include <algorithm>

#include "core/thread_name.hpp"

namespace tfa::core {

WorkerThreads::WorkerThreads(int count, const char* name) {
  for (int i = 0; i < std::max(count, 1); ++i) {
    threads_.emplace_back([this, name] {
      name_this_thread(name);
      serve();
    });
  }
}

WorkerThreads::~WorkerThreads() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerThreads::run(const std::function<void()>& work) {
  Job job(&work);
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  queued_.notify_one();
  job.finished.wait(lock, [&job] { return job.done; });
  lock.unlock();
  if (job.exception) std::rethrow_exception(job.exception);
}

void WorkerThreads::serve() {
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and nothing left
    Job* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    try {
      (*job->work)();
    } catch (...) {
      job->exception = std::current_exception();
    }
    lock.lock();
    // Notified under the lock: the caller owns the job, which may be gone once it wakes.
    job->done = true;
    job->finished.notify_one();
  }
}

}  // namespace tfa::core
