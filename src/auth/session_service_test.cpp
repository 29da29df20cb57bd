#include "auth/session_service.hpp"

#include <gtest/gtest.h>

#include "auth/auth_test_db.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;

class SessionServiceTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    SecretBytes key(32);
    key.expose_mutable()[0] = 0x42;
    service_ = std::make_unique<SessionService>(*sessions_, clock_, random_, std::move(key));
    // Sessions reference users (a foreign key), so the ids must be real.
    a_ = accounts_->create_user("alice", "alice@example.com", "password", cli_).value().id;
    b_ = accounts_->create_user("bob", "bob@example.com", "password", cli_).value().id;
  }
  void TearDownServices() override { service_.reset(); }

  std::optional<WebSession> resume(std::string_view cookie) { return service_->resume(cookie).value(); }

  std::unique_ptr<SessionService> service_;
  std::int64_t a_ = 0;
  std::int64_t b_ = 0;
};

TEST_F(SessionServiceTest, StartThenResumeByCookie) {
  const auto session = service_->start(browser_).value();
  EXPECT_FALSE(session.id.empty());
  EXPECT_EQ(session.stage(), Stage::anonymous);
  EXPECT_EQ(session.user_id(), std::nullopt);
  const auto resumed = resume(session.id);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_EQ(resumed->id, session.id);
  EXPECT_EQ(resumed->stage(), Stage::anonymous);
  EXPECT_EQ(resumed->record.client_address, "203.0.113.7");
  EXPECT_EQ(resumed->record.user_agent, "Mozilla/5.0 (test)");
  EXPECT_EQ(resumed->record.expires_at, now() + 15min);
}

TEST_F(SessionServiceTest, EachSessionHasItsOwnId) {
  const auto a = service_->start(browser_).value();
  const auto b = service_->start(browser_).value();
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.record.id_hash, b.record.id_hash);
}

