// Conformance: console sessions — expiry, updates, rotation at each step of sign-in and
// removal — on every backend.
#include <atomic>
#include <thread>

#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using std::chrono::seconds;
using SessionStoreTest = StorageTest;

std::vector<std::uint8_t> hash_of(std::uint8_t seed) {
  std::vector<std::uint8_t> hash(32);
  for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<std::uint8_t>(seed + i);
  return hash;
}

storage::Session session_at(storage::Time now, std::uint8_t seed,
                            std::optional<std::int64_t> user_id = std::nullopt) {
  storage::Session session;
  session.id_hash = hash_of(seed);
  session.user_id = user_id;
  session.stage = user_id ? "signed_in" : "anonymous";
  session.data = R"({"csrf":"x"})";
  session.client_address = "203.0.113.7";
  session.user_agent = "Firefox";
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + seconds(600);
  return session;
}

void expect_same(const storage::Session& a, const storage::Session& b) {
  EXPECT_EQ(a.id_hash, b.id_hash);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(a.reauth_at, b.reauth_at);
  EXPECT_EQ(a.client_address, b.client_address);
  EXPECT_EQ(a.user_agent, b.user_agent);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.last_seen_at, b.last_seen_at);
  EXPECT_EQ(a.expires_at, b.expires_at);
}

TEST_P(SessionStoreTest, StoresAndFindsEveryField) {
  const auto alice = make_user("alice");
  auto anonymous = session_at(now_, 1);
  auto signed_in = session_at(now_, 2, alice.id);
  signed_in.reauth_at = now_ - seconds(5);
  ASSERT_TRUE(sessions_->create_session(anonymous).has_value());
  ASSERT_TRUE(sessions_->create_session(signed_in).has_value());

  const auto found_anonymous = sessions_->find_session(anonymous.id_hash, now_).value();
  ASSERT_TRUE(found_anonymous.has_value());
  expect_same(*found_anonymous, anonymous);
  const auto found_signed_in = sessions_->find_session(signed_in.id_hash, now_).value();
  ASSERT_TRUE(found_signed_in.has_value());
  expect_same(*found_signed_in, signed_in);

  EXPECT_FALSE(sessions_->find_session(hash_of(99), now_).value().has_value());
}

TEST_P(SessionStoreTest, ADuplicateIdOrAnUnknownUserIsAConflict) {
  const auto session = session_at(now_, 1);
  ASSERT_TRUE(sessions_->create_session(session).has_value());
  auto again = sessions_->create_session(session);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);

  auto orphan = sessions_->create_session(session_at(now_, 2, 4242));
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, Errc::conflict);
}

TEST_P(SessionStoreTest, AnExpiredSessionIsNotFound) {
  const auto session = session_at(now_, 1);  // expires at now_ + 600
  ASSERT_TRUE(sessions_->create_session(session).has_value());
  EXPECT_TRUE(sessions_->find_session(session.id_hash, now_ + seconds(599)).value().has_value());
  EXPECT_FALSE(sessions_->find_session(session.id_hash, now_ + seconds(600)).value().has_value())
      << "a session expiring at `now` has expired";
  EXPECT_FALSE(sessions_->find_session(session.id_hash, now_ + seconds(601)).value().has_value());
}

TEST_P(SessionStoreTest, UpdateWritesEveryFieldButTheIdAndCreation) {
  const auto alice = make_user("alice");
  const auto original = session_at(now_, 1);
  ASSERT_TRUE(sessions_->create_session(original).has_value());

  auto changed = original;
  changed.user_id = alice.id;
  changed.stage = "second_factor";
  changed.data = R"({"pending":"totp"})";
  changed.reauth_at = now_ + seconds(10);
  changed.client_address = "198.51.100.1";
  changed.user_agent = "Chromium";
  changed.created_at = now_ + seconds(1000);  // not written
  changed.last_seen_at = now_ + seconds(20);
  changed.expires_at = now_ + seconds(3600);
  ASSERT_TRUE(sessions_->update_session(changed).has_value());

  const auto found = sessions_->find_session(original.id_hash, now_).value();
  ASSERT_TRUE(found.has_value());
  auto expected = changed;
  expected.created_at = original.created_at;
  expect_same(*found, expected);

  changed.reauth_at.reset();
  changed.user_id.reset();
  ASSERT_TRUE(sessions_->update_session(changed).has_value());
  const auto cleared = sessions_->find_session(original.id_hash, now_).value().value();
  EXPECT_FALSE(cleared.reauth_at.has_value());
  EXPECT_FALSE(cleared.user_id.has_value());
}

