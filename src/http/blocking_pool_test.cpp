#include "http/blocking_pool.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace tfa::http {
namespace {

TEST(BlockingPool, RunsOnAPoolThreadAndResumesOnTheCallersThread) {
  BlockingPool pool(2);
  net::io_context io;
  std::thread::id worker, resumed;
  int value = 0;
  net::co_spawn(io, [&]() -> net::awaitable<void> {
    value = co_await pool.run([&] {
      worker = std::this_thread::get_id();
      return 42;
    });
    resumed = std::this_thread::get_id();
  }, net::detached);
  io.run();
  EXPECT_EQ(value, 42);
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_EQ(resumed, std::this_thread::get_id());
}

TEST(BlockingPool, PassesExceptionsAndVoid) {
  BlockingPool pool(1);
  net::io_context io;
  bool caught = false, ran = false;
  net::co_spawn(io, [&]() -> net::awaitable<void> {
    co_await pool.run([&] { ran = true; });
    try {
      co_await pool.run([]() -> int { throw std::runtime_error("boom"); });
    } catch (const std::runtime_error&) {
      caught = true;
    }
  }, net::detached);
  io.run();
  EXPECT_TRUE(ran);
  EXPECT_TRUE(caught);
}

TEST(BlockingPool, RunsAtMostItsThreadCountAtOnce) {
  BlockingPool pool(2);
  net::io_context io;
  std::atomic<int> running = 0, peak = 0, done = 0;
  for (int i = 0; i < 6; ++i) {
    net::co_spawn(io, [&]() -> net::awaitable<void> {
      co_await pool.run([&] {
        const int now = ++running;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --running;
      });
      ++done;
    }, net::detached);
  }
  io.run();
  EXPECT_EQ(done, 6);
  EXPECT_EQ(peak, 2);
}

}  // namespace
}  // namespace tfa::http
