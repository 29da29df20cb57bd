#include "core/concurrency_limit.hpp"

#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

namespace tfa::core {
namespace {

TEST(ConcurrencyLimit, TurnsAreCountedAndGivenBack) {
  ConcurrencyLimit limit(2);
  EXPECT_EQ(limit.free_turns(), 2);
  {
    ConcurrencyLimit::Turn first(&limit);
    EXPECT_EQ(limit.free_turns(), 1);
    {
      ConcurrencyLimit::Turn second(&limit);
      EXPECT_EQ(limit.free_turns(), 0);
    }
    EXPECT_EQ(limit.free_turns(), 1);
  }
  EXPECT_EQ(limit.free_turns(), 2);
}

TEST(ConcurrencyLimit, ACallerBeyondTheLimitWaitsUntilATurnIsGivenBack) {
  ConcurrencyLimit limit(1);
  std::optional<ConcurrencyLimit::Turn> held(std::in_place, &limit);
  std::atomic<bool> got_turn{false};
  std::promise<void> started;
  std::thread waiter([&] {
    started.set_value();
    ConcurrencyLimit::Turn turn(&limit);
    got_turn = true;
  });
  started.get_future().wait();
  // The waiter cannot have a turn while ours is held, however long it has run.
  EXPECT_EQ(limit.free_turns(), 0);
  EXPECT_FALSE(got_turn.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(got_turn.load());
  EXPECT_EQ(limit.free_turns(), 1);
}

TEST(ConcurrencyLimit, ManyThreadsNeverHoldMoreThanTheLimit) {
  ConcurrencyLimit limit(3);
  std::atomic<int> holding{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        ConcurrencyLimit::Turn turn(&limit);
        const int now = ++holding;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --holding;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(limit.free_turns(), 3);
}

}  // namespace
}  // namespace tfa::core
