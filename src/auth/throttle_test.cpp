#include "auth/throttle.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/auth_test_db.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

class ThrottleTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
  }
  void TearDownServices() override { throttle_.reset(); }

  std::optional<seconds> fail(const std::string& key) { return throttle_->failure(key, policy_).value(); }
  std::optional<seconds> wait(const std::string& key) { return throttle_->retry_after(key).value(); }

  ThrottlePolicy policy_{3, 30s, 120s, 1h};
  std::unique_ptr<Throttle> throttle_;
};

TEST_F(ThrottleTest, UnknownKeyMayBeTried) { EXPECT_EQ(wait("account:1:otp"), std::nullopt); }

TEST_F(ThrottleTest, SettlingCountsAWrongAttemptAndClearsForARightOne) {
  const std::string key = account_key(7, "password");
  auto settled = throttle_->settle(*database_, key, policy_, false).value();
  EXPECT_FALSE(settled.throttled);
  EXPECT_EQ(throttle_->failures(key, policy_).value(), 1);
  settled = throttle_->settle(*database_, key, policy_, true).value();
  EXPECT_FALSE(settled.throttled);
  EXPECT_EQ(throttle_->failures(key, policy_).value(), 0);
  for (int i = 0; i < 3; ++i) (void)throttle_->settle(*database_, key, policy_, false).value();
  settled = throttle_->settle(*database_, key, policy_, false).value();
  EXPECT_FALSE(settled.throttled) << "the failure that starts the block is still a wrong password";
  EXPECT_EQ(settled.retry_after, seconds(30));
}

TEST_F(ThrottleTest, AnAttemptSettledAfterOthersBlockedTheKeyIsThrottledRightOrWrong) {
  // Ten attempts sent at once all found the key open; four of them failed first and blocked
  // it. The rest, right or wrong, are throttled and change nothing.
  const std::string key = account_key(7, "password");
  for (int i = 0; i < 4; ++i) (void)fail(key);
  const auto before = throttle_->failures(key, policy_).value();
  for (const bool right : {true, false}) {
    const auto settled = throttle_->settle(*database_, key, policy_, right).value();
    EXPECT_TRUE(settled.throttled) << right;
    EXPECT_EQ(settled.retry_after, seconds(30));
  }
  EXPECT_EQ(throttle_->failures(key, policy_).value(), before) << "nothing counted or cleared";
  EXPECT_EQ(wait(key), seconds(30));
}

TEST_F(ThrottleTest, FreeFailuresThenGrowingBackOffCappedAtMax) {
  const std::string key = account_key(7, "otp");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(fail(key), std::nullopt) << "free failure " << i + 1;
    EXPECT_EQ(wait(key), std::nullopt);
  }
  EXPECT_EQ(fail(key), seconds(30));
  EXPECT_EQ(wait(key), seconds(30));
  EXPECT_EQ(fail(key), seconds(60));
  EXPECT_EQ(fail(key), seconds(120));
  EXPECT_EQ(fail(key), seconds(120));  // capped
  EXPECT_EQ(wait(key), seconds(120));
  // Many more failures never overflow past the cap.
  for (int i = 0; i < 70; ++i) EXPECT_EQ(fail(key), seconds(120));
}

TEST_F(ThrottleTest, DefaultPolicyDoublesUpToAnHour) {
  const ThrottlePolicy defaults;
  const std::string key = "k";
  for (int i = 0; i < defaults.free_failures; ++i) EXPECT_EQ(throttle_->failure(key, defaults).value(), std::nullopt);
  seconds expected = 30s;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(throttle_->failure(key, defaults).value(), std::min<seconds>(expected, 1h));
    expected *= 2;
  }
}

TEST_F(ThrottleTest, RetryAfterShrinksWithTheClock) {
  const std::string key = address_key("198.51.100.1", "password");
  for (int i = 0; i < 4; ++i) fail(key);
  EXPECT_EQ(wait(key), seconds(30));
  clock_.advance(10s);
  EXPECT_EQ(wait(key), seconds(20));
  clock_.advance(19s);
  EXPECT_EQ(wait(key), seconds(1));
  clock_.advance(1s);
  EXPECT_EQ(wait(key), std::nullopt);
  // Blocks are counted from the failure that causes them.
  EXPECT_EQ(fail(key), seconds(60));
}

