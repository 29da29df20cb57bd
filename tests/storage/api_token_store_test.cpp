// Conformance: API tokens — lookup by hash with expiry, the once-a-minute touch of last use,
// listing per kind, and revocation bound to the owner, one at a time or every token of a kind —
// on every backend.
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using std::chrono::seconds;
using ApiTokenStoreTest = StorageTest;

storage::ApiToken token_at(storage::Time now, std::int64_t user_id, std::uint8_t seed,
                           storage::ApiTokenKind kind, std::optional<storage::Time> expires) {
  storage::ApiToken token;
  token.user_id = user_id;
  token.kind = kind;
  token.name = kind == storage::ApiTokenKind::key ? "deploy " + std::to_string(seed) : "";
  token.token_hash = std::vector<std::uint8_t>(32, seed);
  token.created_at = now;
  token.expires_at = expires;
  return token;
}

TEST_P(ApiTokenStoreTest, FindsATokenByItsHashUntilItExpires) {
  const auto alice = make_user("alice");
  const auto expires = now_ + seconds(3600);
  const auto token = token_at(now_, alice.id, 1, storage::ApiTokenKind::session, expires);
  const auto id = api_tokens_->add_api_token(token).value();

  const auto found = api_tokens_->find_api_token(token.token_hash, now_ + seconds(10)).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->user_id, alice.id);
  EXPECT_EQ(found->kind, storage::ApiTokenKind::session);
  EXPECT_EQ(found->created_at, now_);
  EXPECT_EQ(found->expires_at, expires);
  EXPECT_FALSE(found->last_used_at.has_value()) << "finding a token does not count as a use";

  EXPECT_FALSE(api_tokens_->find_api_token(token.token_hash, expires).value().has_value())
      << "a token is dead at its expiry";
  EXPECT_FALSE(api_tokens_->find_api_token(std::vector<std::uint8_t>(32, 9), now_).value().has_value());
}

TEST_P(ApiTokenStoreTest, FindsATokenWithItsHolderInOneLookup) {
  const auto alice = make_user("alice");
  make_user("bob");
  const auto expires = now_ + seconds(3600);
  const auto token = token_at(now_, alice.id, 3, storage::ApiTokenKind::key, expires);
  const auto id = api_tokens_->add_api_token(token).value();

  const auto found = api_tokens_->find_token_holder(token.token_hash, now_ + seconds(10)).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->token.id, id);
  EXPECT_EQ(found->token.user_id, alice.id);
  EXPECT_EQ(found->token.kind, storage::ApiTokenKind::key);
  EXPECT_EQ(found->token.name, "deploy 3");
  EXPECT_EQ(found->token.expires_at, expires);
  EXPECT_EQ(found->token.token_hash, token.token_hash);
  EXPECT_EQ(found->user.id, alice.id);
  EXPECT_EQ(found->user.name, "alice");
  EXPECT_EQ(found->user.email, "alice@example.com");
  EXPECT_EQ(found->user.password_hash, alice.password_hash);
  EXPECT_FALSE(found->user.disabled);
  EXPECT_EQ(found->user.created_at, alice.created_at);

  EXPECT_FALSE(api_tokens_->find_token_holder(token.token_hash, expires).value().has_value());
  EXPECT_FALSE(api_tokens_->find_token_holder(std::vector<std::uint8_t>(32, 9), now_).value().has_value());
  ASSERT_TRUE(api_tokens_->revoke_api_token(alice.id, id).has_value());
  EXPECT_FALSE(api_tokens_->find_token_holder(token.token_hash, now_).value().has_value());
}

TEST_P(ApiTokenStoreTest, AKeyWithoutExpiryLivesUntilRevoked) {
  const auto alice = make_user("alice");
  const auto key = token_at(now_, alice.id, 2, storage::ApiTokenKind::key, std::nullopt);
  const auto id = api_tokens_->add_api_token(key).value();
  const auto years_later = now_ + std::chrono::days(3650);
  const auto found = api_tokens_->find_api_token(key.token_hash, years_later).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->expires_at.has_value());
  EXPECT_EQ(found->name, "deploy 2");

  ASSERT_TRUE(api_tokens_->revoke_api_token(alice.id, id).has_value());
  EXPECT_FALSE(api_tokens_->find_api_token(key.token_hash, years_later).value().has_value());
  auto again = api_tokens_->revoke_api_token(alice.id, id);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::not_found);
}

