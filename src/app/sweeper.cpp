#include "app/sweeper.hpp"

#include <spdlog/spdlog.h>

#include "auth/login_flow.hpp"
#include "core/thread_name.hpp"

namespace tfa::app {

Sweeper::Sweeper(storage::ExpiryStore& store, const Clock& clock, std::chrono::seconds interval)
    : store_(store), clock_(clock), interval_(interval), thread_([this] {
        core::name_this_thread("tfa-sweeper");
        run();
      }) {}

Sweeper::~Sweeper() { stop(); }

Result<storage::ExpiredRows> Sweeper::sweep_once() {
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  // E-mail tokens live on a day past their expiry, so a late click hears "expired"; throttle
  // keys untouched for two days hold nothing a policy still counts (the longest memory of a
  // failure is one day), except the sign-in code keys, whose policy forgets one failure per
  // forget_after.
  const auto code_memory = auth::LoginSettings().code_per_account.forget_after;
  TFA_TRY(auto rows, store_.delete_expired(now, now - std::chrono::days(1), now - std::chrono::days(2),
                                           code_memory));
  if (rows.total() > 0) {
    spdlog::info("expired rows removed: {} sessions, {} trusted devices, {} pending factors, "
                 "{} e-mail tokens, {} throttle keys, {} API tokens",
                 rows.sessions, rows.trusted_devices, rows.pending_factors, rows.email_tokens,
                 rows.throttle_keys, rows.api_tokens);
  }
  return rows;
}

void Sweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (auto swept = sweep_once(); !swept) {
      // A database that is away for a moment is no reason to stop: try again next time.
      spdlog::warn("removing expired rows failed: {}", swept.error().message);
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

void Sweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tfa::app
