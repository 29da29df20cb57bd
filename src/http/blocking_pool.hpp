#pragma once
// Threads for the slow steps of requests: Argon2id password hashing, a remote YubiKey
// validation server, and the database writes that follow them. A slow step never holds up an
// I/O thread, and with it every other connection on that thread.
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/types.hpp"

namespace tfa::http {

class BlockingPool {
 public:
  /// Starts `threads` worker threads (at least one).
  explicit BlockingPool(int threads);
  /// Waits for queued work, like join().
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  /// Runs `f()` on a worker thread and resumes the calling coroutine on its own executor with
  /// the result; an exception from `f` is rethrown in the caller. At most `threads` calls run
  /// at once; the others wait in the queue, in order. `f` is moved into the pool, so it must
  /// own what it uses or refer to things that outlive the co_await.
  template <class F>
  net::awaitable<std::invoke_result_t<F>> run(F f) {
    using R = std::invoke_result_t<F>;
    // co_spawn keeps the function object alive in its own frame and completes through the
    // awaiting coroutine's executor (dispatch), which is how the caller gets back home. The
    // result travels in an optional because co_spawn default-constructs it on failure.
    if constexpr (std::is_void_v<R>) {
      co_await net::co_spawn(
          pool_.get_executor(),
          [f = std::move(f)]() mutable -> net::awaitable<void> {
            name_worker_thread();
            f();
            co_return;
          },
          net::use_awaitable);
    } else {
      std::optional<R> result = co_await net::co_spawn(
          pool_.get_executor(),
          [f = std::move(f)]() mutable -> net::awaitable<std::optional<R>> {
            name_worker_thread();
            co_return std::optional<R>(f());
          },
          net::use_awaitable);
      co_return std::move(*result);
    }
  }

  /// Finishes the queued work and stops the threads. Call it after Server::run() returns and
  /// before the Server is destroyed: a call still in the pool resumes on the server's executor.
  void join();

 private:
  /// asio starts the pool's threads itself: each names itself at its first call.
  static void name_worker_thread() noexcept;

  net::thread_pool pool_;
};

}  // namespace tfa::http
