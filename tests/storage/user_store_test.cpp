// Conformance: users, on every backend.
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using UserStoreTest = StorageTest;

TEST_P(UserStoreTest, CreatesAndFindsUsersByNameInAnyCaseAndById) {
  const auto alice = make_user("Alice");
  EXPECT_GT(alice.id, 0);
  EXPECT_EQ(alice.created_at, now_);
  auto by_name = users_->find_user_by_name("alice").value();
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, alice.id);
  EXPECT_EQ(by_name->name, "Alice");
  EXPECT_EQ(by_name->email, "Alice@example.com");
  EXPECT_FALSE(by_name->disabled);
  EXPECT_EQ(users_->find_user(alice.id).value()->name, "Alice");
  EXPECT_FALSE(users_->find_user_by_name("bob").value().has_value());
  EXPECT_FALSE(users_->find_user(alice.id + 1000).value().has_value());
}

TEST_P(UserStoreTest, KeepsNonAsciiTextIntact) {
  const auto user = users_->create_user({"josé", "josé@exämple.com", "$argon2id$x"}, now_).value();
  EXPECT_EQ(users_->find_user(user.id).value()->email, "josé@exämple.com");
}

TEST_P(UserStoreTest, RefusesADuplicateNameInAnyCaseAndChangesNothing) {
  make_user("alice");
  auto duplicate = users_->create_user({"ALICE", "other@example.com", "h"}, now_);
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, Errc::conflict);
  EXPECT_NE(duplicate.error().message.find("already exists"), std::string::npos);
  const auto all = users_->list_users().value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].email, "alice@example.com");
}

TEST_P(UserStoreTest, ListsUsersByName) {
  make_user("carol");
  make_user("Alice");
  make_user("bob");
  const auto all = users_->list_users().value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "Alice");
  EXPECT_EQ(all[1].name, "bob");
  EXPECT_EQ(all[2].name, "carol");
}

TEST_P(UserStoreTest, UpdatesPasswordHashAndDisabledFlag) {
  const auto alice = make_user("alice");
  const auto later = now_ + std::chrono::seconds(60);
  ASSERT_TRUE(users_->set_password_hash(alice.id, "$argon2id$new", later).has_value());
  ASSERT_TRUE(users_->set_disabled(alice.id, true, later).has_value());
  const auto found = users_->find_user(alice.id).value().value();
  EXPECT_EQ(found.password_hash, "$argon2id$new");
  EXPECT_TRUE(found.disabled);
  EXPECT_EQ(found.updated_at, later);
  ASSERT_TRUE(users_->set_disabled(alice.id, false, later).has_value());
  EXPECT_FALSE(users_->find_user(alice.id).value()->disabled);
}

TEST_P(UserStoreTest, AReplacementTakesPlaceOnlyOverTheExpectedHash) {
  const auto alice = make_user("alice");
  const auto before = users_->find_user(alice.id).value().value().password_hash;
  const auto later = now_ + std::chrono::seconds(60);
  EXPECT_FALSE(
      users_->replace_password_hash(alice.id, "$argon2id$other", "$argon2id$rehashed", later).value());
  EXPECT_EQ(users_->find_user(alice.id).value()->password_hash, before)
      << "a stale expectation changes nothing";
  EXPECT_TRUE(users_->replace_password_hash(alice.id, before, "$argon2id$rehashed", later).value());
  const auto found = users_->find_user(alice.id).value().value();
  EXPECT_EQ(found.password_hash, "$argon2id$rehashed");
  EXPECT_EQ(found.updated_at, later);
  EXPECT_FALSE(users_->replace_password_hash(999, before, "h", now_).value()) << "no such user";
}

TEST_P(UserStoreTest, UnknownUsersAreNotFound) {
  EXPECT_EQ(users_->set_password_hash(999, "h", now_).error().code, Errc::not_found);
  EXPECT_EQ(users_->set_disabled(999, true, now_).error().code, Errc::not_found);
  EXPECT_EQ(users_->delete_user(999).error().code, Errc::not_found);
}

TEST_P(UserStoreTest, DeletingAUserRemovesItsFactorsButKeepsAuditEvents) {
  const auto alice = make_user("alice");
  const auto secret = SecretBytes(20);
  add_totp(alice.id, secret);
  ASSERT_TRUE(audit_->append({0, now_, alice.id, "alice", "user.created", "success", "", "", ""}));
  ASSERT_TRUE(users_->delete_user(alice.id).has_value());
  EXPECT_FALSE(users_->find_user(alice.id).value().has_value());
  EXPECT_TRUE(factors_->factors_of(alice.id).value().empty());
  EXPECT_EQ(audit_->list({alice.id, std::nullopt, 10}).value().size(), 1u);
}

TEST_P(UserStoreTest, AFailedTransactionLeavesNothingBehind) {
  auto outcome = db().run_transaction([&](storage::sql::Connection& c) -> Result<void> {
    TFA_CHECK(c.execute("INSERT INTO users (name, email, password_hash, created_at, updated_at) "
                        "VALUES ('ghost', 'g@example.com', 'h', 1, 1)"));
    return fail(Errc::internal, "something failed after the insert");
  });
  ASSERT_FALSE(outcome.has_value());
  EXPECT_FALSE(users_->find_user_by_name("ghost").value().has_value());
}

TFA_INSTANTIATE_STORAGE_SUITE(UserStoreTest);

}  // namespace
}  // namespace tfa::testing
