// Conformance: trusted devices — recognition bound to the owner and expiry, the list the
// security page shows, and forgetting — on every backend.
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using std::chrono::seconds;
using TrustedDeviceStoreTest = StorageTest;

std::vector<std::uint8_t> token_hash(std::uint8_t seed) { return std::vector<std::uint8_t>(32, seed); }

storage::TrustedDevice device_at(storage::Time now, std::int64_t user_id, std::uint8_t seed) {
  storage::TrustedDevice device;
  device.user_id = user_id;
  device.token_hash = token_hash(seed);
  device.user_agent = "Firefox " + std::to_string(seed);
  device.created_at = now;
  device.last_seen_at = now;
  device.expires_at = now + std::chrono::days(7);
  return device;
}

std::vector<std::int64_t> ids_of(const std::vector<storage::TrustedDevice>& devices) {
  std::vector<std::int64_t> ids;
  for (const auto& device : devices) ids.push_back(device.id);
  return ids;
}

TEST_P(TrustedDeviceStoreTest, AddsAndRecognisesADevice) {
  const auto alice = make_user("alice");
  const auto device = device_at(now_, alice.id, 1);
  const auto id = devices_->add_trusted_device(device).value();
  EXPECT_GT(id, 0);

  const auto later = now_ + seconds(3600);
  const auto used = devices_->use_trusted_device(alice.id, device.token_hash, later).value();
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(used->id, id);
  EXPECT_EQ(used->user_id, alice.id);
  EXPECT_EQ(used->token_hash, device.token_hash);
  EXPECT_EQ(used->user_agent, device.user_agent);
  EXPECT_EQ(used->created_at, device.created_at);
  EXPECT_EQ(used->last_seen_at, later) << "the returned row carries the new last_seen_at";
  EXPECT_EQ(used->expires_at, device.expires_at);

  const auto listed = devices_->trusted_devices_of(alice.id, later).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_seen_at, later) << "and it is stored";
}

TEST_P(TrustedDeviceStoreTest, ADuplicateTokenOrAnUnknownUserIsAConflict) {
  const auto alice = make_user("alice");
  ASSERT_TRUE(devices_->add_trusted_device(device_at(now_, alice.id, 1)).has_value());
  auto again = devices_->add_trusted_device(device_at(now_, alice.id, 1));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::conflict);
  auto orphan = devices_->add_trusted_device(device_at(now_, 4242, 2));
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, Errc::conflict);
}

TEST_P(TrustedDeviceStoreTest, ATokenIsRecognisedOnlyForItsOwner) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  const auto device = device_at(now_, alice.id, 1);
  ASSERT_TRUE(devices_->add_trusted_device(device).has_value());
  const auto later = now_ + seconds(60);
  EXPECT_FALSE(devices_->use_trusted_device(bob.id, device.token_hash, later).value().has_value());
  EXPECT_FALSE(devices_->use_trusted_device(alice.id, token_hash(2), later).value().has_value());
  EXPECT_EQ(devices_->trusted_devices_of(alice.id, later).value().at(0).last_seen_at, now_)
      << "a refused use does not touch the device";
}

TEST_P(TrustedDeviceStoreTest, AnExpiredDeviceIsNeitherRecognisedNorListed) {
  const auto alice = make_user("alice");
  const auto device = device_at(now_, alice.id, 1);
  ASSERT_TRUE(devices_->add_trusted_device(device).has_value());
  const auto expiry = device.expires_at;
  EXPECT_TRUE(devices_->use_trusted_device(alice.id, device.token_hash, expiry - seconds(1))
                  .value()
                  .has_value());
  EXPECT_FALSE(devices_->use_trusted_device(alice.id, device.token_hash, expiry).value().has_value());
  EXPECT_EQ(devices_->trusted_devices_of(alice.id, expiry - seconds(1)).value().size(), 1u);
  EXPECT_TRUE(devices_->trusted_devices_of(alice.id, expiry).value().empty());
}

