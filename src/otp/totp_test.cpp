#include "otp/totp.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "testing/rfc_vectors.hpp"

namespace tfa::otp {
namespace {

using crypto::HashAlgorithm;
using std::chrono::seconds;
using std::chrono::sys_seconds;

SecretBytes secret_of(std::string_view ascii) {
  return SecretBytes::copy_of(
      {reinterpret_cast<const std::uint8_t*>(ascii.data()), ascii.size()});
}

sys_seconds at(std::int64_t unix_seconds) { return sys_seconds(seconds(unix_seconds)); }

Totp make(HashAlgorithm algorithm = HashAlgorithm::sha1, int digits = 6, int period = 30) {
  return Totp::create({algorithm, digits, seconds(period)},
                      secret_of(testing::rfc6238_seed(algorithm)))
      .value();
}

// RFC 6238 Appendix B: all 18 rows, 8 digits, for SHA-1, SHA-256 and SHA-512.
TEST(Totp, MatchesRfc6238AppendixB) {
  for (const auto& vector : testing::kRfc6238Vectors) {
    const auto totp = make(vector.algorithm, 8);
    EXPECT_EQ(totp.code_at(at(vector.unix_time)), vector.code)
        << crypto::to_string(vector.algorithm) << " at " << vector.unix_time;
    const auto match = totp.verify(vector.code, at(vector.unix_time), {0, 0});
    ASSERT_TRUE(match.has_value());
    EXPECT_EQ(match->step, static_cast<std::uint64_t>(vector.unix_time / 30));
    EXPECT_EQ(match->offset, 0);
  }
}

TEST(Totp, StepFollowsThePeriod) {
  const auto totp = make(HashAlgorithm::sha1, 6, 60);
  EXPECT_EQ(totp.step_at(at(0)), 0u);
  EXPECT_EQ(totp.step_at(at(59)), 0u);
  EXPECT_EQ(totp.step_at(at(60)), 1u);
  EXPECT_EQ(totp.step_at(at(-5)), 0u) << "times before 1970 map to step 0";
}

TEST(Totp, RejectsPeriodsOutsideFifteenToThreeHundredSeconds) {
  for (int period : {0, 1, 14, 301, 3600}) {
    auto totp = Totp::create({HashAlgorithm::sha1, 6, seconds(period)}, secret_of("key"));
    ASSERT_FALSE(totp.has_value()) << period;
    EXPECT_NE(totp.error().message.find("period"), std::string::npos);
  }
  EXPECT_TRUE(Totp::create({HashAlgorithm::sha1, 6, seconds(15)}, secret_of("key")).has_value());
  EXPECT_TRUE(Totp::create({HashAlgorithm::sha1, 6, seconds(300)}, secret_of("key")).has_value());
}

TEST(Totp, RejectsBadDigitsAndEmptySecret) {
  EXPECT_FALSE(Totp::create({HashAlgorithm::sha1, 9, seconds(30)}, secret_of("key")).has_value());
  EXPECT_FALSE(Totp::create({HashAlgorithm::sha1, 6, seconds(30)}, SecretBytes()).has_value());
}

TEST(Totp, AcceptsPreviousAndNextStepWithinWindowAndReportsOffset) {
  const auto totp = make();
  const auto now = at(1111111109);
  const std::uint64_t current = totp.step_at(now);
  const auto previous = totp.verify(totp.code_at_step(current - 1), now, {1, 1});
  ASSERT_TRUE(previous.has_value());
  EXPECT_EQ(*previous, (TotpMatch{current - 1, -1}));
  const auto next = totp.verify(totp.code_at_step(current + 1), now, {1, 1});
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, (TotpMatch{current + 1, 1}));
}

TEST(Totp, RefusesStepsOutsideTheWindow) {
  const auto totp = make();
  const auto now = at(1234567890);
  const std::uint64_t current = totp.step_at(now);
  EXPECT_FALSE(totp.verify(totp.code_at_step(current - 2), now, {1, 1}).has_value());
  EXPECT_FALSE(totp.verify(totp.code_at_step(current + 2), now, {1, 1}).has_value());
  EXPECT_FALSE(totp.verify(totp.code_at_step(current - 1), now, {0, 1}).has_value());
  EXPECT_FALSE(totp.verify(totp.code_at_step(current + 1), now, {1, 0}).has_value());
  EXPECT_TRUE(totp.verify(totp.code_at_step(current - 3), now, {3, 0}).has_value());
}

TEST(Totp, AsymmetricWindowReachesFurtherOnOneSide) {
  const auto totp = make();
  const auto now = at(2000000000);
  const std::uint64_t current = totp.step_at(now);
  const auto match = totp.verify(totp.code_at_step(current - 4), now, {4, 1});
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->offset, -4);
}

