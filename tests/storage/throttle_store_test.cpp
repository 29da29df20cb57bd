// Conformance: throttle counters — state per key, clearing, and atomic updates under many
// threads on two independent pools — on every backend.
#include <atomic>
#include <thread>

#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using std::chrono::seconds;
using storage::ThrottleState;
using ThrottleStoreTest = StorageTest;

/// An update that counts one failure, as auth::Throttle does, and records what it was given.
struct CountFailure {
  storage::Time now;
  std::vector<std::optional<ThrottleState>>* seen = nullptr;

  ThrottleState operator()(const std::optional<ThrottleState>& old) const {
    if (seen != nullptr) seen->push_back(old);
    ThrottleState next;
    if (old) {
      next = *old;
    } else {
      next.window_start = now;
      next.blocked_until = now;
    }
    next.failures += 1;
    return next;
  }
};

TEST_P(ThrottleStoreTest, AnUnknownKeyHasNoState) {
  EXPECT_FALSE(throttle_->throttle_state("account:1:otp").value().has_value());
}

TEST_P(ThrottleStoreTest, TheFirstUpdateSeesNoStateAndLaterOnesAccumulate) {
  std::vector<std::optional<ThrottleState>> seen;
  const auto first = throttle_->update_throttle("account:1:otp", now_, CountFailure{now_, &seen});
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->failures, 1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].has_value());

  const auto later = now_ + seconds(30);
  const auto second = throttle_->update_throttle("account:1:otp", later, [&](const auto& old) {
    seen.push_back(old);
    ThrottleState next = *old;
    next.failures += 1;
    next.blocked_until = later + seconds(60);
    return next;
  });
  ASSERT_TRUE(second.has_value()) << second.error().message;
  ASSERT_EQ(seen.size(), 2u);
  ASSERT_TRUE(seen[1].has_value());
  EXPECT_EQ(seen[1]->failures, 1);
  EXPECT_EQ(seen[1]->window_start, now_);
  EXPECT_EQ(seen[1]->blocked_until, now_);

  const auto stored = throttle_->throttle_state("account:1:otp").value();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->failures, 2);
  EXPECT_EQ(stored->window_start, now_);
  EXPECT_EQ(stored->blocked_until, later + seconds(60));
  EXPECT_EQ(second->failures, stored->failures) << "the stored state is returned";
  EXPECT_EQ(second->blocked_until, stored->blocked_until);

  const auto updated_at = raw("SELECT updated_at FROM throttle WHERE key = $1",
                              storage::sql::params("account:1:otp"));
  EXPECT_EQ(updated_at.rows.at(0).integer(0).value(), storage::to_unix(later));
}

TEST_P(ThrottleStoreTest, AStoredStateWithNoFailuresIsStillAState) {
  ASSERT_TRUE(throttle_->update_throttle("k", now_, [&](const auto&) {
    return ThrottleState{0, now_, now_};
  }).has_value());
  std::vector<std::optional<ThrottleState>> seen;
  ASSERT_TRUE(throttle_->update_throttle("k", now_, CountFailure{now_, &seen}).has_value());
  ASSERT_EQ(seen.size(), 1u);
  ASSERT_TRUE(seen[0].has_value()) << "nullopt only when the key has no row";
  EXPECT_EQ(seen[0]->failures, 0);
  EXPECT_EQ(throttle_->throttle_state("k").value()->failures, 1);
}

TEST_P(ThrottleStoreTest, KeysAreIndependent) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(throttle_->update_throttle("account:1:otp", now_, CountFailure{now_}).has_value());
  }
  ASSERT_TRUE(throttle_->update_throttle("account:1:password", now_, CountFailure{now_}).has_value());
  EXPECT_EQ(throttle_->throttle_state("account:1:otp").value()->failures, 3);
  EXPECT_EQ(throttle_->throttle_state("account:1:password").value()->failures, 1);
  EXPECT_FALSE(throttle_->throttle_state("account:2:otp").value().has_value());
}

TEST_P(ThrottleStoreTest, ClearingForgetsTheKey) {
  ASSERT_TRUE(throttle_->update_throttle("a", now_, CountFailure{now_}).has_value());
  ASSERT_TRUE(throttle_->update_throttle("a", now_, CountFailure{now_}).has_value());
  ASSERT_TRUE(throttle_->update_throttle("b", now_, CountFailure{now_}).has_value());
  ASSERT_TRUE(throttle_->clear_throttle("a").has_value());
  EXPECT_FALSE(throttle_->throttle_state("a").value().has_value());
  EXPECT_EQ(throttle_->throttle_state("b").value()->failures, 1) << "another key is untouched";
  EXPECT_TRUE(throttle_->clear_throttle("a").has_value()) << "clearing twice is harmless";

  std::vector<std::optional<ThrottleState>> seen;
  ASSERT_TRUE(throttle_->update_throttle("a", now_, CountFailure{now_, &seen}).has_value());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_FALSE(seen[0].has_value()) << "counting starts again";
  EXPECT_EQ(throttle_->throttle_state("a").value()->failures, 1);
}

