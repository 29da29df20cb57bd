#include "auth/signup.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "auth/auth_test_db.hpp"
#include "testing/recording_notifier.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;

class SignupTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
    notices_ = std::make_unique<Notices>(notifier_, clock_, NoticeSettings{"Example Cloud", "https://console.example.com"});
    signup_ = std::make_unique<Signup>(SignupStores{*users_, *audit_}, *accounts_, *throttle_, *notices_, sealer_,
                                       clock_, random_);
    ASSERT_TRUE(accounts_->create_user("alice", "alice@example.com", "password", cli_).has_value());
  }
  void TearDownServices() override {
    signup_.reset();
    notices_.reset();
    throttle_.reset();
  }

  /// Asks to sign up and returns the mail that answered.
  notify::Message requested(const std::string& name, const std::string& email, const Actor& from) {
    const auto before = notifier_.sent().size();
    auto result = signup_->request(name, email, "correct horse", from);
    EXPECT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->outcome, SignupRequest::mailed);
    const auto mail = notifier_.sent();
    EXPECT_EQ(mail.size(), before + 1);
    return mail.back();
  }

  static std::string token_in(const notify::Message& mail) {
    std::smatch match;
    EXPECT_TRUE(std::regex_search(mail.text, match,
                                  std::regex(R"(https://console\.example\.com/signup/confirm\?token=([A-Za-z0-9_-]+))")))
        << mail.text;
    return match[1];
  }

  std::unique_ptr<Throttle> throttle_;
  testing::RecordingNotifier notifier_;
  std::unique_ptr<Notices> notices_;
  std::unique_ptr<Signup> signup_;
};

TEST_F(SignupTest, TheLinkCreatesTheAccountOnceWithThePasswordTyped) {
  const auto mail = requested("bob", "bob@example.com", browser_);
  EXPECT_EQ(mail.to, "bob@example.com");
  EXPECT_NE(mail.subject.find("confirm your new account"), std::string::npos);
  EXPECT_FALSE(users_->find_user_by_name("bob").value().has_value()) << "nothing exists before the link";

  const auto token = token_in(mail);
  auto first = signup_->confirm(token, browser_).value();
  ASSERT_EQ(first.outcome, SignupConfirm::created);
  EXPECT_EQ(first.user.name, "bob");
  EXPECT_EQ(first.user.email, "bob@example.com");
  EXPECT_TRUE(accounts_->check_password("bob", "correct horse").value().has_value());

  auto again = signup_->confirm(token, browser_).value();
  EXPECT_EQ(again.outcome, SignupConfirm::taken);
  EXPECT_EQ(again.name, "bob");
}

TEST_F(SignupTest, ATakenNameGetsTheSameAnswerAndAMailSayingSo) {
  auto taken = signup_->request("Alice", "someone@example.com", "correct horse", browser_);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->outcome, SignupRequest::mailed);
  const auto mail = notifier_.sent().back();
  EXPECT_EQ(mail.to, "someone@example.com");
  EXPECT_NE(mail.subject.find("that username is taken"), std::string::npos);
  EXPECT_EQ(mail.text.find("token="), std::string::npos);
  EXPECT_EQ(users_->list_users().value().size(), 1u);
  // The owner's account is untouched.
  EXPECT_TRUE(accounts_->check_password("alice", "password").value().has_value());
}

TEST_F(SignupTest, BadInputIsRefusedWithTheRuleAndMailsNothing) {
  for (const auto& [name, email, password] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "a@example.com", "correct horse"},
           {"bad name", "a@example.com", "correct horse"},
           {"carol", "not-an-address", "correct horse"},
           {"carol", "carol@example.com", "short"}}) {
    auto result = signup_->request(name, email, password, browser_);
    ASSERT_FALSE(result.has_value()) << name << " " << email;
    EXPECT_EQ(result.error().code, Errc::invalid_argument);
  }
  EXPECT_TRUE(notifier_.sent().empty());
}

TEST_F(SignupTest, ALinkWorksForThirtyMinutes) {
  const auto token = token_in(requested("dave", "dave@example.com", browser_));
  clock_.advance(30min);
  EXPECT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::expired);
  EXPECT_FALSE(users_->find_user_by_name("dave").value().has_value());
}

TEST_F(SignupTest, ALinkDoesNotBringBackAnAccountDeletedAfterItWasSent) {
  const auto token = token_in(requested("erin", "erin@example.com", browser_));
  ASSERT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::created);
  clock_.advance(5min);
  ASSERT_TRUE(accounts_->remove("ERIN", cli_).has_value());
  clock_.advance(1min);
  EXPECT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::invalid);
  EXPECT_FALSE(users_->find_user_by_name("erin").value().has_value());
  // A link sent after the deletion works: the name is free.
  const auto fresh = token_in(requested("erin", "erin@example.com", browser_));
  EXPECT_EQ(signup_->confirm(fresh, browser_).value().outcome, SignupConfirm::created);
}

TEST_F(SignupTest, AFloodOfOtherEventsUnderTheNameDoesNotHideTheDeletion) {
  const auto token = token_in(requested("erin", "erin@example.com", browser_));
  ASSERT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::created);
  ASSERT_TRUE(accounts_->remove("erin", cli_).has_value());
  // Throttled sign-ins for the name write an audit row each, without any sign-in at all.
  for (int i = 0; i < 1100; ++i) {
    ASSERT_TRUE(audit_->append({0, now(), std::nullopt, "erin", "signin.password", "throttled", "192.0.2.9", "", ""}));
  }
  EXPECT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::invalid);
  EXPECT_FALSE(users_->find_user_by_name("erin").value().has_value());
}

