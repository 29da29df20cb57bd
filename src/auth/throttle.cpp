#include "auth/throttle.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <iterator>

#include "crypto/tokens.hpp"

namespace tfa::auth {

storage::Time Throttle::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

namespace {

std::optional<std::chrono::seconds> wait_of(const std::optional<storage::ThrottleState>& state, storage::Time now) {
  if (!state || state->blocked_until <= now) return std::nullopt;
  return state->blocked_until - now;
}

}  // namespace

Result<std::optional<std::chrono::seconds>> Throttle::retry_after(const std::string& key) {
  TFA_TRY(auto state, store_.throttle_state(key));
  return wait_of(state, now());
}

Result<std::optional<std::chrono::seconds>> Throttle::locked_retry_after(const std::string& key) {
  const auto current = now();
  TFA_TRY(auto state, store_.locked_throttle_state(key, current));
  return wait_of(state, current);
}

std::int64_t remembered_failures(const std::optional<storage::ThrottleState>& state, storage::Time now,
                                 const ThrottlePolicy& policy) {
  if (!state || state->failures <= 0) return 0;
  const auto quiet = now - state->window_start;  // window_start: the latest failure
  if (!policy.remembers_blocks) return quiet < policy.forget_after ? state->failures : 0;
  const std::int64_t forgotten = quiet.count() / std::max<std::int64_t>(1, policy.forget_after.count());
  return std::max<std::int64_t>(0, state->failures - forgotten);
}

Result<std::optional<std::chrono::seconds>> Throttle::failure(const std::string& key,
                                                              const ThrottlePolicy& policy) {
  const auto current = now();
  TFA_TRY(auto state, store_.update_throttle(key, current, [&](const std::optional<storage::ThrottleState>& old) {
    storage::ThrottleState next;
    const std::int64_t kept = remembered_failures(old, current, policy);
    if (kept > 0) {
      next = *old;
      next.failures = kept;
    } else {
      next.window_start = current;
      next.blocked_until = current;
      next.failures = 0;
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

Result<void> Throttle::success(const std::string& key, const ThrottlePolicy& policy) {
  if (policy.remembers_blocks) {
    TFA_TRY(auto state, store_.throttle_state(key));
    const auto current = now();
    const auto remembered = remembered_failures(state, current, policy);
    if (remembered == 0) return {};
    if (remembered > policy.free_failures || current - state->window_start > policy.forgive_within) return {};
  }
  return store_.clear_throttle(key);
}

Result<Settled> Throttle::settle(storage::Transactions& transactions, const std::string& key,
                                 const ThrottlePolicy& policy, bool right) {
  Settled settled;
  TFA_CHECK(transactions.writing([&]() -> Result<void> {
    TFA_TRY(settled.retry_after, locked_retry_after(key));
    if (settled.retry_after) {
      settled.throttled = true;
      return {};
    }
    if (right) return success(key);
    TFA_TRY(settled.retry_after, failure(key, policy));
    return {};
  }));
  return settled;
}

Result<int> Throttle::failures(const std::string& key, const ThrottlePolicy& policy) {
  TFA_TRY(auto state, store_.throttle_state(key));
  return static_cast<int>(remembered_failures(state, now(), policy));
}

std::string account_key(std::int64_t user_id, std::string_view input) {
  return "account:" + std::to_string(user_id) + ":" + std::string(input);
}

std::string name_key(std::string_view name, std::string_view input) {
  std::string lower;
  for (char c : name) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  // Names and addresses longer than this are keyed by their SHA-256 instead: the key stays
  // short, and two long names that share a beginning do not share a counter.
  // So are names with bytes beyond ASCII: the key is stored as TEXT, which PostgreSQL wants
  // in valid UTF-8, and no account name has such bytes anyway.
  constexpr std::size_t kLongest = 128;
  const bool ascii = std::all_of(lower.begin(), lower.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (lower.size() > kLongest || !ascii) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string digest = "sha256=";
    for (const auto byte : crypto::token_hash(lower)) {
      digest += kHex[byte >> 4];
      digest += kHex[byte & 0x0f];
    }
    lower = std::move(digest);
  }
  return "name:" + lower + ":" + std::string(input);
}

namespace {

/// An IPv6 address as the /64 network it is in ("2001:db8::/64"); anything else as it is.
std::string address_network(std::string_view address) {
  const std::string text(address);
  in6_addr parsed{};
  if (inet_pton(AF_INET6, text.c_str(), &parsed) != 1) return text;
  std::fill(std::begin(parsed.s6_addr) + 8, std::end(parsed.s6_addr), 0);
  char network[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, &parsed, network, sizeof network) == nullptr) return text;
  return std::string(network) + "/64";
}

}  // namespace

std::string address_key(std::string_view address, std::string_view input) {
  return "address:" + address_network(address) + ":" + std::string(input);
}

}  // namespace tfa::auth