TEST_P(SessionStoreTest, UpdatingAMissingSessionIsNotFound) {
  auto updated = sessions_->update_session(session_at(now_, 1));
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, Errc::not_found);
  EXPECT_FALSE(sessions_->find_session(hash_of(1), now_).value().has_value())
      << "an update does not create";
}

TEST_P(SessionStoreTest, RotationReplacesTheOldSession) {
  const auto alice = make_user("alice");
  const auto old_session = session_at(now_, 1);
  ASSERT_TRUE(sessions_->create_session(old_session).has_value());
  auto next = session_at(now_ + seconds(5), 2, alice.id);
  next.created_at = old_session.created_at;
  ASSERT_TRUE(sessions_->rotate_session(old_session.id_hash, next).has_value());

  EXPECT_FALSE(sessions_->find_session(old_session.id_hash, now_).value().has_value());
  const auto found = sessions_->find_session(next.id_hash, now_).value();
  ASSERT_TRUE(found.has_value());
  expect_same(*found, next);
}

TEST_P(SessionStoreTest, RotatingAMissingSessionIsNotFoundAndInsertsNothing) {
  const auto old_session = session_at(now_, 1);
  ASSERT_TRUE(sessions_->create_session(old_session).has_value());
  ASSERT_TRUE(sessions_->rotate_session(old_session.id_hash, session_at(now_, 2)).has_value());

  // The old id used again, as a stolen cookie would be.
  auto replayed = sessions_->rotate_session(old_session.id_hash, session_at(now_, 3));
  ASSERT_FALSE(replayed.has_value());
  EXPECT_EQ(replayed.error().code, Errc::not_found);
  EXPECT_FALSE(sessions_->find_session(hash_of(3), now_).value().has_value());

  auto never = sessions_->rotate_session(hash_of(50), session_at(now_, 4));
  ASSERT_FALSE(never.has_value());
  EXPECT_EQ(never.error().code, Errc::not_found);
  EXPECT_FALSE(sessions_->find_session(hash_of(4), now_).value().has_value());
  EXPECT_EQ(raw("SELECT id_hash FROM sessions").rows.size(), 1u);
}

TEST_P(SessionStoreTest, AFailedRotationKeepsTheOldSession) {
  const auto old_session = session_at(now_, 1);
  const auto other = session_at(now_, 2);
  ASSERT_TRUE(sessions_->create_session(old_session).has_value());
  ASSERT_TRUE(sessions_->create_session(other).has_value());
  // The replacement's id is taken: the insertion fails, and the deletion is rolled back.
  auto rotated = sessions_->rotate_session(old_session.id_hash, session_at(now_, 2));
  ASSERT_FALSE(rotated.has_value());
  EXPECT_EQ(rotated.error().code, Errc::conflict);
  EXPECT_TRUE(sessions_->find_session(old_session.id_hash, now_).value().has_value());
  EXPECT_TRUE(sessions_->find_session(other.id_hash, now_).value().has_value());
}