TEST_P(ThrottleStoreTest, AnUpdateThatThrowsStoresNothing) {
  EXPECT_ANY_THROW((void)throttle_->update_throttle(
      "k", now_, [](const auto&) -> ThrottleState { throw std::runtime_error("boom"); }));
  EXPECT_FALSE(throttle_->throttle_state("k").value().has_value())
      << "the row made to be locked is rolled back";
  EXPECT_TRUE(throttle_->update_throttle("k", now_, CountFailure{now_}).has_value());
}

TEST_P(ThrottleStoreTest, ConcurrentFailuresOnTwoPoolsAreAllCounted) {
  auto second_pool = test_db_->reopen(4);
  ASSERT_TRUE(second_pool.has_value()) << second_pool.error().message;
  storage::sql::SqlThrottleStore other(**second_pool);

  constexpr int kThreads = 8;
  constexpr int kFailuresEach = 20;
  std::atomic<int> errors{0};
  std::atomic<int> fresh{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    storage::ThrottleStore& store =
        t % 2 == 0 ? static_cast<storage::ThrottleStore&>(*throttle_) : other;
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kFailuresEach; ++i) {
        auto updated = store.update_throttle("account:1:otp", now_, [&](const auto& old) {
          if (!old) ++fresh;
          return CountFailure{now_}(old);
        });
        if (!updated) {
          ++errors;
          ADD_FAILURE() << updated.error().message;
        }
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(fresh.load(), 1) << "exactly one update created the key";
  EXPECT_EQ(throttle_->throttle_state("account:1:otp").value()->failures, kThreads * kFailuresEach);
}

TEST_P(ThrottleStoreTest, ACheckMadeWithTheKeyHeldStillHoldsWhenItsTransactionWrites) {
  // Threads on two pools each check, in one transaction, that the key has fewer than five
  // failures and then count one: with the key held from the check on, exactly five get
  // through, however the transactions overlap. A plain read would let overlapping ones all
  // see the key open (PostgreSQL's READ COMMITTED).
  auto second_pool = test_db_->reopen(4);
  ASSERT_TRUE(second_pool.has_value()) << second_pool.error().message;
  storage::sql::SqlThrottleStore other(**second_pool);
  EXPECT_FALSE(throttle_->locked_throttle_state("account:9:password", now_).value().has_value())
      << "an unknown key has no state, held or not";

  constexpr int kThreads = 8;
  constexpr int kTriesEach = 5;
  std::atomic<int> admitted{0};
  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    const bool first_pool = t % 2 == 0;
    threads.emplace_back([&, first_pool] {
      storage::sql::Database& database = first_pool ? db() : **second_pool;
      storage::ThrottleStore& store = first_pool ? static_cast<storage::ThrottleStore&>(*throttle_) : other;
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kTriesEach; ++i) {
        auto done = database.writing([&]() -> Result<void> {
          TFA_TRY(auto state, store.locked_throttle_state("account:1:password", now_));
          if (state && state->failures >= 5) return {};
          TFA_CHECK(store.update_throttle("account:1:password", now_, CountFailure{now_}));
          ++admitted;
          return {};
        });
        if (!done) {
          ++errors;
          ADD_FAILURE() << done.error().message;
        }
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(admitted.load(), 5);
  EXPECT_EQ(throttle_->throttle_state("account:1:password").value()->failures, 5);
}

TEST_P(ThrottleStoreTest, ConcurrentClearsNeverMakeAnUpdateFail) {
  auto second_pool = test_db_->reopen(4);
  ASSERT_TRUE(second_pool.has_value()) << second_pool.error().message;
  storage::sql::SqlThrottleStore other(**second_pool);

  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    storage::ThrottleStore& store =
        t % 2 == 0 ? static_cast<storage::ThrottleStore&>(*throttle_) : other;
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < 30; ++i) {
        auto done = t < 4 ? store.update_throttle("k", now_, CountFailure{now_})
                                .map([](const ThrottleState&) {})
                          : store.clear_throttle("k");
        if (!done) {
          ++errors;
          ADD_FAILURE() << done.error().message;
        }
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  const auto state = throttle_->throttle_state("k").value();
  if (state) {
    EXPECT_GE(state->failures, 1);
    EXPECT_LE(state->failures, 4 * 30);
  }
}

TFA_INSTANTIATE_STORAGE_SUITE(ThrottleStoreTest);

}  // namespace
}  // namespace tfa::testing
