#include "auth/login_flow.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/auth_test_db.hpp"
#include "otp/secret.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

class LoginFlowTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
    devices_ = std::make_unique<TrustedDevices>(*devices_store_, *audit_, clock_, random_, std::chrono::days(7));
    make_flow({});
    alice_ = accounts_->create_user("alice", "alice@example.com", "password", cli_).value();
    bob_ = accounts_->create_user("bob", "bob@example.com", "bob's password", cli_).value();
  }
  void TearDownServices() override {
    flow_.reset();
    devices_.reset();
    throttle_.reset();
  }

  void make_flow(LoginSettings settings) {
    flow_ = std::make_unique<LoginFlow>(*accounts_, *factors_, *audit_, *throttle_, *devices_, clock_, settings);
  }

  /// Gives `user` a confirmed TOTP factor and returns a generator for its codes, built from
  /// the secret read back through the factor store.
  otp::Totp add_totp(const storage::User& user) {
    const otp::TotpParams params;
    SecretBytes secret = otp::generate_secret(params.algorithm, random_);
    storage::NewFactor factor;
    factor.user_id = user.id;
    factor.kind = storage::FactorKind::totp;
    factor.label = "phone";
    factor.params = totp_params_json(params);
    factor.secret = &secret;
    factor.status = storage::FactorStatus::confirmed;
    const auto id = factors_->add_factor(factor, now()).value();
    auto stored = factors_->find_factor(id).value();
    EXPECT_TRUE(stored.has_value());
    return otp::Totp::create(parse_totp_params(stored->params).value(), stored->secret).value();
  }

  std::string code(const otp::Totp& totp, seconds offset = 0s) const { return totp.code_at(now() + offset); }

  /// A six-digit code that matches no step in the window around now.
  std::string wrong_code(const otp::Totp& totp) const {
    std::vector<std::string> valid;  // every step a drifted window might accept
    for (int step = -4; step <= 4; ++step) valid.push_back(code(totp, step * 30s));
    for (int n = 0;; ++n) {
      char text[8];
      std::snprintf(text, sizeof text, "%06d", n * 111'111 % 1'000'000);
      if (std::find(valid.begin(), valid.end(), text) == valid.end()) return text;
    }
  }

  PasswordStep password(std::string_view name, std::string_view pw,
                        std::optional<std::string_view> code_field = std::nullopt,
                        std::optional<std::string_view> device = std::nullopt) {
    return flow_->submit_password(name, pw, code_field, device, browser_).value();
  }
  CodeStep submit(const storage::User& user, std::string_view c) {
    return flow_->submit_code(user, c, browser_).value();
  }

  std::vector<storage::AuditEvent> events_of(const storage::User& user) {
    return audit_->list({user.id, std::nullopt, 1000}).value();
  }
  bool has_event(const storage::User& user, std::string_view event, std::string_view outcome) {
    const auto events = events_of(user);
    return std::any_of(events.begin(), events.end(),
                       [&](const auto& e) { return e.event == event && e.outcome == outcome; });
  }

  std::unique_ptr<Throttle> throttle_;
  std::unique_ptr<TrustedDevices> devices_;
  std::unique_ptr<LoginFlow> flow_;
  storage::User alice_;
  storage::User bob_;
};

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

TEST_F(LoginFlowTest, WrongCodesAreThrottled) {
  const auto totp = add_totp(alice_);
  const std::string wrong = wrong_code(totp);
  // code_per_account: five free failures; the sixth blocks for 30 s.
  for (int i = 0; i < 5; ++i) {
    const auto step = submit(alice_, wrong);
    EXPECT_EQ(step.outcome, CodeStep::rejected) << i;
    EXPECT_EQ(step.retry_after, 0s) << i;
  }
  const auto sixth = submit(alice_, wrong);
  EXPECT_EQ(sixth.outcome, CodeStep::rejected);
  EXPECT_EQ(sixth.retry_after, 30s);
  // Now even the right code is refused until the block is over.
  auto blocked = submit(alice_, code(totp));
  EXPECT_EQ(blocked.outcome, CodeStep::throttled);
  EXPECT_EQ(blocked.retry_after, 30s);
  EXPECT_TRUE(has_event(alice_, "signin.code", "throttled"));
  clock_.advance(10s);
  blocked = submit(alice_, code(totp));
  EXPECT_EQ(blocked.outcome, CodeStep::throttled);
  EXPECT_EQ(blocked.retry_after, 20s);
  clock_.advance(20s);
  EXPECT_EQ(submit(alice_, code(totp)).outcome, CodeStep::accepted);
  // Once blocked, a success does not clear the count: the next wrong code blocks at once,
  // for twice as long, so the owner's sign-in gives a guesser no fresh allowance.
  const auto seventh = submit(alice_, wrong_code(totp));
  EXPECT_EQ(seventh.outcome, CodeStep::rejected);
  EXPECT_EQ(seventh.retry_after, 60s);
}

