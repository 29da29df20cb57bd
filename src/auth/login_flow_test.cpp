// The sign-in flow: password, code, replays, the code in the password field, trusted devices.
#include "auth/login_flow_test_fixture.hpp"

namespace tfa::auth::test {
namespace {

TEST_F(LoginFlowTest, WithoutSecondFactorThePasswordSignsIn) {
  const auto step = password("alice", "password");
  EXPECT_EQ(step.outcome, PasswordOutcome::signed_in);
  ASSERT_TRUE(step.user.has_value());
  EXPECT_EQ(step.user->id, alice_.id);
  EXPECT_FALSE(step.by_trusted_device);
  EXPECT_FALSE(flow_->has_second_factor(alice_.id).value());
  EXPECT_TRUE(has_event(alice_, "signin.password", "success"));
}

TEST_F(LoginFlowTest, APendingFactorIsNotASecondFactor) {
  const otp::TotpParams params;
  SecretBytes secret = otp::generate_secret(params.algorithm, random_);
  storage::NewFactor factor;
  factor.user_id = alice_.id;
  factor.params = totp_params_json(params);
  factor.secret = &secret;
  factor.status = storage::FactorStatus::pending;
  factor.expires_at = now() + 15min;
  ASSERT_TRUE(factors_->add_factor(factor, now()).has_value());
  EXPECT_FALSE(flow_->has_second_factor(alice_.id).value());
  EXPECT_EQ(password("alice", "password").outcome, PasswordOutcome::signed_in);
}

TEST_F(LoginFlowTest, WhatTheFrontEndKeepsOfASignInCommitsWithItOrNotAtAll) {
  // With the database's transactions, as in the server: the hook runs in the sign-in's write
  // transaction (an API token, say). When it fails, the code it came with stays unused.
  flow_ = std::make_unique<LoginFlow>(*accounts_, *factors_, *audit_, *throttle_, *devices_, clock_,
                                      LoginSettings{}, nullptr, *database_);
  const auto totp = add_totp(alice_);
  const auto typed = code(totp);
  std::optional<std::int64_t> signed_in_as;
  auto failed = flow_->submit_password("alice", "password", typed, std::nullopt, browser_,
                                       [&](const storage::User& user) -> Result<void> {
                                         signed_in_as = user.id;
                                         return fail(Errc::unavailable, "the token could not be kept");
                                       });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message, "the token could not be kept");
  EXPECT_EQ(signed_in_as, alice_.id);
  EXPECT_FALSE(has_event(alice_, "signin.code", "success")) << "rolled back with the hook";

  int kept = 0;
  auto step = flow_->submit_password("alice", "password", typed, std::nullopt, browser_,
                                     [&](const storage::User&) -> Result<void> {
                                       ++kept;
                                       return {};
                                     });
  ASSERT_TRUE(step.has_value());
  EXPECT_EQ(step->outcome, PasswordOutcome::signed_in) << "the code was not spent by the failed sign-in";
  EXPECT_EQ(kept, 1);
  // No hook for a step that does not end signed in.
  auto again = flow_->submit_password("alice", "password", typed, std::nullopt, browser_,
                                      [&](const storage::User&) -> Result<void> {
                                        ++kept;
                                        return {};
                                      });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->outcome, PasswordOutcome::needs_code) << "a replayed code";
  EXPECT_EQ(kept, 1);
}

TEST_F(LoginFlowTest, WithAConfirmedTotpFactorThePasswordNeedsACode) {
  add_totp(alice_);
  EXPECT_TRUE(flow_->has_second_factor(alice_.id).value());
  const auto step = password("alice", "password");
  EXPECT_EQ(step.outcome, PasswordOutcome::needs_code);
  ASSERT_TRUE(step.user.has_value());
  EXPECT_EQ(step.user->id, alice_.id);
  EXPECT_FALSE(step.code_was_wrong);
}

TEST_F(LoginFlowTest, WrongPasswordAndUnknownUserAreRejectedAlike) {
  const auto wrong = password("alice", "not the password");
  const auto unknown = password("mallory", "not the password");
  for (const auto* step : {&wrong, &unknown}) {
    EXPECT_EQ(step->outcome, PasswordOutcome::rejected);
    EXPECT_FALSE(step->user.has_value());
    EXPECT_FALSE(step->code_was_wrong);
    EXPECT_FALSE(step->by_trusted_device);
    EXPECT_EQ(step->retry_after, 0s);
  }
  EXPECT_TRUE(has_event(alice_, "signin.password", "failure"));
  const auto all = audit_->list({}).value();
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const auto& e) {
    return e.username == "mallory" && e.event == "signin.password" && e.outcome == "failure" && !e.user_id;
  }));
}

