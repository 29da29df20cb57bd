#include "http/blocking_pool.hpp"

#include <algorithm>

namespace tfa::http {

BlockingPool::BlockingPool(int threads)
    : pool_(static_cast<std::size_t>(std::max(threads, 1))) {}

BlockingPool::~BlockingPool() { join(); }

void BlockingPool::join() { pool_.join(); }

}  // namespace tfa::http