// Someone who knows many accounts' passwords tries four codes on each, under every account's
// limit: the address is stopped after 20 wrong codes, for every account, while another
// address and the owner's backup code are not.
TEST_F(LoginFlowTest, WrongCodesFromOneAddressAreThrottledAcrossAccounts) {
  std::vector<storage::User> users;
  std::vector<otp::Totp> generators;
  for (int i = 0; i < 6; ++i) {
    users.push_back(accounts_->create_user("user" + std::to_string(i), "user" + std::to_string(i) + "@example.com", "password", cli_).value());
    generators.push_back(add_totp(users.back()));
  }
  int wrong = 0;
  for (int i = 0; i < 5 && wrong < 20; ++i) {
    for (int n = 0; n < 4 && wrong < 20; ++n, ++wrong) {
      const auto step = submit(users[i], wrong_code(generators[i]));
      EXPECT_EQ(step.outcome, CodeStep::rejected) << wrong;
      EXPECT_EQ(step.retry_after, 0s) << wrong;
    }
  }
  const auto twenty_first = submit(users[5], wrong_code(generators[5]));
  EXPECT_EQ(twenty_first.outcome, CodeStep::rejected);
  EXPECT_EQ(twenty_first.retry_after, 30s);
  // Blocked at this address, even with the right code of an account that failed only once.
  const auto blocked = submit(users[5], code(generators[5]));
  EXPECT_EQ(blocked.outcome, CodeStep::throttled);
  EXPECT_EQ(blocked.retry_after, 30s);
  EXPECT_TRUE(has_event(users[5], "signin.code", "throttled"));
  // Another address is not blocked.
  const Actor elsewhere{"198.51.100.20", "Mozilla/5.0 (test)"};
  EXPECT_EQ(flow_->submit_code(users[5], code(generators[5]), elsewhere).value().outcome, CodeStep::accepted);
  // The block grows with further failures and is not cleared by a success.
  clock_.advance(30s);
  EXPECT_EQ(submit(users[0], code(generators[0])).outcome, CodeStep::accepted);
  EXPECT_EQ(submit(users[1], wrong_code(generators[1])).retry_after, 60s);
}

TEST_F(LoginFlowTest, AFewWrongCodesAreForgottenAtTheNextSuccess) {
  const auto totp = add_totp(alice_);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(submit(alice_, wrong_code(totp)).retry_after, 0s) << i;
  clock_.advance(30s);  // a new step, so that the right code is not a replay
  EXPECT_EQ(submit(alice_, code(totp)).outcome, CodeStep::accepted);
  // Typos, not an attack: the count starts again.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(submit(alice_, wrong_code(totp)).retry_after, 0s) << i;
}

TEST_F(LoginFlowTest, OldWrongCodesSurviveTheOwnersNextSuccess) {
  const auto totp = add_totp(alice_);
  // Five guesses, then the owner signs in an hour later: the guesses are not the owner's typos
  // and stay counted, so the next wrong code blocks.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(submit(alice_, wrong_code(totp)).retry_after, 0s) << i;
  clock_.advance(std::chrono::hours(1));
  EXPECT_EQ(submit(alice_, code(totp)).outcome, CodeStep::accepted);
  EXPECT_EQ(submit(alice_, wrong_code(totp)).retry_after, 30s);
}