TEST_F(ThrottleTest, SuccessClears) {
  const std::string key = account_key(3, "password");
  for (int i = 0; i < 5; ++i) fail(key);
  ASSERT_TRUE(wait(key).has_value());
  ASSERT_TRUE(throttle_->success(key).has_value());
  EXPECT_EQ(wait(key), std::nullopt);
  // The count starts again: three free failures.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fail(key), std::nullopt);
  EXPECT_EQ(fail(key), seconds(30));
  // Success on a key never seen is harmless.
  EXPECT_TRUE(throttle_->success("never-seen").has_value());
}

TEST_F(ThrottleTest, KeysAreIndependent) {
  for (int i = 0; i < 4; ++i) fail(account_key(1, "otp"));
  EXPECT_TRUE(wait(account_key(1, "otp")).has_value());
  EXPECT_EQ(wait(account_key(1, "password")), std::nullopt);
  EXPECT_EQ(wait(account_key(2, "otp")), std::nullopt);
}

TEST_F(ThrottleTest, FailuresOlderThanForgetAfterAreForgotten) {
  const std::string key = "account:9:otp";
  for (int i = 0; i < 5; ++i) fail(key);  // blocked for 60 s
  ASSERT_EQ(wait(key), seconds(60));
  clock_.advance(1h);
  EXPECT_EQ(wait(key), std::nullopt);
  // The window started an hour ago: the count starts again, with free failures.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fail(key), std::nullopt) << i;
  EXPECT_EQ(fail(key), seconds(30));
}

TEST_F(ThrottleTest, FailuresWithinForgetAfterStillCount) {
  const std::string key = "account:9:otp";
  for (int i = 0; i < 3; ++i) fail(key);
  clock_.advance(59min);
  EXPECT_EQ(fail(key), seconds(30));
}

TEST_F(ThrottleTest, KeysAreSpelledAlike) {
  EXPECT_EQ(account_key(42, "otp"), "account:42:otp");
  EXPECT_EQ(address_key("192.0.2.1", "password"), "address:192.0.2.1:password");
}

TEST(ThrottleKeys, AnIPv6ClientIsKeyedByItsSlash64) {
  EXPECT_EQ(address_key("2001:db8::1", "password"), "address:2001:db8::/64:password");
  EXPECT_EQ(address_key("2001:db8::1", "code"), address_key("2001:db8:0:0:ffff:1:2:3", "code"));
  EXPECT_NE(address_key("2001:db8::1", "code"), address_key("2001:db8:0:1::1", "code")) << "another /64";
  EXPECT_EQ(address_key("::1", "code"), "address:::/64:code");
  EXPECT_EQ(address_key("", "code"), "address::code") << "no address (the command line)";
  EXPECT_EQ(address_key("not an address", "code"), "address:not an address:code");
}

TEST(ThrottleKeys, LongNamesShareNoCounterAndStayShort) {
  const std::string stem(200, 'a');
  const auto one = name_key(stem + "1@example.com", "signup_mail");
  const auto two = name_key(stem + "2@example.com", "signup_mail");
  EXPECT_NE(one, two) << "names alike in their first 128 characters";
  EXPECT_EQ(one, name_key(std::string(200, 'A') + "1@EXAMPLE.com", "signup_mail")) << "case does not matter";
  EXPECT_LT(one.size(), 100u);
  EXPECT_EQ(name_key(std::string(128, 'b'), "password"), "name:" + std::string(128, 'b') + ":password");
}

TEST(ThrottleKeys, NamesBeyondAsciiAreKeyedByTheirHashInAscii) {
  for (std::string_view name : {"\xE2\x84\xAAirk", "evil\xFF", "jos\xC3\xA9"}) {
    const auto key = name_key(name, "password");
    EXPECT_EQ(key.rfind("name:sha256=", 0), 0u) << key;
    EXPECT_TRUE(std::all_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
  }
  EXPECT_NE(name_key("\xE2\x84\xAAirk", "password"), name_key("kirk", "password"));
}


// The count is forgotten only after forget_after without any failure, so spending the free
// failures at the end of one period does not earn a fresh set at the start of the next.
TEST_F(ThrottleTest, RecentFailuresAreNotForgottenWithOldOnes) {
  const std::string key = "account:9:otp";
  fail(key);                   // the first failure
  clock_.advance(59min);
  fail(key);
  fail(key);                   // three failures, the last two a minute before forget_after
  clock_.advance(2min);        // the first failure is now older than forget_after
  EXPECT_EQ(fail(key), seconds(30)) << "the count goes on: failures were recent";
  clock_.advance(61min);       // forget_after without any failure
  EXPECT_EQ(fail(key), std::nullopt) << "now the count starts again";
}

}  // namespace
}  // namespace tfa::auth