TEST_F(SessionServiceTest, JunkAndUnknownCookiesResumeNothing) {
  const auto session = service_->start(browser_).value();
  EXPECT_EQ(resume(""), std::nullopt);
  EXPECT_EQ(resume("junk"), std::nullopt);
  EXPECT_EQ(resume("'; DROP TABLE sessions; --"), std::nullopt);
  EXPECT_EQ(resume(std::string(10'000, 'a')), std::nullopt);
  // Well-formed, but never issued.
  const auto other = service_->start(browser_).value();
  ASSERT_TRUE(service_->end(other).has_value());
  EXPECT_EQ(resume(other.id), std::nullopt);
  // A token one character off.
  std::string changed = session.id;
  changed[0] = changed[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(resume(changed), std::nullopt);
  EXPECT_TRUE(resume(session.id).has_value());
}

TEST_F(SessionServiceTest, AdvanceChangesTheIdAndTheOldIdStopsWorking) {
  auto session = service_->start(browser_).value();
  const std::string first = session.id;
  ASSERT_TRUE(service_->advance(session, Stage::second_factor, a_).has_value());
  EXPECT_NE(session.id, first);
  EXPECT_EQ(session.stage(), Stage::second_factor);
  EXPECT_EQ(session.user_id(), a_);
  EXPECT_EQ(resume(first), std::nullopt);
  auto resumed = resume(session.id);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_EQ(resumed->stage(), Stage::second_factor);
  EXPECT_EQ(resumed->user_id(), a_);

  const std::string second = session.id;
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  EXPECT_NE(session.id, second);
  EXPECT_EQ(resume(second), std::nullopt);
  ASSERT_TRUE(resume(session.id).has_value());
  EXPECT_EQ(resume(session.id)->stage(), Stage::signed_in);
}

TEST_F(SessionServiceTest, AStolenOldIdCannotBeAdvancedAgain) {
  auto session = service_->start(browser_).value();
  WebSession stolen = session;
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  auto again = service_->advance(stolen, Stage::signed_in, b_);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::not_found);
}

TEST_F(SessionServiceTest, AdvanceToAnonymousClearsDataAndReauth) {
  auto session = service_->start(browser_).value();
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  session.set_number("factor", 12);
  service_->mark_reauthenticated(session);
  ASSERT_TRUE(service_->save(session).has_value());
  ASSERT_TRUE(service_->advance(session, Stage::anonymous, std::nullopt).has_value());
  EXPECT_EQ(session.number("factor"), std::nullopt);
  EXPECT_FALSE(session.record.reauth_at.has_value());
  EXPECT_EQ(session.user_id(), std::nullopt);
}

TEST_F(SessionServiceTest, AnotherAccountSigningInOnTheBrowserStartsWithoutTheFirstOnesState) {
  auto session = service_->start(browser_).value();
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  session.set_number("factor", 12);
  service_->mark_reauthenticated(session);
  ASSERT_TRUE(service_->save(session).has_value());
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, b_).has_value());
  EXPECT_FALSE(service_->recently_reauthenticated(session)) << "bob never confirmed his password";
  EXPECT_EQ(session.number("factor"), std::nullopt) << "alice's pending enrollment";
}

TEST_F(SessionServiceTest, TheSameAccountKeepsItsStateFromStepToStep) {
  auto session = service_->start(browser_).value();
  ASSERT_TRUE(service_->advance(session, Stage::second_factor, a_).has_value());
  session.set_number("factor", 12);
  ASSERT_TRUE(service_->save(session).has_value());
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  EXPECT_EQ(session.number("factor"), 12);
}

TEST_F(SessionServiceTest, CsrfTokenDiffersPerSessionAndAfterAdvance) {
  auto a = service_->start(browser_).value();
  const auto b = service_->start(browser_).value();
  const std::string token_a = service_->csrf_token(a);
  EXPECT_FALSE(token_a.empty());
  EXPECT_EQ(service_->csrf_token(a), token_a);  // stable for the same session
  EXPECT_NE(service_->csrf_token(b), token_a);
  ASSERT_TRUE(service_->advance(a, Stage::second_factor, a_).has_value());
  EXPECT_NE(service_->csrf_token(a), token_a);
  EXPECT_FALSE(service_->csrf_matches(a, token_a));  // the old token is worthless
}

TEST_F(SessionServiceTest, CsrfTokenDependsOnTheKey) {
  const auto session = service_->start(browser_).value();
  SessionService other(*sessions_, clock_, random_, SecretBytes(32));
  EXPECT_NE(other.csrf_token(session), service_->csrf_token(session));
}

TEST_F(SessionServiceTest, CsrfMatches) {
  const auto a = service_->start(browser_).value();
  const auto b = service_->start(browser_).value();
  const std::string token = service_->csrf_token(a);
  EXPECT_TRUE(service_->csrf_matches(a, token));
  EXPECT_FALSE(service_->csrf_matches(a, service_->csrf_token(b)));
  EXPECT_FALSE(service_->csrf_matches(a, ""));
  EXPECT_FALSE(service_->csrf_matches(a, token.substr(0, token.size() - 1)));
  EXPECT_FALSE(service_->csrf_matches(a, token + "x"));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(service_->csrf_matches(a, flipped));
}

TEST_F(SessionServiceTest, AnonymousSessionExpiresAfterFifteenMinutes) {
  const auto session = service_->start(browser_).value();
  clock_.advance(15min - 1s);
  EXPECT_TRUE(resume(session.id).has_value());
  clock_.advance(1s);
  EXPECT_EQ(resume(session.id), std::nullopt);
}

TEST_F(SessionServiceTest, AnonymousSessionDoesNotSlide) {
  const auto session = service_->start(browser_).value();
  clock_.advance(10min);
  ASSERT_TRUE(resume(session.id).has_value());
  clock_.advance(6min);
  EXPECT_EQ(resume(session.id), std::nullopt);
}

TEST_F(SessionServiceTest, SecondFactorStageExpiresAfterFifteenMinutes) {
  auto session = service_->start(browser_).value();
  clock_.advance(10min);
  ASSERT_TRUE(service_->advance(session, Stage::second_factor, a_).has_value());
  clock_.advance(15min - 1s);
  EXPECT_TRUE(resume(session.id).has_value());
  clock_.advance(1s);
  EXPECT_EQ(resume(session.id), std::nullopt);
}

TEST_F(SessionServiceTest, SignedInSessionSlides) {
  auto session = service_->start(browser_).value();
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  EXPECT_EQ(session.record.expires_at, now() + 12h);
  clock_.advance(11h);
  auto resumed = resume(session.id);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_EQ(resumed->record.expires_at, now() + 12h);
  clock_.advance(11h);  // 22 h after sign-in, 11 h after the last use
  ASSERT_TRUE(resume(session.id).has_value());
  clock_.advance(12h);  // idle for the whole idle time
  EXPECT_EQ(resume(session.id), std::nullopt);
}

TEST_F(SessionServiceTest, SignedInSessionExpiresWhenIdle) {
  auto session = service_->start(browser_).value();
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  clock_.advance(12h - 1s);
  EXPECT_TRUE(resume(session.id).has_value());  // slides here, to now + 12 h
  clock_.advance(12h - 1s);
  EXPECT_TRUE(resume(session.id).has_value());
  clock_.advance(12h);
  EXPECT_EQ(resume(session.id), std::nullopt);
}

TEST_F(SessionServiceTest, EndedSessionIsGoneAndEndingTwiceIsHarmless) {
  const auto session = service_->start(browser_).value();
  ASSERT_TRUE(service_->end(session).has_value());
  EXPECT_EQ(resume(session.id), std::nullopt);
  EXPECT_TRUE(service_->end(session).has_value());
}

TEST_F(SessionServiceTest, ReauthWindowIsFiveMinutes) {
  auto session = service_->start(browser_).value();
  ASSERT_TRUE(service_->advance(session, Stage::signed_in, a_).has_value());
  EXPECT_FALSE(service_->recently_reauthenticated(session));
  service_->mark_reauthenticated(session);
  ASSERT_TRUE(service_->save(session).has_value());
  auto resumed = resume(session.id);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_TRUE(service_->recently_reauthenticated(*resumed));
  clock_.advance(5min);
  EXPECT_TRUE(service_->recently_reauthenticated(*resumed));
  clock_.advance(1s);
  EXPECT_FALSE(service_->recently_reauthenticated(*resumed));
  resumed = resume(session.id);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_FALSE(service_->recently_reauthenticated(*resumed));
}

TEST_F(SessionServiceTest, NumbersRoundTripThroughTheStore) {
  auto session = service_->start(browser_).value();
  EXPECT_EQ(session.number("factor"), std::nullopt);
  session.set_number("factor", 42);
  session.set_number("big", std::int64_t{1} << 40);
  session.set_number("negative", -5);
  EXPECT_EQ(session.number("factor"), 42);
  ASSERT_TRUE(service_->save(session).has_value());
  auto resumed = resume(session.id);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_EQ(resumed->number("factor"), 42);
  EXPECT_EQ(resumed->number("big"), std::int64_t{1} << 40);
  EXPECT_EQ(resumed->number("negative"), -5);
  EXPECT_EQ(resumed->number("missing"), std::nullopt);
  // An anonymous session's numbers do not follow it into an account; the account's own
  // follow it from step to step (TheSameAccountKeepsItsStateFromStepToStep).
  ASSERT_TRUE(service_->advance(*resumed, Stage::second_factor, a_).has_value());
  EXPECT_EQ(resume(resumed->id)->number("factor"), std::nullopt);
  resumed->set_number("factor", 42);
  resumed->set_number("big", std::int64_t{1} << 40);
  ASSERT_TRUE(service_->save(*resumed).has_value());
  // Unset.
  resumed->set_number("factor", std::nullopt);
  ASSERT_TRUE(service_->save(*resumed).has_value());
  EXPECT_EQ(resume(resumed->id)->number("factor"), std::nullopt);
  EXPECT_EQ(resume(resumed->id)->number("big"), std::int64_t{1} << 40);
}

TEST_F(SessionServiceTest, NumberToleratesBadData) {
  WebSession session;
  session.record.data = "not json";
  EXPECT_EQ(session.number("x"), std::nullopt);
  session.set_number("x", 1);
  EXPECT_EQ(session.number("x"), 1);
  session.record.data = R"({"x":"text"})";
  EXPECT_EQ(session.number("x"), std::nullopt);
}

TEST_F(SessionServiceTest, UserAgentIsTruncated) {
  const Actor actor{"192.0.2.1", std::string(2000, 'u')};
  const auto session = service_->start(actor).value();
  EXPECT_EQ(resume(session.id)->record.user_agent.size(), 500u);
}

TEST_F(SessionServiceTest, AUserAgentIsStoredAsValidUtf8CutBetweenCharacters) {
  const Actor actor{"192.0.2.1", std::string(499, 'u') + "\xC3\xA9"};  // é across byte 500
  const auto session = service_->start(actor).value();
  EXPECT_EQ(resume(session.id)->record.user_agent, std::string(499, 'u'));
}

}  // namespace
}  // namespace tfa::auth