TEST_F(LoginFlowTest, DisabledUserIsRejectedEvenWithTheRightPassword) {
  ASSERT_TRUE(accounts_->set_disabled("alice", true, cli_).has_value());
  const auto step = password("alice", "password");
  EXPECT_EQ(step.outcome, PasswordOutcome::rejected);
  EXPECT_FALSE(step.user.has_value());
}

TEST_F(LoginFlowTest, RightCodeIsAcceptedOnceThenReplayIsRejected) {
  const auto totp = add_totp(alice_);
  ASSERT_EQ(password("alice", "password").outcome, PasswordOutcome::needs_code);
  const std::string now_code = code(totp);
  EXPECT_EQ(submit(alice_, now_code).outcome, CodeStep::accepted);
  EXPECT_TRUE(has_event(alice_, "signin.code", "success"));
  EXPECT_EQ(submit(alice_, now_code).outcome, CodeStep::rejected);
  EXPECT_TRUE(has_event(alice_, "signin.code", "replayed"));
  // Still refused later in the same step, and after the step is over.
  clock_.advance(20s);
  EXPECT_EQ(submit(alice_, now_code).outcome, CodeStep::rejected);
}

TEST_F(LoginFlowTest, OlderStepAfterANewerOneIsReplayed) {
  const auto totp = add_totp(alice_);
  EXPECT_EQ(submit(alice_, code(totp)).outcome, CodeStep::accepted);
  EXPECT_EQ(submit(alice_, code(totp, -30s)).outcome, CodeStep::rejected);
  EXPECT_TRUE(has_event(alice_, "signin.code", "replayed"));
  // The next step's code is still good.
  clock_.advance(30s);
  EXPECT_EQ(submit(alice_, code(totp)).outcome, CodeStep::accepted);
}

TEST_F(LoginFlowTest, CodeWithSpacesOrHyphenIsAccepted) {
  const auto totp = add_totp(alice_);
  const std::string c = code(totp);
  EXPECT_EQ(submit(alice_, c.substr(0, 3) + " " + c.substr(3)).outcome, CodeStep::accepted);
}

TEST_F(LoginFlowTest, AnotherUsersCodeIsRejected) {
  add_totp(alice_);
  const auto bobs = add_totp(bob_);
  const auto alices = otp::Totp::create({}, factors_->factors_of(alice_.id).value().at(0).secret).value();
  const std::string c = code(bobs);
  if (c != code(alices) && c != code(alices, -30s) && c != code(alices, 30s)) {
    EXPECT_EQ(submit(alice_, c).outcome, CodeStep::rejected);
  }
}

TEST_F(LoginFlowTest, CodeInPasswordSignsInWithTheRightCode) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  const auto totp = add_totp(alice_);
  const auto step = password("alice", "password" + code(totp));
  EXPECT_EQ(step.outcome, PasswordOutcome::signed_in);
  ASSERT_TRUE(step.user.has_value());
  EXPECT_EQ(step.user->id, alice_.id);
  EXPECT_FALSE(step.code_was_wrong);
  EXPECT_TRUE(has_event(alice_, "signin.code", "success"));
}

TEST_F(LoginFlowTest, CodeInPasswordWithAWrongCodeNeedsACode) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  const auto totp = add_totp(alice_);
  const auto step = password("alice", "password" + wrong_code(totp));
  EXPECT_EQ(step.outcome, PasswordOutcome::needs_code);
  ASSERT_TRUE(step.user.has_value());
  EXPECT_TRUE(step.code_was_wrong);
}

TEST_F(LoginFlowTest, CodeInPasswordWithThePasswordAloneNeedsACode) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  add_totp(alice_);
  const auto step = password("alice", "password");
  EXPECT_EQ(step.outcome, PasswordOutcome::needs_code);
  EXPECT_FALSE(step.code_was_wrong);
}

TEST_F(LoginFlowTest, CodeInPasswordWithAWrongPasswordIsRejected) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  const auto totp = add_totp(alice_);
  EXPECT_EQ(password("alice", "passw0rd" + code(totp)).outcome, PasswordOutcome::rejected);
}

