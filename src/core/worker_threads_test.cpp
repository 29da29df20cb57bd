#include "core/worker_threads.hpp"

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace tfa::core {
namespace {

TEST(WorkerThreads, RunsWorkOnItsThreadsAndReturnsWhenItIsDone) {
  WorkerThreads workers(2, "test-worker");
  std::mutex mutex;
  std::set<std::thread::id> seen;
  int sum = 0;
  for (int i = 1; i <= 100; ++i) {
    workers.run([&] {
      std::lock_guard lock(mutex);
      seen.insert(std::this_thread::get_id());
      sum += i;
    });
  }
  EXPECT_EQ(sum, 5050) << "each run was over before the next began";
  EXPECT_EQ(seen.count(std::this_thread::get_id()), 0u) << "never on the caller's thread";
  EXPECT_LE(seen.size(), 2u);
}

TEST(WorkerThreads, AnExceptionReachesTheCaller) {
  WorkerThreads workers(1, "test-worker");
  EXPECT_THROW(workers.run([] { throw std::runtime_error("inside"); }), std::runtime_error);
  int after = 0;
  workers.run([&] { after = 1; });
  EXPECT_EQ(after, 1) << "the thread goes on after an exception";
}

TEST(WorkerThreads, ManyCallersAtOnceNeverRunMoreThanTheThreads) {
  WorkerThreads workers(2, "test-worker");
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> done{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 6; ++c) {
    callers.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        workers.run([&] {
          const int now = ++running;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          --running;
          ++done;
        });
      }
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(done.load(), 1800);
  EXPECT_LE(most.load(), 2);
}

}  // namespace
}  // namespace tfa::core
