// Conformance: e-mail tokens — found by hash, spent once, only before they expire and only
// for their owner, and turning 2FA off in the same transaction — on every backend.
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using std::chrono::minutes;
using EmailTokenStoreTest = StorageTest;

std::vector<std::uint8_t> hash_of(std::uint8_t seed) { return std::vector<std::uint8_t>(32, seed); }

class EmailTokens : public EmailTokenStoreTest {
 protected:
  std::int64_t add(std::int64_t user_id, std::uint8_t seed, std::string purpose = "disable_2fa") {
    storage::NewEmailToken token{user_id, std::move(purpose), hash_of(seed), now_ + minutes(15)};
    auto id = email_tokens_->add_email_token(token, now_);
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id.value_or(0);
  }
  storage::AuditEvent event(const storage::User& user) {
    return {0, now_, user.id, user.name, "2fa.disabled", "success", "127.0.0.1", "test", "by e-mail"};
  }
  void give_second_factors(const storage::User& user) {
    add_totp(user.id, filled_key(3));
    ASSERT_TRUE(backup_codes_->replace_backup_codes(user.id, {hash_of(200), hash_of(201)}, now_));
    storage::TrustedDevice device{0, user.id, hash_of(210), "Firefox", now_, now_, now_ + std::chrono::days(7)};
    ASSERT_TRUE(devices_->add_trusted_device(device).has_value());
  }
};

TEST_P(EmailTokens, FindsATokenByItsHash) {
  const auto alice = make_user("alice");
  const auto id = add(alice.id, 1);
  auto found = email_tokens_->find_email_token(hash_of(1)).value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->user_id, alice.id);
  EXPECT_EQ(found->purpose, "disable_2fa");
  EXPECT_EQ(found->expires_at, now_ + minutes(15));
  EXPECT_FALSE(found->used_at.has_value());
  EXPECT_FALSE(email_tokens_->find_email_token(hash_of(2)).value().has_value());
}

TEST_P(EmailTokens, CountsTheTokensMadeSinceATime) {
  const auto alice = make_user("alice");
  add(alice.id, 1);
  add(alice.id, 2);
  add(alice.id, 3, "other");
  EXPECT_EQ(email_tokens_->email_tokens_since(alice.id, "disable_2fa", now_).value(), 2);
  EXPECT_EQ(email_tokens_->email_tokens_since(alice.id, "disable_2fa", now_ + minutes(1)).value(), 0);
}

TEST_P(EmailTokens, RedeemingTurnsTwoFactorOffOnceInOneTransaction) {
  const auto alice = make_user("alice");
  give_second_factors(alice);
  add(alice.id, 1);
  EXPECT_TRUE(email_tokens_->redeem_disable_token(alice.id, hash_of(1), now_ + minutes(1), event(alice)).value());
  EXPECT_TRUE(factors_->factors_of(alice.id).value().empty());
  EXPECT_EQ(backup_codes_->unused_backup_codes(alice.id).value(), 0);
  EXPECT_TRUE(devices_->trusted_devices_of(alice.id, now_).value().empty());
  const auto events = audit_->list({alice.id, std::nullopt, 10}).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().event, "2fa.disabled");
  EXPECT_NE(events.front().detail.find("removed 1 factors, 2 backup codes, 1 trusted devices"), std::string::npos);
  auto found = email_tokens_->find_email_token(hash_of(1)).value();
  ASSERT_TRUE(found && found->used_at);
  EXPECT_FALSE(email_tokens_->redeem_disable_token(alice.id, hash_of(1), now_ + minutes(2), event(alice)).value())
      << "a used token";
}

TEST_P(EmailTokens, RedeemingOneTokenEndsTheUsersOtherTokens) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  give_second_factors(alice);
  add(alice.id, 1);
  add(alice.id, 2);
  add(bob.id, 3);
  ASSERT_TRUE(email_tokens_->redeem_disable_token(alice.id, hash_of(1), now_ + minutes(1), event(alice)).value());
  EXPECT_TRUE(email_tokens_->find_email_token(hash_of(2)).value()->used_at.has_value())
      << "a second mail of the same hour";
  EXPECT_FALSE(email_tokens_->find_email_token(hash_of(3)).value()->used_at.has_value()) << "bob's";
  give_second_factors(alice);  // the owner turns 2FA on again
  EXPECT_FALSE(email_tokens_->redeem_disable_token(alice.id, hash_of(2), now_ + minutes(2), event(alice)).value());
  EXPECT_EQ(factors_->factors_of(alice.id).value().size(), 1u);
}

TEST_P(EmailTokens, EndingAUsersTokensLeavesOthersAndUsedOnes) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  give_second_factors(alice);
  add(alice.id, 1);
  add(alice.id, 2);
  add(bob.id, 3);
  ASSERT_TRUE(email_tokens_->redeem_disable_token(alice.id, hash_of(1), now_ + minutes(1), event(alice)).value());
  add(alice.id, 4);
  EXPECT_EQ(email_tokens_->end_email_tokens(alice.id, now_ + minutes(3)).value(), 1) << "only the unused one";
  EXPECT_EQ(email_tokens_->find_email_token(hash_of(4)).value()->used_at, now_ + minutes(3));
  EXPECT_EQ(email_tokens_->find_email_token(hash_of(1)).value()->used_at, now_ + minutes(1)) << "kept";
  EXPECT_FALSE(email_tokens_->find_email_token(hash_of(3)).value()->used_at.has_value()) << "bob's";
  give_second_factors(alice);
  EXPECT_FALSE(email_tokens_->redeem_disable_token(alice.id, hash_of(4), now_ + minutes(4), event(alice)).value());
}

TEST_P(EmailTokens, AnExpiredTokenAnotherUsersTokenOrAnotherPurposeChangesNothing) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  give_second_factors(alice);
  add(alice.id, 1);
  add(bob.id, 2);
  add(alice.id, 3, "other");
  EXPECT_FALSE(email_tokens_->redeem_disable_token(alice.id, hash_of(1), now_ + minutes(15), event(alice)).value())
      << "expired";
  EXPECT_FALSE(email_tokens_->redeem_disable_token(alice.id, hash_of(2), now_, event(alice)).value()) << "bob's";
  EXPECT_FALSE(email_tokens_->redeem_disable_token(alice.id, hash_of(3), now_, event(alice)).value()) << "purpose";
  EXPECT_FALSE(email_tokens_->redeem_disable_token(alice.id, hash_of(9), now_, event(alice)).value()) << "unknown";
  EXPECT_EQ(factors_->factors_of(alice.id).value().size(), 1u);
  EXPECT_EQ(backup_codes_->unused_backup_codes(alice.id).value(), 2);
  EXPECT_FALSE(email_tokens_->find_email_token(hash_of(1)).value()->used_at.has_value());
}

TEST_P(EmailTokens, AnUnknownUserOrADuplicateHashIsAConflict) {
  const auto alice = make_user("alice");
  add(alice.id, 1);
  auto again = email_tokens_->add_email_token({alice.id, "disable_2fa", hash_of(1), now_}, now_);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
  auto orphan = email_tokens_->add_email_token({4242, "disable_2fa", hash_of(5), now_}, now_);
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, Errc::conflict);
}

TFA_INSTANTIATE_STORAGE_SUITE(EmailTokens);

}  // namespace
}  // namespace tfa::testing