TEST_F(SignupTest, AWholeLinkPastedOrWrappedStillWorks) {
  const auto mail = requested("erin", "erin@example.com", browser_);
  std::string token = token_in(mail);
  const std::string pasted = " https://console.example.com/signup/confirm?token=" + token.substr(0, 40) +
                             "\r\n" + token.substr(40) + "\n";
  EXPECT_EQ(signup_->confirm(pasted, browser_).value().outcome, SignupConfirm::created);
}

TEST_F(SignupTest, ATamperedOrForeignLinkOpensNothing) {
  std::string token = token_in(requested("frank", "frank@example.com", browser_));
  std::string flipped = token;
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == 'A' ? 'B' : 'A';
  // Sealed under another key, e.g. by another installation.
  auto other_sealer = crypto::Sealer::create(SecretBytes::copy_of(std::vector<std::uint8_t>(32, 7))).value();
  Signup other(SignupStores{*users_, *audit_}, *accounts_, *throttle_, *notices_, other_sealer, clock_, random_);
  ASSERT_EQ(other.request("grace", "grace@example.com", "correct horse", browser_).value().outcome,
            SignupRequest::mailed);
  const std::string foreign = token_in(notifier_.sent().back());
  for (const auto& bad : {flipped, foreign, std::string("not a token"), std::string(""), token.substr(0, 40),
                          std::string(4000, 'A')}) {
    EXPECT_EQ(signup_->confirm(bad, {"198.51.100.1", "test"}).value().outcome, SignupConfirm::invalid) << bad;
  }
  EXPECT_EQ(users_->list_users().value().size(), 1u);
  EXPECT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::created);
}

TEST_F(SignupTest, BadLinksAreLimitedPerAddress) {
  const Actor guesser{"198.51.100.2", "test"};
  // Ten are free; the eleventh blocks the address.
  for (int i = 0; i < 11; ++i) {
    EXPECT_EQ(signup_->confirm("junk" + std::to_string(i), guesser).value().outcome, SignupConfirm::invalid);
  }
  const auto token = token_in(requested("heidi", "heidi@example.com", browser_));
  auto blocked = signup_->confirm(token, guesser).value();
  EXPECT_EQ(blocked.outcome, SignupConfirm::throttled);
  EXPECT_GT(blocked.retry_after, 0s);
  EXPECT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::created) << "another address is not blocked";
}

TEST_F(SignupTest, AGenuineLinkRefusedAgainAndAgainCountsToo) {
  // Each refusal writes an audit row and asks the database to create the account, with no
  // sign-in needed: a used (or expired) link posted in a loop is stopped like a guessed one.
  // A person who opens their link twice stays far under the limit.
  const Actor clicker{"198.51.100.3", "test"};
  const auto token = token_in(requested("ivan", "ivan@example.com", clicker));
  ASSERT_EQ(signup_->confirm(token, clicker).value().outcome, SignupConfirm::created);
  for (int i = 0; i < 11; ++i) EXPECT_EQ(signup_->confirm(token, clicker).value().outcome, SignupConfirm::taken) << i;
  EXPECT_EQ(signup_->confirm(token, clicker).value().outcome, SignupConfirm::throttled);
}

TEST_F(SignupTest, SignUpsArePerAddressAndPerRecipientLimited) {
  const Actor busy{"198.51.100.3", "test"};
  for (int i = 0; i < 10; ++i) requested("user" + std::to_string(i), "u" + std::to_string(i) + "@example.com", busy);
  // The eleventh from that address waits, whether the name is taken or not, and mails nothing.
  const auto mails = notifier_.sent().size();
  for (const std::string name : {"alice", "newname"}) {
    auto blocked = signup_->request(name, "x@example.com", "correct horse", busy).value();
    EXPECT_EQ(blocked.outcome, SignupRequest::throttled);
    EXPECT_GT(blocked.retry_after, 0s);
  }
  // Three mails to one mailbox, then it waits, from any address.
  for (int i = 0; i < 3; ++i) {
    requested("victim" + std::to_string(i), "victim@example.com", {"198.51.100." + std::to_string(10 + i), "t"});
  }
  EXPECT_EQ(signup_->request("victim9", "Victim@Example.com", "correct horse", {"198.51.100.20", "t"})
                .value()
                .outcome,
            SignupRequest::throttled);
  EXPECT_EQ(notifier_.sent().size(), mails + 3);
}

TEST_F(SignupTest, EveryStepIsAudited) {
  const auto token = token_in(requested("ivan", "ivan@example.com", browser_));
  requested("alice", "probe@example.com", browser_);
  ASSERT_EQ(signup_->confirm(token, browser_).value().outcome, SignupConfirm::created);
  ASSERT_EQ(signup_->confirm("junk", browser_).value().outcome, SignupConfirm::invalid);
  std::vector<std::string> seen;
  const auto events = audit_->list({}).value();
  for (const auto& event : events) {
    if (event.event.starts_with("signup") || (event.event == "user.created" && event.username == "ivan")) {
      seen.push_back(event.event + " " + event.outcome + " " + event.username);
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"signup.confirmed failure ", "signup.requested success ivan",
                                            "signup.requested taken alice", "user.created success ivan"}));
}

}  // namespace
}  // namespace tfa::auth
