#include "notify/mail_queue.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/thread_name.hpp"
#include "notify/address.hpp"

namespace tfa::notify {
namespace {

// Only the recipient's address and the error go to the log, never the subject or the body:
// mails carry sign-in links and codes.
std::string recipient(const Message& message) {
  return std::string(detail::bare_address(message.to));
}

}  // namespace

MailQueue::MailQueue(Notifier& transport, MailQueueOptions options)
    : transport_(transport), options_(options) {
  thread_ = std::thread([this] {
    core::name_this_thread("tfa-mail");
    run();
  });
}

MailQueue::~MailQueue() { stop(options_.destructor_grace); }

Result<void> MailQueue::send(const Message& message) {
  TFA_CHECK(check_message(message));
  std::lock_guard lock(mutex_);
  if (!accepting_) return fail(Errc::unavailable, "mail queue is stopped");
  if (queue_.size() >= options_.capacity) {
    ++failed_;
    spdlog::error("mail to {} dropped: the mail queue holds {} messages already",
                  recipient(message), queue_.size());
    return fail(Errc::unavailable, "mail queue is full");
  }
  queue_.push_back(message);
  wake_.notify_one();
  return {};
}

void MailQueue::stop(std::chrono::milliseconds grace) {
  std::lock_guard stopper(stop_mutex_);
  if (!thread_.joinable()) return;
  {
    std::unique_lock lock(mutex_);
    accepting_ = false;
    stopping_ = true;
    wake_.notify_one();
    const TimePoint deadline = std::chrono::steady_clock::now() + grace;
    drained_.wait_until(lock, deadline, [this] { return queue_.empty() && !in_flight_; });
    abort_ = true;
    wake_.notify_all();
  }
  thread_.join();
}

MailQueueStats MailQueue::stats() const {
  std::lock_guard lock(mutex_);
  return {sent_, failed_, queue_.size() + (in_flight_ ? 1u : 0u)};
}

void MailQueue::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (abort_ || queue_.empty()) break;  // stopping_ with nothing left, or the grace is over
    const Message message = std::move(queue_.front());
    queue_.pop_front();
    in_flight_ = true;
    lock.unlock();
    const bool delivered = deliver(message);
    lock.lock();
    in_flight_ = false;
    if (delivered) ++sent_;
    else ++failed_;
    if (queue_.empty()) drained_.notify_all();
  }
  abandon_queued(lock);
  drained_.notify_all();
}

bool MailQueue::deliver(const Message& message) {
  const int attempts = std::max(options_.attempts, 1);
  auto delay = options_.first_delay;
  for (int attempt = 1;; ++attempt) {
    auto result = transport_.send(message);
    if (result) return true;
    const Error& error = result.error();
    // A refused message fails the same way every time; retrying only delays the report.
    if (attempt >= attempts || error.code == Errc::invalid_argument) {
      spdlog::error("mail to {} not delivered after {} attempt{}: {}", recipient(message),
                    attempt, attempt == 1 ? "" : "s", error.message);
      return false;
    }
    spdlog::warn("mail to {} failed (attempt {} of {}), retrying in {} ms: {}",
                 recipient(message), attempt, attempts, delay.count(), error.message);
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, delay, [this] { return abort_; })) {
      spdlog::error("mail to {} not delivered: stopped while waiting to retry",
                    recipient(message));
      return false;
    }
    // Doubling from 2 s reaches an hour after 11 tries; later ones wait an hour each.
    delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::hours(1));
  }
}

void MailQueue::abandon_queued(std::unique_lock<std::mutex>& lock) {
  (void)lock;  // held by the caller
  if (queue_.empty()) return;
  spdlog::error("mail queue stopped with {} message{} not delivered", queue_.size(),
                queue_.size() == 1 ? "" : "s");
  failed_ += queue_.size();
  queue_.clear();
}

}  // namespace tfa::notify
