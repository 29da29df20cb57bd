// MailQueue: background delivery in order, retries with growing delays, the counters, the
// capacity, and stop(). Delays are milliseconds here; the defaults are seconds.
#include "notify/mail_queue.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <map>
#include <vector>

namespace tfa::notify {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// A transport that fails each message's first `failures` attempts (all of them when
/// negative), optionally holds every call until release(), and records what it was given.
class FakeTransport final : public Notifier {
 public:
  explicit FakeTransport(int failures = 0, Errc code = Errc::unavailable)
      : failures_(failures), code_(code) {}

  Result<void> send(const Message& message) override {
    std::unique_lock lock(mutex_);
    ++calls_;
    call_times_.push_back(Clock::now());
    changed_.notify_all();
    changed_.wait(lock, [this] { return !held_; });
    int& failed = failures_by_subject_[message.subject];
    if (failures_ < 0 || failed < failures_) {
      ++failed;
      return fail(code_, "451 try again later");
    }
    delivered_.push_back(message.subject);
    return {};
  }

  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    changed_.notify_all();
  }
  /// Waits until send() has been entered `n` times in all.
  bool wait_for_calls(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return calls_ >= n; });
  }
  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<std::string> delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
  }
  std::vector<Clock::time_point> call_times() const {
    std::lock_guard lock(mutex_);
    return call_times_;
  }

 private:
  const int failures_;
  const Errc code_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  int calls_ = 0;
  std::map<std::string, int> failures_by_subject_;
  std::vector<std::string> delivered_;
  std::vector<Clock::time_point> call_times_;
};

Message message(int n) {
  return {.to = "user" + std::to_string(n) + "@example.com",
          .subject = "message " + std::to_string(n),
          .text = "secret body " + std::to_string(n),
          .html = "<p>secret body</p>"};
}

/// Polls `done` for up to 5 s.
template <class F>
bool eventually(F done) {
  const auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return done();
}

class MailQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000);
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink_));
  }
  void TearDown() override { spdlog::set_default_logger(previous_); }

  std::vector<std::string> log() const { return sink_->last_formatted(); }

  static MailQueueOptions fast(int attempts = 5) {
    return {.attempts = attempts, .first_delay = 5ms, .capacity = 10000,
            .destructor_grace = 5000ms};
  }

  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(MailQueueTest, DeliversInOrder) {
  FakeTransport transport;
  MailQueue queue(transport, fast());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(queue.send(message(i)).has_value());
  ASSERT_TRUE(eventually([&] { return queue.stats().sent == 10; }));
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) expected.push_back("message " + std::to_string(i));
  EXPECT_EQ(transport.delivered(), expected);
  const auto stats = queue.stats();
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.pending, 0u);
}

TEST_F(MailQueueTest, RetriesAFailedMessageUntilItIsDelivered) {
  FakeTransport transport(2);  // fails twice, then succeeds
  MailQueue queue(transport, fast());
  ASSERT_TRUE(queue.send(message(1)).has_value());
  ASSERT_TRUE(eventually([&] { return queue.stats().sent == 1; }));
  EXPECT_EQ(transport.calls(), 3);
  EXPECT_EQ(queue.stats().failed, 0u);
  EXPECT_EQ(queue.stats().pending, 0u);
  // Each failure is a warning naming the recipient and the error, never the body.
  const auto lines = log();
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    EXPECT_NE(line.find("[warning]"), std::string::npos) << line;
    EXPECT_NE(line.find("user1@example.com"), std::string::npos) << line;
    EXPECT_NE(line.find("451 try again later"), std::string::npos) << line;
    EXPECT_EQ(line.find("secret body"), std::string::npos) << line;
    EXPECT_EQ(line.find("message 1"), std::string::npos) << line;
  }
}

TEST_F(MailQueueTest, DoublesTheDelayBetweenAttempts) {
  FakeTransport transport(3);
  MailQueue queue(transport, {.attempts = 5, .first_delay = 20ms});
  ASSERT_TRUE(queue.send(message(1)).has_value());
  ASSERT_TRUE(eventually([&] { return queue.stats().sent == 1; }));
  const auto times = transport.call_times();
  ASSERT_EQ(times.size(), 4u);
  EXPECT_GE(times[1] - times[0], 20ms);
  EXPECT_GE(times[2] - times[1], 40ms);
  EXPECT_GE(times[3] - times[2], 80ms);
}

TEST_F(MailQueueTest, CountsAMessageThatFailsEveryAttemptAndGoesOn) {
  FakeTransport transport(3);  // message 1 fails 3 times: one too many for 3 attempts
  MailQueue queue(transport, fast(3));
  ASSERT_TRUE(queue.send(message(1)).has_value());
  ASSERT_TRUE(queue.send(message(2)).has_value());
  ASSERT_TRUE(eventually([&] { return queue.stats().pending == 0; }));
  const auto stats = queue.stats();
  EXPECT_EQ(stats.failed, 2u);  // message 2 fails 3 times as well
  EXPECT_EQ(stats.sent, 0u);
  EXPECT_EQ(transport.calls(), 6);
  const auto lines = log();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find("[error]"), std::string::npos) << lines.back();
  EXPECT_NE(lines.back().find("user2@example.com"), std::string::npos) << lines.back();
}

