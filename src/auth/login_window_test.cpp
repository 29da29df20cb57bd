// The TOTP window at sign-in: one step either side of now, and the drift it follows
// within login.totp_max_drift_steps.
#include "auth/login_flow_test_fixture.hpp"

namespace tfa::auth::test {
namespace {

TEST_F(LoginFlowTest, CodeFromThePreviousStepIsAcceptedTwoStepsBackIsNot) {
  const auto totp = add_totp(alice_);
  const std::string two_back = code(totp, -60s);
  const std::string one_back = code(totp, -30s);
  if (two_back != one_back && two_back != code(totp) && two_back != code(totp, 30s)) {
    EXPECT_EQ(submit(alice_, two_back).outcome, CodeStep::rejected);
    EXPECT_TRUE(has_event(alice_, "signin.code", "failure"));
  }
  EXPECT_EQ(submit(alice_, one_back).outcome, CodeStep::accepted);
}

TEST_F(LoginFlowTest, CodeFromTheNextStepIsAcceptedTwoStepsAheadIsNot) {
  const auto totp = add_totp(alice_);
  const std::string two_ahead = code(totp, 60s);
  if (two_ahead != code(totp, -30s) && two_ahead != code(totp) && two_ahead != code(totp, 30s)) {
    EXPECT_EQ(submit(alice_, two_ahead).outcome, CodeStep::rejected);
  }
  EXPECT_EQ(submit(alice_, code(totp, 30s)).outcome, CodeStep::accepted);
}

// RFC 6238 §6: the window follows a phone whose clock slowly falls behind, step by step, up
// to login.totp_max_drift_steps (4 by default) and never further.
TEST_F(LoginFlowTest, TheWindowFollowsAPhoneWhoseClockFallsBehind) {
  const auto totp = add_totp(alice_);
  const auto factor_id = factors_->factors_of(alice_.id).value().front().id;
  auto drift = [&] { return factors_->find_factor(factor_id).value()->drift_steps; };
  // Each sign-in a minute later, with the phone one more step behind.
  for (int behind = 1; behind <= 4; ++behind) {
    EXPECT_EQ(submit(alice_, code(totp, -behind * 30s)).outcome, CodeStep::accepted) << behind;
    EXPECT_EQ(drift(), -behind);
    clock_.advance(60s);
  }
  // Five steps behind is beyond the limit, though the last code was four behind.
  EXPECT_EQ(submit(alice_, code(totp, -150s)).outcome, CodeStep::rejected);
  EXPECT_EQ(drift(), -4);
  // The owner puts the phone's clock right: the current code still works, and the window is
  // back around now, so a code three steps old no longer does.
  clock_.advance(60s);
  EXPECT_EQ(submit(alice_, code(totp)).outcome, CodeStep::accepted);
  EXPECT_EQ(drift(), 0);
  clock_.advance(150s);
  EXPECT_EQ(submit(alice_, code(totp, -90s)).outcome, CodeStep::rejected);
}

TEST_F(LoginFlowTest, WithoutAKnownDriftTwoStepsBehindIsRefused) {
  const auto totp = add_totp(alice_);
  EXPECT_EQ(submit(alice_, code(totp, -60s)).outcome, CodeStep::rejected);
  clock_.advance(30s);
  // One step behind is learned, and then two behind is within the window around it.
  EXPECT_EQ(submit(alice_, code(totp, -30s)).outcome, CodeStep::accepted);
  clock_.advance(90s);
  EXPECT_EQ(submit(alice_, code(totp, -60s)).outcome, CodeStep::accepted);
}

TEST_F(LoginFlowTest, ADriftLimitOfZeroKeepsTheWindowAroundNow) {
  LoginSettings settings;
  settings.totp.max_drift_steps = 0;  // at least the window: one step either side
  make_flow(settings);
  const auto totp = add_totp(alice_);
  EXPECT_EQ(submit(alice_, code(totp, -30s)).outcome, CodeStep::accepted);
  clock_.advance(90s);
  EXPECT_EQ(submit(alice_, code(totp, -60s)).outcome, CodeStep::rejected);
  EXPECT_EQ(submit(alice_, code(totp, 30s)).outcome, CodeStep::accepted);
}

}  // namespace
}  // namespace tfa::auth::test
