// Throttling at sign-in: wrong passwords and codes per account, per name and per address,
// and what the owner keeps during an attack.
#include "auth/login_flow_test_fixture.hpp"

namespace tfa::auth::test {
namespace {

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

// An empty field (or spaces) is no guess: never counted, never blocks the owner.
TEST_F(LoginFlowTest, BlankCodesAreRefusedWithoutCounting) {
  const auto totp = add_totp(alice_);
  for (int i = 0; i < 10; ++i) {
    const auto step = submit(alice_, i % 2 ? "" : "   ");
    EXPECT_EQ(step.outcome, CodeStep::rejected) << i;
    EXPECT_EQ(step.retry_after, 0s) << i;
  }
  EXPECT_FALSE(has_event(alice_, "signin.code", "failure"));
  EXPECT_EQ(submit(alice_, code(totp)).outcome, CodeStep::accepted);
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
}  // namespace tfa::auth::test