TEST_F(MailQueueTest, DoesNotRetryAMessageTheTransportRefuses) {
  FakeTransport transport(-1, Errc::invalid_argument);
  MailQueue queue(transport, fast());
  ASSERT_TRUE(queue.send(message(1)).has_value());
  ASSERT_TRUE(eventually([&] { return queue.stats().failed == 1; }));
  EXPECT_EQ(transport.calls(), 1);
}

TEST_F(MailQueueTest, SendNeverWaitsForTheTransport) {
  FakeTransport transport;
  transport.hold();  // every delivery blocks until release()
  MailQueue queue(transport, fast());
  ASSERT_TRUE(queue.send(message(0)).has_value());
  ASSERT_TRUE(transport.wait_for_calls(1));
  const auto start = Clock::now();
  for (int i = 1; i < 100; ++i) ASSERT_TRUE(queue.send(message(i)).has_value());
  EXPECT_LT(Clock::now() - start, 500ms);
  EXPECT_EQ(queue.stats().pending, 100u);
  EXPECT_EQ(queue.stats().sent, 0u);
  transport.release();
  ASSERT_TRUE(eventually([&] { return queue.stats().sent == 100; }));
}

TEST_F(MailQueueTest, RefusesAnInvalidMessageAtOnce) {
  FakeTransport transport;
  MailQueue queue(transport, fast());
  Message m = message(1);
  m.subject = "hi\r\nBcc: eve@example.com";
  auto sent = queue.send(m);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code, Errc::invalid_argument);
  EXPECT_EQ(queue.stats().pending, 0u);
  EXPECT_EQ(queue.stats().failed, 0u);
}

TEST_F(MailQueueTest, DropsAndCountsWhatExceedsTheCapacity) {
  FakeTransport transport;
  transport.hold();
  MailQueue queue(transport, {.attempts = 1, .first_delay = 1ms, .capacity = 2});
  ASSERT_TRUE(queue.send(message(0)).has_value());
  ASSERT_TRUE(transport.wait_for_calls(1));  // message 0 is in flight, out of the queue
  ASSERT_TRUE(queue.send(message(1)).has_value());
  ASSERT_TRUE(queue.send(message(2)).has_value());
  auto dropped = queue.send(message(3));
  ASSERT_FALSE(dropped.has_value());
  EXPECT_EQ(dropped.error().code, Errc::unavailable);
  EXPECT_EQ(queue.stats().failed, 1u);
  EXPECT_EQ(queue.stats().pending, 3u);
  transport.release();
  ASSERT_TRUE(eventually([&] { return queue.stats().sent == 3; }));
  EXPECT_EQ(queue.stats().failed, 1u);
}

TEST_F(MailQueueTest, StopDeliversWhatIsQueued) {
  FakeTransport transport(1);  // every message needs one retry
  MailQueue queue(transport, fast());
  transport.hold();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(queue.send(message(i)).has_value());
  transport.release();
  queue.stop(5000ms);
  const auto stats = queue.stats();
  EXPECT_EQ(stats.sent, 20u);
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_EQ(transport.delivered().size(), 20u);
  auto late = queue.send(message(99));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, Errc::unavailable);
  queue.stop(0ms);  // idempotent
}

TEST_F(MailQueueTest, StopGivesUpAfterTheGrace) {
  FakeTransport transport(-1);
  MailQueue queue(transport, {.attempts = 5, .first_delay = std::chrono::hours(1)});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(queue.send(message(i)).has_value());
  ASSERT_TRUE(transport.wait_for_calls(1));
  const auto start = Clock::now();
  queue.stop(50ms);
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_GE(Clock::now() - start, 50ms);
  const auto stats = queue.stats();
  EXPECT_EQ(stats.failed, 3u);
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_EQ(stats.sent, 0u);
}

TEST_F(MailQueueTest, DestructorDeliversPendingMessages) {
  FakeTransport transport;
  {
    MailQueue queue(transport, fast());
    transport.hold();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue.send(message(i)).has_value());
    transport.release();
  }
  EXPECT_EQ(transport.delivered().size(), 5u);
}

TEST_F(MailQueueTest, AcceptsMessagesFromManyThreads) {
  FakeTransport transport;
  MailQueue queue(transport, fast());
  std::vector<std::thread> senders;
  std::atomic<int> accepted{0};
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (queue.send(message(t * 100 + i))) ++accepted;
        (void)queue.stats();
      }
    });
  }
  for (auto& sender : senders) sender.join();
  EXPECT_EQ(accepted.load(), 200);
  queue.stop(5000ms);
  EXPECT_EQ(queue.stats().sent, 200u);
  EXPECT_EQ(transport.delivered().size(), 200u);
}

}  // namespace
}  // namespace tfa::notify