TEST_P(TrustedDeviceStoreTest, ListsTheUsersLiveDevicesMostRecentlySeenFirst) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  auto oldest = device_at(now_, alice.id, 1);
  oldest.last_seen_at = now_ - seconds(300);
  auto tie_first = device_at(now_, alice.id, 2);
  auto tie_second = device_at(now_, alice.id, 3);  // same last_seen_at: the higher id first
  auto expired = device_at(now_, alice.id, 4);
  expired.expires_at = now_;
  const auto a = devices_->add_trusted_device(oldest).value();
  const auto b = devices_->add_trusted_device(tie_first).value();
  const auto c = devices_->add_trusted_device(tie_second).value();
  ASSERT_TRUE(devices_->add_trusted_device(expired).has_value());
  ASSERT_TRUE(devices_->add_trusted_device(device_at(now_, bob.id, 5)).has_value());

  EXPECT_EQ(ids_of(devices_->trusted_devices_of(alice.id, now_).value()),
            (std::vector<std::int64_t>{c, b, a}));

  // Using the oldest brings it to the top.
  ASSERT_TRUE(devices_->use_trusted_device(alice.id, oldest.token_hash, now_ + seconds(10))
                  .value()
                  .has_value());
  EXPECT_EQ(ids_of(devices_->trusted_devices_of(alice.id, now_).value()),
            (std::vector<std::int64_t>{a, c, b}));
}

TEST_P(TrustedDeviceStoreTest, OnlyTheOwnerCanForgetADevice) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  const auto id = devices_->add_trusted_device(device_at(now_, alice.id, 1)).value();

  auto by_bob = devices_->forget_trusted_device(bob.id, id);
  ASSERT_FALSE(by_bob.has_value());
  EXPECT_EQ(by_bob.error().code, Errc::not_found);
  EXPECT_EQ(devices_->trusted_devices_of(alice.id, now_).value().size(), 1u);

  auto missing = devices_->forget_trusted_device(alice.id, id + 1000);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::not_found);

  ASSERT_TRUE(devices_->forget_trusted_device(alice.id, id).has_value());
  EXPECT_TRUE(devices_->trusted_devices_of(alice.id, now_).value().empty());
  EXPECT_FALSE(devices_->use_trusted_device(alice.id, token_hash(1), now_).value().has_value());
  EXPECT_EQ(devices_->forget_trusted_device(alice.id, id).error().code, Errc::not_found);
}

TEST_P(TrustedDeviceStoreTest, ForgetsAllDevicesOfOneUser) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  for (std::uint8_t seed = 1; seed <= 3; ++seed) {
    ASSERT_TRUE(devices_->add_trusted_device(device_at(now_, alice.id, seed)).has_value());
  }
  ASSERT_TRUE(devices_->add_trusted_device(device_at(now_, bob.id, 9)).has_value());
  EXPECT_EQ(devices_->forget_all_trusted_devices(alice.id).value(), 3);
  EXPECT_TRUE(devices_->trusted_devices_of(alice.id, now_).value().empty());
  EXPECT_EQ(devices_->trusted_devices_of(bob.id, now_).value().size(), 1u);
  EXPECT_EQ(devices_->forget_all_trusted_devices(alice.id).value(), 0);
}

TEST_P(TrustedDeviceStoreTest, DeletingAUserRemovesItsDevices) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");
  ASSERT_TRUE(devices_->add_trusted_device(device_at(now_, alice.id, 1)).has_value());
  ASSERT_TRUE(devices_->add_trusted_device(device_at(now_, bob.id, 2)).has_value());
  ASSERT_TRUE(users_->delete_user(alice.id).has_value());
  EXPECT_EQ(raw("SELECT id FROM trusted_devices WHERE user_id = $1", storage::sql::params(alice.id))
                .rows.size(),
            0u);
  EXPECT_EQ(devices_->trusted_devices_of(bob.id, now_).value().size(), 1u);
}

TFA_INSTANTIATE_STORAGE_SUITE(TrustedDeviceStoreTest);

}  // namespace
}  // namespace tfa::testing
