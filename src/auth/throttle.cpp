#include "auth/throttle.hpp"

#include <algorithm>

namespace tfa::auth {

storage::Time Throttle::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

Result<std::optional<std::chrono::seconds>> Throttle::retry_after(const std::string& key) {
  TFA_TRY(auto state, store_.throttle_state(key));
  const auto current = now();
  if (!state || state->blocked_until <= current) return std::optional<std::chrono::seconds>();
  return std::optional<std::chrono::seconds>(state->blocked_until - current);
}

Result<std::optional<std::chrono::seconds>> Throttle::failure(const std::string& key,
                                                              const ThrottlePolicy& policy) {
  const auto current = now();
  TFA_TRY(auto state, store_.update_throttle(key, current, [&](const std::optional<storage::ThrottleState>& old) {
    storage::ThrottleState next;
    if (old && old->failures > 0 && current - old->window_start < policy.forget_after) {
      next = *old;
    } else {
      next.window_start = current;
      next.blocked_until = current;
    }
    next.failures += 1;
    next.window_start = current;  // the latest failure: the count is forgotten forget_after later
    const auto extra = next.failures - policy.free_failures;
    if (extra > 0) {
      // base * 2^(extra-1), computed without overflow, capped.
      auto delay = policy.base_delay;
      for (int i = 1; i < extra && delay < policy.max_delay; ++i) delay *= 2;
      next.blocked_until = current + std::min(delay, policy.max_delay);
    }
    return next;
  }));
  if (state.blocked_until <= current) return std::optional<std::chrono::seconds>();
  return std::optional<std::chrono::seconds>(state.blocked_until - current);
}

Result<void> Throttle::success(const std::string& key) { return store_.clear_throttle(key); }

Result<int> Throttle::failures(const std::string& key) {
  TFA_TRY(auto state, store_.throttle_state(key));
  return state ? static_cast<int>(state->failures) : 0;
}

std::string account_key(std::int64_t user_id, std::string_view input) {
  return "account:" + std::to_string(user_id) + ":" + std::string(input);
}

std::string name_key(std::string_view name, std::string_view input) {
  std::string lower;
  for (char c : name.substr(0, 128)) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  return "name:" + lower + ":" + std::string(input);
}

std::string address_key(std::string_view address, std::string_view input) {
  return "address:" + std::string(address) + ":" + std::string(input);
}

}  // namespace tfa::auth
