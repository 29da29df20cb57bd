#pragma once
// Sending in the background: send() only queues the message, so that a web request never waits
// for a mail server; one thread hands messages to the transport in order and retries a failed
// one with a growing delay. Messages still queued when the process ends are lost (the queue
// is in memory), which is why stop() takes a grace period.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "notify/notifier.hpp"

namespace tfa::notify {

struct MailQueueOptions {
  int attempts = 5;                                    // tries per message, at least 1
  std::chrono::milliseconds first_delay{2000};         // before the 2nd try; doubles after each
  std::size_t capacity = 10000;                        // queued messages; more are dropped
  std::chrono::milliseconds destructor_grace{5000};    // the destructor's stop(grace)
};

struct MailQueueStats {
  std::uint64_t sent = 0;     // accepted by the transport
  std::uint64_t failed = 0;   // given up: every attempt failed, refused, dropped or abandoned
  std::uint64_t pending = 0;  // queued or being delivered
};

/// Thread-safe: send(), stats() and stop() may be called from any thread.
class MailQueue final : public Notifier {
 public:
  /// Starts the delivery thread. `transport` must outlive the queue; it is only ever called
  /// from that one thread. Attempts below 1 count as 1.
  explicit MailQueue(Notifier& transport, MailQueueOptions options = {});
  /// stop(options.destructor_grace).
  ~MailQueue() override;
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  /// Checks the message (check_message()) and queues it; never waits for the transport.
  /// Errors: Errc::invalid_argument for a message that could never be sent; Errc::unavailable
  /// after stop(), or when `capacity` messages are waiting (the message is dropped, logged and
  /// counted as failed).
  Result<void> send(const Message& message) override;

  /// Stops accepting messages, keeps delivering (with retries) what is queued for up to
  /// `grace`, then ends the thread. Whatever is still queued then is logged and counted as
  /// failed. An attempt in progress is not interrupted, so this may return up to one
  /// transport timeout after `grace`. Idempotent.
  void stop(std::chrono::milliseconds grace);

  MailQueueStats stats() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  void run();
  /// Delivers one message with retries; false when stop()'s grace ran out while waiting.
  bool deliver(const Message& message);
  /// Drops what is left at the end of stop()'s grace.
  void abandon_queued(std::unique_lock<std::mutex>& lock);

  Notifier& transport_;
  const MailQueueOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the thread: a message arrived, or stop()
  std::condition_variable drained_;  // stop(): the queue is empty and nothing is in flight
  std::deque<Message> queue_;
  bool accepting_ = true;
  bool stopping_ = false;  // stop() was called: exit once the queue is empty
  bool abort_ = false;     // the grace is over: exit now, abandon the rest
  bool in_flight_ = false;
  std::uint64_t sent_ = 0;
  std::uint64_t failed_ = 0;

  std::mutex stop_mutex_;  // one stop() at a time joins the thread
  std::thread thread_;
};

}  // namespace tfa::notify