TEST_F(LoginFlowTest, BlockedCodeFailuresAreForgottenOnePerThirtyDays) {
  const auto totp = add_totp(alice_);
  for (int i = 0; i < 6; ++i) (void)submit(alice_, wrong_code(totp));  // the 6th blocks for 30 s
  clock_.advance(31s);
  ASSERT_EQ(submit(alice_, wrong_code(totp)).retry_after, 60s);        // the 7th, for 60 s
  // Waiting 30 days forgets one failure: the next wrong code is the 7th again (60 s), not a
  // fresh start; 60 days more forget two, and it is the 6th (30 s).
  clock_.advance(std::chrono::days(30) + 1s);
  EXPECT_EQ(submit(alice_, wrong_code(totp)).retry_after, 60s);
  clock_.advance(std::chrono::days(60) + 1s);
  EXPECT_EQ(submit(alice_, wrong_code(totp)).retry_after, 30s);
  // Long quiet forgets everything.
  clock_.advance(std::chrono::days(6 * 30) + 1s);
  EXPECT_EQ(submit(alice_, wrong_code(totp)).retry_after, 0s);
}

TEST_F(LoginFlowTest, ThrottledCodeInPasswordReportsThrottled) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  const auto totp = add_totp(alice_);
  for (int i = 0; i < 6; ++i) submit(alice_, wrong_code(totp));
  const auto step = password("alice", "password" + code(totp));
  EXPECT_EQ(step.outcome, PasswordOutcome::throttled);
  EXPECT_EQ(step.retry_after, 30s);
}

TEST_F(LoginFlowTest, WrongPasswordsForAnAccountAreThrottled) {
  // password_per_account: five free failures; the sixth blocks for 2 s.
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(password("alice", "wrong password").outcome, PasswordOutcome::rejected) << i;
  }
  auto step = password("alice", "password");
  EXPECT_EQ(step.outcome, PasswordOutcome::throttled);
  EXPECT_EQ(step.retry_after, 2s);
  EXPECT_FALSE(step.user.has_value());
  EXPECT_TRUE(has_event(alice_, "signin.password", "throttled"));
  // Other accounts are not affected.
  EXPECT_EQ(password("bob", "bob's password").outcome, PasswordOutcome::signed_in);
  clock_.advance(2s);
  EXPECT_EQ(password("alice", "password").outcome, PasswordOutcome::signed_in);
  // The success cleared the account's count.
  for (int i = 0; i < 5; ++i) password("alice", "wrong password");
  EXPECT_EQ(password("alice", "password").outcome, PasswordOutcome::signed_in);
}

TEST_F(LoginFlowTest, WrongPasswordsFromAnAddressAreThrottled) {
  LoginSettings settings;
  settings.password_per_address = {2, 5s, 60s, 1h};
  make_flow(settings);
  for (int i = 0; i < 3; ++i) password("nobody" + std::to_string(i), "whatever password");
  const auto step = password("bob", "bob's password");
  EXPECT_EQ(step.outcome, PasswordOutcome::throttled);
  EXPECT_EQ(step.retry_after, 5s);
}

TEST_F(LoginFlowTest, ThrottledUnknownUserLooksLikeThrottledKnownUser) {
  LoginSettings settings;
  settings.password_per_address = {0, 5s, 60s, 1h};
  make_flow(settings);
  password("mallory", "x");
  const auto unknown = password("mallory", "x");
  const auto known = password("alice", "password");
  EXPECT_EQ(unknown.outcome, PasswordOutcome::throttled);
  EXPECT_EQ(known.outcome, PasswordOutcome::throttled);
  EXPECT_EQ(unknown.retry_after, known.retry_after);
}


// Throttling must not reveal which names exist: an unknown name is throttled like a known one.
TEST_F(LoginFlowTest, ThrottlingDoesNotRevealWhetherANameExists) {
  for (int i = 0; i < 6; ++i) {
    password("alice", "wrong password");
    password("mallory", "wrong password");
  }
  const auto known = password("alice", "wrong password");
  const auto unknown = password("mallory", "wrong password");
  EXPECT_EQ(known.outcome, unknown.outcome);
  EXPECT_EQ(known.retry_after, unknown.retry_after);
}

// code_in_password: for an account without a second factor, the password followed by six
// digits is not the password.
TEST_F(LoginFlowTest, CodeInPasswordDoesNotAcceptJunkDigitsWithoutAFactor) {
  LoginSettings settings;
  settings.code_in_password = true;
  make_flow(settings);
  EXPECT_EQ(password("alice", "password999999").outcome, PasswordOutcome::rejected);
}

}  // namespace
}  // namespace tfa::auth
