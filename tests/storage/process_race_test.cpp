// Conformance: the replay guard across processes. Two server instances (separate processes,
// each with its own connection) that receive the same TOTP code at the same moment must not
// both accept it: for every step exactly one records it. The threads in replay_guard_test
// share a process, and so SQLite's in-process locking; here only the database's own
// cross-process locking (SQLite's file locks, PostgreSQL's row locks) can keep the guard.
#include <chrono>

#include "storage_test_fixture.hpp"
#include "subprocess.hpp"

namespace tfa::testing {
namespace {

using ProcessRaceTest = StorageTest;

// Long enough for both contenders to start and connect (under the sanitizers too), so they
// then wait for the same instant and race only in the update itself.
constexpr auto kStartDelay = std::chrono::milliseconds(300);

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

TEST_P(ProcessRaceTest, TwoProcessesRacingForTheSameStepHaveExactlyOneWinner) {
  const auto alice = make_user("alice");
  const auto secret = SecretBytes(20);
  const auto id = add_totp(alice.id, secret);
  ASSERT_GT(id, 0);

  for (int step = 1; step <= 10; ++step) {
    const auto start = std::chrono::duration_cast<std::chrono::milliseconds>(
                           (std::chrono::system_clock::now() + kStartDelay).time_since_epoch())
                           .count();
    const std::vector<std::string> argv = {TFA_REPLAY_RACE_BIN, test_db_->url(),
                                           std::to_string(id), std::to_string(step),
                                           std::to_string(start)};
    Child first = start_child(argv);
    Child second = start_child(argv);
    const Finished results[] = {finish_child(first), finish_child(second)};

    int won = 0;
    int lost = 0;
    for (const auto& result : results) {
      ASSERT_TRUE(result.error.empty()) << result.error;
      ASSERT_EQ(result.exit_code, 0) << "step " << step << ": " << result.output;
      const std::string said = trimmed(result.output);
      won += said == "won" ? 1 : 0;
      lost += said == "lost" ? 1 : 0;
    }
    EXPECT_EQ(won, 1) << "step " << step;
    EXPECT_EQ(lost, 1) << "step " << step;
  }
  EXPECT_EQ(factors_->find_factor(id).value()->last_counter, 10);
}

TFA_INSTANTIATE_STORAGE_SUITE(ProcessRaceTest);

}  // namespace
}  // namespace tfa::testing