TEST_P(SessionStoreTest, OfConcurrentRotationsOfOneSessionExactlyOneSucceeds) {
  auto second_pool = test_db_->reopen(4);
  ASSERT_TRUE(second_pool.has_value()) << second_pool.error().message;
  storage::sql::SqlSessionStore other(**second_pool);

  for (std::uint8_t round = 0; round < 5; ++round) {
    const std::uint8_t old_seed = static_cast<std::uint8_t>(100 + round);
    ASSERT_TRUE(sessions_->create_session(session_at(now_, old_seed)).has_value());
    std::atomic<int> rotated{0};
    std::atomic<int> not_found{0};
    std::atomic<int> errors{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      storage::SessionStore& store =
          t % 2 == 0 ? static_cast<storage::SessionStore&>(*sessions_) : other;
      threads.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        const auto replacement = session_at(now_, static_cast<std::uint8_t>(10 * round + t + 150));
        auto result = store.rotate_session(hash_of(old_seed), replacement);
        if (result) {
          ++rotated;
        } else if (result.error().code == Errc::not_found) {
          ++not_found;
        } else {
          ++errors;
        }
      });
    }
    go = true;
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(rotated.load(), 1) << "round " << int(round);
    EXPECT_EQ(not_found.load(), 7) << "round " << int(round);
    EXPECT_EQ(errors.load(), 0) << "round " << int(round);
  }
  EXPECT_EQ(raw("SELECT id_hash FROM sessions").rows.size(), 5u);
}

TEST_P(SessionStoreTest, DeletingASessionIsIdempotent) {
  const auto session = session_at(now_, 1);
  ASSERT_TRUE(sessions_->create_session(session).has_value());
  ASSERT_TRUE(sessions_->delete_session(session.id_hash).has_value());
  EXPECT_FALSE(sessions_->find_session(session.id_hash, now_).value().has_value());
  EXPECT_TRUE(sessions_->delete_session(session.id_hash).has_value());
}

TEST_P(SessionStoreTest, DeletesTheSessionsOfOneUser) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  ASSERT_TRUE(sessions_->create_session(session_at(now_, 1, alice.id)).has_value());
  ASSERT_TRUE(sessions_->create_session(session_at(now_, 2, alice.id)).has_value());
  ASSERT_TRUE(sessions_->create_session(session_at(now_, 3, bob.id)).has_value());
  ASSERT_TRUE(sessions_->create_session(session_at(now_, 4)).has_value());

  EXPECT_EQ(sessions_->delete_user_sessions(alice.id).value(), 2);
  EXPECT_FALSE(sessions_->find_session(hash_of(1), now_).value().has_value());
  EXPECT_FALSE(sessions_->find_session(hash_of(2), now_).value().has_value());
  EXPECT_TRUE(sessions_->find_session(hash_of(3), now_).value().has_value());
  EXPECT_TRUE(sessions_->find_session(hash_of(4), now_).value().has_value());
  EXPECT_EQ(sessions_->delete_user_sessions(alice.id).value(), 0);
}

TEST_P(SessionStoreTest, DeletesOnlyExpiredSessions) {
  auto early = session_at(now_, 1);
  early.expires_at = now_ - seconds(1);
  auto boundary = session_at(now_, 2);
  boundary.expires_at = now_;
  auto live = session_at(now_, 3);
  live.expires_at = now_ + seconds(1);
  for (const auto& session : {early, boundary, live}) {
    ASSERT_TRUE(sessions_->create_session(session).has_value());
  }
  EXPECT_EQ(sessions_->delete_expired_sessions(now_).value(), 2);
  EXPECT_EQ(raw("SELECT id_hash FROM sessions").rows.size(), 1u);
  EXPECT_TRUE(sessions_->find_session(live.id_hash, now_).value().has_value());
  EXPECT_EQ(sessions_->delete_expired_sessions(now_).value(), 0);
}

TEST_P(SessionStoreTest, DeletingAUserRemovesItsSessions) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  ASSERT_TRUE(sessions_->create_session(session_at(now_, 1, alice.id)).has_value());
  ASSERT_TRUE(sessions_->create_session(session_at(now_, 2, bob.id)).has_value());
  ASSERT_TRUE(users_->delete_user(alice.id).has_value());
  EXPECT_FALSE(sessions_->find_session(hash_of(1), now_).value().has_value());
  EXPECT_TRUE(sessions_->find_session(hash_of(2), now_).value().has_value());
}

TFA_INSTANTIATE_STORAGE_SUITE(SessionStoreTest);

}  // namespace
}  // namespace tfa::testing
