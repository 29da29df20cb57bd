// Conformance: the replay guard, including many threads on two independent pools racing to
// record the same step. Exactly one may win each step, on every backend.
#include <atomic>
#include <thread>

#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using ReplayGuardTest = StorageTest;

TEST_P(ReplayGuardTest, AcceptsOnlyNewerCounters) {
  const auto alice = make_user("alice");
  const auto secret = SecretBytes(20);
  const auto id = add_totp(alice.id, secret);
  EXPECT_TRUE(factors_->record_accepted_counter(id, 100, -1, now_).value());
  EXPECT_FALSE(factors_->record_accepted_counter(id, 100, 0, now_).value()) << "replay";
  EXPECT_FALSE(factors_->record_accepted_counter(id, 99, 0, now_).value()) << "older";
  EXPECT_TRUE(factors_->record_accepted_counter(id, 101, 1, now_).value());
  const auto factor = factors_->find_factor(id).value().value();
  EXPECT_EQ(factor.last_counter, 101);
  EXPECT_EQ(factor.drift_steps, 1);
  EXPECT_EQ(factor.last_used_at, now_);
  EXPECT_FALSE(factors_->record_accepted_counter(id + 1000, 1, 0, now_).value()) << "no such factor";
}

TEST_P(ReplayGuardTest, ManyThreadsOnTwoPoolsRacingForTheSameStepHaveExactlyOneWinner) {
  const auto alice = make_user("alice");
  const auto secret = SecretBytes(20);
  const auto id = add_totp(alice.id, secret);
  auto second_pool = test_db_->reopen(4);
  ASSERT_TRUE(second_pool.has_value()) << second_pool.error().message;
  crypto::OsRandom random;
  storage::sql::SqlFactorStore other(**second_pool, sealer_, random);

  constexpr int kSteps = 40;
  constexpr int kThreadsPerPool = 4;
  std::vector<std::atomic<int>> wins(kSteps + 1);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerPool; ++t) {
    storage::FactorStore& store = t % 2 == 0 ? static_cast<storage::FactorStore&>(*factors_) : other;
    threads.emplace_back([&, t] {
      (void)t;
      for (int step = 1; step <= kSteps; ++step) {
        auto won = store.record_accepted_counter(id, step, 0, now_);
        if (!won) {
          ++errors;
        } else if (*won) {
          ++wins[step];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  int total = 0;
  for (int step = 1; step <= kSteps; ++step) {
    EXPECT_LE(wins[step].load(), 1) << "step " << step << " accepted twice";
    total += wins[step].load();
  }
  EXPECT_GE(total, 1);
  EXPECT_EQ(factors_->find_factor(id).value()->last_counter, kSteps);
}

TEST_P(ReplayGuardTest, EveryThreadRacingForOneStepAtATimeLeavesExactlyOneWinner) {
  const auto alice = make_user("alice");
  const auto secret = SecretBytes(20);
  const auto id = add_totp(alice.id, secret);
  auto second_pool = test_db_->reopen(4);
  ASSERT_TRUE(second_pool.has_value());
  crypto::OsRandom random;
  storage::sql::SqlFactorStore other(**second_pool, sealer_, random);

  for (int step = 1; step <= 15; ++step) {
    std::atomic<int> wins{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      storage::FactorStore& store = t % 2 == 0 ? static_cast<storage::FactorStore&>(*factors_) : other;
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        auto won = store.record_accepted_counter(id, step, 0, now_);
        if (won && *won) ++wins;
      });
    }
    go = true;
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(wins.load(), 1) << "step " << step;
  }
}

TFA_INSTANTIATE_STORAGE_SUITE(ReplayGuardTest);

}  // namespace
}  // namespace tfa::testing