TEST(Totp, WindowIsClampedToTheMaximum) {
  const auto totp = make();
  const auto now = at(2000000000);
  const std::uint64_t current = totp.step_at(now);
  EXPECT_TRUE(totp.verify(totp.code_at_step(current - kMaxWindowSteps), now, {1000, 0}));
  EXPECT_FALSE(totp.verify(totp.code_at_step(current - kMaxWindowSteps - 1), now, {1000, 0}));
}

// RFC 6238 §6: the window also lies around the drift learned from earlier codes.
TEST(Totp, TheWindowAlsoLiesAroundTheDrift) {
  const auto totp = make();
  const auto now = at(2000000000);
  const std::uint64_t current = totp.step_at(now);
  const TotpWindow window{1, 1, -3, 4};
  for (std::int64_t offset : {-4, -3, -2, -1, 0, 1}) {
    const auto match = totp.verify(totp.code_at_step(current + offset), now, window);
    ASSERT_TRUE(match.has_value()) << offset;
    EXPECT_EQ(match->offset, offset);
  }
  for (std::int64_t offset : {-6, -5, 2, 3}) {
    EXPECT_FALSE(totp.verify(totp.code_at_step(current + offset), now, window)) << offset;
  }
}

TEST(Totp, TheLimitBoundsEveryDrift) {
  const auto totp = make();
  const auto now = at(2000000000);
  const std::uint64_t current = totp.step_at(now);
  // Drifted to the limit: the window is moved back inside it.
  EXPECT_TRUE(totp.verify(totp.code_at_step(current - 4), now, {1, 1, -4, 4}));
  EXPECT_FALSE(totp.verify(totp.code_at_step(current - 5), now, {1, 1, -4, 4}));
  // A drift of 20 minutes (40 steps) never makes a 20-minute-old code acceptable, even with
  // the largest limit.
  EXPECT_FALSE(totp.verify(totp.code_at_step(current - 40), now, {1, 1, -40, 1000}));
  EXPECT_FALSE(totp.verify(totp.code_at_step(current - 11), now, {1, 1, -10, 1000}));
  EXPECT_TRUE(totp.verify(totp.code_at_step(current - 10), now, {1, 1, -10, 1000}));
  // A limit below the window cuts the window.
  EXPECT_FALSE(totp.verify(totp.code_at_step(current - 1), now, {1, 1, 0, 0}));
  EXPECT_TRUE(totp.verify(totp.code_at_step(current), now, {1, 1, 0, 0}));
}

TEST(TotpWindow, CoversTheDriftedWindowInsideTheLimitAndTheWindowAroundNow) {
  const TotpWindow window{1, 1, 6, 6};  // the drifted window [5, 7] is moved back to [4, 6]
  std::vector<std::int64_t> covered;
  for (std::int64_t offset = -12; offset <= 12; ++offset) {
    if (window.covers(offset)) covered.push_back(offset);
  }
  EXPECT_EQ(covered, (std::vector<std::int64_t>{-1, 0, 1, 4, 5, 6}));
  // Without a drift it is the plain window.
  covered.clear();
  for (std::int64_t offset = -12; offset <= 12; ++offset) {
    if (TotpWindow{1, 2}.covers(offset)) covered.push_back(offset);
  }
  EXPECT_EQ(covered, (std::vector<std::int64_t>{-1, 0, 1, 2}));
}

TEST(Totp, WindowDoesNotReachBefore1970) {
  const auto totp = make();
  EXPECT_TRUE(totp.verify(totp.code_at_step(0), at(10), {5, 5}).has_value());
}

TEST(Totp, MalformedCodesNeverMatch) {
  const auto totp = make();
  const auto now = at(59);
  const std::string good = totp.code_at(now);
  for (const std::string& code :
       {std::string(), good.substr(1), good + "0", " " + good, good.substr(0, 5) + "x"}) {
    EXPECT_FALSE(totp.verify(code, now).has_value()) << code;
  }
  EXPECT_TRUE(totp.verify(good, now).has_value());
}

TEST(Totp, WorksForEveryAlgorithmDigitCountAndPeriodBoundary) {
  for (auto algorithm : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha512}) {
    for (int digits : {6, 7, 8}) {
      for (int period : {15, 30, 60, 300}) {
        const auto totp = make(algorithm, digits, period);
        const auto now = at(1700000000);
        const std::string code = totp.code_at(now);
        EXPECT_EQ(code.size(), static_cast<std::size_t>(digits));
        EXPECT_TRUE(totp.verify(code, now, {0, 0}).has_value());
      }
    }
  }
}

}  // namespace
}  // namespace tfa::otp