TEST_P(ApiTokenStoreTest, ATouchSetsTheLastUse) {
  const auto alice = make_user("alice");
  const auto key = token_at(now_, alice.id, 3, storage::ApiTokenKind::key, std::nullopt);
  const auto id = api_tokens_->add_api_token(key).value();
  ASSERT_TRUE(api_tokens_->touch_api_token(id, now_ + seconds(30)).has_value());
  EXPECT_EQ(api_tokens_->find_api_token(key.token_hash, now_ + seconds(40)).value()->last_used_at,
            now_ + seconds(30));
  const auto listed = api_tokens_->api_tokens_of(alice.id, storage::ApiTokenKind::key, now_ + seconds(40)).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used_at, now_ + seconds(30));
  ASSERT_TRUE(api_tokens_->touch_api_token(id, now_ + seconds(90)).has_value());
  EXPECT_EQ(api_tokens_->find_api_token(key.token_hash, now_ + seconds(90)).value()->last_used_at,
            now_ + seconds(90));
  EXPECT_TRUE(api_tokens_->touch_api_token(id + 1000, now_).has_value()) << "an unknown id is no error";
}

TEST_P(ApiTokenStoreTest, ListsOneKindOfOneUserNewestFirst) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  const auto first = api_tokens_->add_api_token(token_at(now_, alice.id, 4, storage::ApiTokenKind::key, std::nullopt)).value();
  const auto second = api_tokens_->add_api_token(
      token_at(now_ + seconds(5), alice.id, 5, storage::ApiTokenKind::key, now_ + seconds(100))).value();
  ASSERT_TRUE(api_tokens_->add_api_token(token_at(now_, alice.id, 6, storage::ApiTokenKind::session, now_ + seconds(100))));
  ASSERT_TRUE(api_tokens_->add_api_token(token_at(now_, bob.id, 7, storage::ApiTokenKind::key, std::nullopt)));

  const auto keys = api_tokens_->api_tokens_of(alice.id, storage::ApiTokenKind::key, now_ + seconds(10)).value();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].id, second);
  EXPECT_EQ(keys[1].id, first);
  EXPECT_EQ(api_tokens_->api_tokens_of(alice.id, storage::ApiTokenKind::key, now_ + seconds(100)).value().size(), 1u)
      << "an expired key is not listed";
}

TEST_P(ApiTokenStoreTest, AnotherUsersTokenCannotBeRevoked) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  const auto key = token_at(now_, alice.id, 8, storage::ApiTokenKind::key, std::nullopt);
  const auto id = api_tokens_->add_api_token(key).value();
  auto revoked = api_tokens_->revoke_api_token(bob.id, id);
  ASSERT_FALSE(revoked.has_value());
  EXPECT_EQ(revoked.error().code, Errc::not_found);
  EXPECT_TRUE(api_tokens_->find_api_token(key.token_hash, now_).value().has_value());
}

TEST_P(ApiTokenStoreTest, RevokingAKindTakesEveryTokenOfThatKindOfThatUserOnly) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  const auto later = now_ + seconds(100);
  const auto session_a = token_at(now_, alice.id, 10, storage::ApiTokenKind::session, later);
  const auto session_b = token_at(now_, alice.id, 11, storage::ApiTokenKind::session, later);
  const auto key = token_at(now_, alice.id, 12, storage::ApiTokenKind::key, std::nullopt);
  const auto bobs = token_at(now_, bob.id, 13, storage::ApiTokenKind::session, later);
  for (const auto& token : {session_a, session_b, key, bobs}) ASSERT_TRUE(api_tokens_->add_api_token(token));

  EXPECT_EQ(api_tokens_->revoke_api_tokens_of(alice.id, storage::ApiTokenKind::session).value(), 2);
  EXPECT_FALSE(api_tokens_->find_api_token(session_a.token_hash, now_).value().has_value());
  EXPECT_FALSE(api_tokens_->find_api_token(session_b.token_hash, now_).value().has_value());
  EXPECT_TRUE(api_tokens_->find_api_token(key.token_hash, now_).value().has_value()) << "another kind stays";
  EXPECT_TRUE(api_tokens_->find_api_token(bobs.token_hash, now_).value().has_value()) << "another user's stays";
  EXPECT_EQ(api_tokens_->revoke_api_tokens_of(alice.id, storage::ApiTokenKind::session).value(), 0)
      << "none left is no error";
}

TEST_P(ApiTokenStoreTest, ADuplicateHashOrAnUnknownUserIsAConflict) {
  const auto alice = make_user("alice");
  ASSERT_TRUE(api_tokens_->add_api_token(token_at(now_, alice.id, 9, storage::ApiTokenKind::key, std::nullopt)));
  auto again = api_tokens_->add_api_token(token_at(now_, alice.id, 9, storage::ApiTokenKind::key, std::nullopt));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
  auto orphan = api_tokens_->add_api_token(token_at(now_, 4242, 10, storage::ApiTokenKind::key, std::nullopt));
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, Errc::conflict);
}

}  // namespace

TFA_INSTANTIATE_STORAGE_SUITE(ApiTokenStoreTest);

}  // namespace tfa::testing