TEST_F(LoginFlowTest, CodeInPasswordKeepsPasswordsThatEndInDigits) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  const auto carol = accounts_->create_user("carol", "carol@example.com", "hunter123456", cli_).value();
  EXPECT_EQ(password("carol", "hunter123456").outcome, PasswordOutcome::signed_in);
  add_totp(carol);
  const auto step = password("carol", "hunter123456");
  EXPECT_EQ(step.outcome, PasswordOutcome::needs_code);
}

TEST_F(LoginFlowTest, EightDigitCodesSignInAndSixDigitFactorsOfBeforeStillDo) {
  // login.totp_digits = 8: new factors have 8-digit codes; factors enabled before keep 6.
  LoginSettings settings;
  settings.code_in_password = true;
  settings.totp_digits = 8;
  make_flow(settings);
  const auto eight = add_totp(alice_, 8);
  const auto six = add_totp(bob_);
  ASSERT_EQ(code(eight).size(), 8u);
  EXPECT_EQ(password("alice", "password", code(eight)).outcome, PasswordOutcome::signed_in);
  clock_.advance(30s);
  EXPECT_EQ(password("alice", "password" + code(eight)).outcome, PasswordOutcome::signed_in)
      << "eight digits after the password";
  clock_.advance(30s);
  const auto cut = password("alice", "password" + code(eight).substr(2));
  EXPECT_EQ(cut.outcome, PasswordOutcome::needs_code) << "the right password, and six digits that are no code";
  EXPECT_TRUE(cut.code_was_wrong);
  EXPECT_EQ(password("bob", "bob's password" + code(six)).outcome, PasswordOutcome::signed_in)
      << "six digits after the password, for a factor of before";
  clock_.advance(30s);
  EXPECT_EQ(password("bob", "bob's password", code(six)).outcome, PasswordOutcome::signed_in);
}

TEST_F(LoginFlowTest, WithoutCodeInPasswordAnAppendedCodeIsAWrongPassword) {
  const auto totp = add_totp(alice_);
  EXPECT_EQ(password("alice", "password" + code(totp)).outcome, PasswordOutcome::rejected);
}

TEST_F(LoginFlowTest, SeparateCodeFieldSignsIn) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  const auto totp = add_totp(alice_);
  const std::string c = code(totp);
  EXPECT_EQ(password("alice", "password", std::string_view(c)).outcome, PasswordOutcome::signed_in);
}

TEST_F(LoginFlowTest, TrustedDeviceSignsInWithoutACode) {
  add_totp(alice_);
  const std::string token = devices_->trust(alice_, browser_).value();
  const auto step = password("alice", "password", std::nullopt, std::string_view(token));
  EXPECT_EQ(step.outcome, PasswordOutcome::signed_in);
  EXPECT_TRUE(step.by_trusted_device);
  EXPECT_TRUE(has_event(alice_, "signin.trusted_device", "success"));
}

TEST_F(LoginFlowTest, TrustedDeviceDoesNotReplaceThePassword) {
  add_totp(alice_);
  const std::string token = devices_->trust(alice_, browser_).value();
  EXPECT_EQ(password("alice", "wrong password", std::nullopt, std::string_view(token)).outcome,
            PasswordOutcome::rejected);
}

TEST_F(LoginFlowTest, AnotherUsersDeviceTokenStillNeedsACode) {
  add_totp(alice_);
  add_totp(bob_);
  const std::string bobs = devices_->trust(bob_, browser_).value();
  const auto step = password("alice", "password", std::nullopt, std::string_view(bobs));
  EXPECT_EQ(step.outcome, PasswordOutcome::needs_code);
  EXPECT_FALSE(step.by_trusted_device);
  // Junk tokens too.
  EXPECT_EQ(password("alice", "password", std::nullopt, std::string_view("junk")).outcome,
            PasswordOutcome::needs_code);
}

TEST_F(LoginFlowTest, ExpiredTrustedDeviceNeedsACode) {
  add_totp(alice_);
  const std::string token = devices_->trust(alice_, browser_).value();
  clock_.advance(std::chrono::days(7) + 1s);
  EXPECT_EQ(password("alice", "password", std::nullopt, std::string_view(token)).outcome,
            PasswordOutcome::needs_code);
}

}  // namespace
}  // namespace tfa::auth::test
