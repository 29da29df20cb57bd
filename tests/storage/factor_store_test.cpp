// Conformance: second factors, sealing at rest and the support desk's reset, on every backend.
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using storage::FactorStatus;
using FactorStoreTest = StorageTest;

SecretBytes secret_of(std::string_view text) {
  return SecretBytes::copy_of({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

TEST_P(FactorStoreTest, StoresAFactorAndOpensItsSecret) {
  const auto alice = make_user("alice");
  const auto secret = secret_of("12345678901234567890");
  const auto id = add_totp(alice.id, secret, FactorStatus::pending);
  const auto factors = factors_->factors_of(alice.id).value();
  ASSERT_EQ(factors.size(), 1u);
  const auto& factor = factors[0];
  EXPECT_EQ(factor.id, id);
  EXPECT_EQ(factor.kind, storage::FactorKind::totp);
  EXPECT_EQ(factor.label, "phone");
  EXPECT_EQ(factor.params, R"({"algorithm":"SHA1","digits":6,"period":30})");
  EXPECT_TRUE(factor.secret == secret);
  EXPECT_EQ(factor.status, FactorStatus::pending);
  EXPECT_FALSE(factor.last_counter.has_value());
  EXPECT_FALSE(factor.confirmed_at.has_value());
}

TEST_P(FactorStoreTest, TheListForDisplayLeavesTheSecretSealed) {
  const auto alice = make_user("alice");
  const auto id = add_totp(alice.id, secret_of("12345678901234567890"), FactorStatus::pending);
  // Even a sealed value that would not open: the list does not try.
  raw("UPDATE factors SET sealed_secret = $2 WHERE id = $1",
      storage::sql::params(id, storage::sql::Blob{{1, 2, 3}}));
  const auto listed = factors_->factor_list_of(alice.id).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_EQ(listed[0].label, "phone");
  EXPECT_EQ(listed[0].status, FactorStatus::pending);
  EXPECT_TRUE(listed[0].secret.empty());
  EXPECT_FALSE(factors_->factors_of(alice.id).has_value()) << "the full read still opens, and refuses";
}

TEST_P(FactorStoreTest, ConfirmsAPendingFactorOnce) {
  const auto alice = make_user("alice");
  const auto secret = secret_of("s");
  const auto id = add_totp(alice.id, secret, FactorStatus::pending);
  ASSERT_TRUE(factors_->confirm_factor(id, now_, std::nullopt, 0).has_value());
  const auto factor = factors_->find_factor(id).value().value();
  EXPECT_EQ(factor.status, FactorStatus::confirmed);
  EXPECT_EQ(factor.confirmed_at, now_);
  EXPECT_EQ(factors_->confirm_factor(id, now_, std::nullopt, 0).error().code, Errc::not_found);
  EXPECT_EQ(factors_->confirm_factor(id + 100, now_, std::nullopt, 0).error().code, Errc::not_found);
}

TEST_P(FactorStoreTest, ConfirmingRecordsTheStepOfTheCodeThatConfirmed) {
  const auto alice = make_user("alice");
  const auto id = add_totp(alice.id, filled_key(5), storage::FactorStatus::pending);
  ASSERT_TRUE(factors_->confirm_factor(id, now_, 56'666'667, -1).has_value());
  const auto factor = factors_->find_factor(id).value();
  ASSERT_TRUE(factor.has_value());
  EXPECT_EQ(factor->status, storage::FactorStatus::confirmed);
  EXPECT_EQ(factor->last_counter, 56'666'667);
  EXPECT_EQ(factor->drift_steps, -1);
  EXPECT_EQ(factor->last_used_at, now_);
  EXPECT_FALSE(factors_->record_accepted_counter(id, 56'666'667, 0, now_).value())
      << "the confirming code's step is spent";
  EXPECT_TRUE(factors_->record_accepted_counter(id, 56'666'668, 0, now_).value());
}

TEST_P(FactorStoreTest, RemovesAFactor) {
  const auto alice = make_user("alice");
  const auto secret = secret_of("s");
  const auto id = add_totp(alice.id, secret);
  ASSERT_TRUE(factors_->remove_factor(id).has_value());
  EXPECT_FALSE(factors_->find_factor(id).value().has_value());
  EXPECT_EQ(factors_->remove_factor(id).error().code, Errc::not_found);
}

TEST_P(FactorStoreTest, PublicIdsAreUniquePerKind) {
  const auto alice = make_user("alice");
  storage::NewFactor key;
  key.user_id = alice.id;
  key.kind = storage::FactorKind::yubico;
  key.public_id = "cccccccbcjdi";
  key.status = FactorStatus::confirmed;
  ASSERT_TRUE(factors_->add_factor(key, now_).has_value());
  auto again = factors_->add_factor(key, now_);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(factors_->factors_of(alice.id).value().size(), 1u);
}

TEST_P(FactorStoreTest, FactorOfAnUnknownUserIsRefused) {
  const auto secret = secret_of("s");
  storage::NewFactor factor;
  factor.user_id = 4242;
  factor.secret = &secret;
  auto id = factors_->add_factor(factor, now_);
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, Errc::conflict);
}

TEST_P(FactorStoreTest, TheStoredColumnHoldsNoSecretBytes) {
  const auto alice = make_user("alice");
  const auto secret = secret_of("raw-secret-bytes-here");
  const auto id = add_totp(alice.id, secret);
  const auto rows = raw("SELECT sealed_secret FROM factors WHERE id = $1", storage::sql::params(id));
  const auto sealed = rows.rows.at(0).blob(0).value();
  const std::string stored(sealed.begin(), sealed.end());
  EXPECT_EQ(stored.find("raw-secret-bytes-here"), std::string::npos);
  EXPECT_GT(sealed.size(), secret.size());
}

TEST_P(FactorStoreTest, ASealedSecretCopiedToAnotherRowDoesNotOpen) {
  const auto alice = make_user("alice");
  const auto first = secret_of("first secret");
  const auto second = secret_of("second secret");
  const auto a = add_totp(alice.id, first);
  const auto b = add_totp(alice.id, second);
  raw("UPDATE factors SET sealed_secret = (SELECT sealed_secret FROM factors WHERE id = $1) "
      "WHERE id = $2",
      storage::sql::params(a, b));
  auto moved = factors_->find_factor(b);
  ASSERT_FALSE(moved.has_value());
  EXPECT_NE(moved.error().message.find("factors.sealed_secret:" + std::to_string(b)),
            std::string::npos)
      << moved.error().message;
  EXPECT_TRUE(factors_->find_factor(a).value()->secret == first) << "the original still opens";
}

TEST_P(FactorStoreTest, ACorruptSealedValueIsAClearErrorNotACrash) {
  const auto alice = make_user("alice");
  const auto secret = secret_of("s");
  const auto id = add_totp(alice.id, secret);
  raw("UPDATE factors SET sealed_secret = $2 WHERE id = $1",
      storage::sql::params(id, storage::sql::Blob{{1, 2, 3}}));
  auto corrupt = factors_->factors_of(alice.id);
  ASSERT_FALSE(corrupt.has_value());
  EXPECT_EQ(corrupt.error().code, Errc::internal);
  EXPECT_NE(corrupt.error().message.find("malformed"), std::string::npos) << corrupt.error().message;
}

TEST_P(FactorStoreTest, ResetRemovesEveryFactorCodeAndDeviceOfOneUserAndAudits) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  const auto secret = secret_of("s");
  add_totp(alice.id, secret);
  add_totp(alice.id, secret, FactorStatus::pending);
  add_totp(bob.id, secret);
  for (const auto& user : {alice, bob}) {
    raw("INSERT INTO backup_codes (user_id, code_hash, created_at) VALUES ($1, $2, 1)",
        storage::sql::params(user.id, storage::sql::Blob{{9, 9}}));
    raw("INSERT INTO trusted_devices (user_id, token_hash, created_at, last_seen_at, expires_at) "
        "VALUES ($1, $2, 1, 1, 2)",
        storage::sql::params(user.id, storage::sql::Blob{{static_cast<std::uint8_t>(user.id)}}));
  }
  const auto failures = [](const storage::User& user, std::string_view input) {
    return "account:" + std::to_string(user.id) + ":" + std::string(input);
  };
  for (const auto& key : {failures(alice, "otp"), failures(alice, "backup"), failures(bob, "otp")}) {
    raw("INSERT INTO throttle (key, failures, window_start, blocked_until, updated_at) VALUES ($1, 7, 1, 1, 1)",
        storage::sql::params(key));
  }
  storage::AuditEvent event{0, now_, alice.id, "alice", "2fa.reset", "success", "", "tfa-cli", "by admin"};
  const auto reset = factors_->remove_all_second_factors(alice.id, event).value();
  EXPECT_FALSE(throttle_->throttle_state(failures(alice, "otp")).value().has_value())
      << "the sign-in code's long memory goes with the factors";
  EXPECT_TRUE(throttle_->throttle_state(failures(alice, "backup")).value().has_value());
  EXPECT_TRUE(throttle_->throttle_state(failures(bob, "otp")).value().has_value());
  EXPECT_EQ(reset.factors, 2);
  EXPECT_EQ(reset.backup_codes, 1);
  EXPECT_EQ(reset.trusted_devices, 1);
  EXPECT_TRUE(factors_->factors_of(alice.id).value().empty());
  EXPECT_EQ(factors_->factors_of(bob.id).value().size(), 1u) << "another user is untouched";
  EXPECT_EQ(raw("SELECT id FROM backup_codes WHERE user_id = $1", storage::sql::params(bob.id)).rows.size(), 1u);
  const auto events = audit_->list({alice.id, std::nullopt, 10}).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "2fa.reset");
  EXPECT_NE(events[0].detail.find("removed 2 factors, 1 backup codes, 1 trusted devices"),
            std::string::npos)
      << events[0].detail;
}

TFA_INSTANTIATE_STORAGE_SUITE(FactorStoreTest);

}  // namespace
}  // namespace tfa::testing
