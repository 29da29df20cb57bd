#include "http/blocking_pool.hpp"

#include <algorithm>

#include "core/thread_name.hpp"

namespace tfa::http {

BlockingPool::BlockingPool(int threads)
    : pool_(static_cast<std::size_t>(std::max(threads, 1))) {}

BlockingPool::~BlockingPool() { join(); }

void BlockingPool::join() { pool_.join(); }

void BlockingPool::name_worker_thread() noexcept {
  thread_local bool named = false;
  if (named) return;
  core::name_this_thread("tfa-worker");
  named = true;
}

}  // namespace tfa::http
