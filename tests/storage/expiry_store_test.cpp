// Conformance: removing what has expired, and only that, on every backend.
#include "storage/sql/sql_expiry_store.hpp"
#include "storage_test_fixture.hpp"

namespace tfa::testing {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using storage::sql::Blob;
using storage::sql::params;
using ExpiryStoreTest = StorageTest;

TEST_P(ExpiryStoreTest, DeletesWhatHasExpiredAndKeepsTheRest) {
  const auto alice = make_user("alice");
  auto count = [&](const std::string& table) {
    return raw("SELECT COUNT(*) FROM " + table).rows.at(0).integer(0).value();
  };
  const std::int64_t now = storage::to_unix(now_);
  auto blob = [](std::uint8_t seed) { return Blob{std::vector<std::uint8_t>(32, seed)}; };
  for (auto [seed, expires] : {std::pair{1, now - 1}, std::pair{2, now}, std::pair{3, now + 60}}) {
    raw("INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at, expires_at) "
        "VALUES ($1, $2, 'anonymous', $3, $3, $4)",
        params(blob(static_cast<std::uint8_t>(seed)), alice.id, now - 100, expires));
    raw("INSERT INTO trusted_devices (user_id, token_hash, created_at, last_seen_at, expires_at) "
        "VALUES ($1, $2, $3, $3, $4)",
        params(alice.id, blob(static_cast<std::uint8_t>(seed + 10)), now - 100, expires));
    raw("INSERT INTO email_tokens (user_id, purpose, token_hash, created_at, expires_at) "
        "VALUES ($1, 'disable_2fa', $2, $3, $4)",
        params(alice.id, blob(static_cast<std::uint8_t>(seed + 20)), now - 100, expires - 86400));
    raw("INSERT INTO api_tokens (user_id, kind, token_hash, created_at, expires_at) "
        "VALUES ($1, 'session', $2, $3, $4)",
        params(alice.id, blob(static_cast<std::uint8_t>(seed + 30)), now - 100, expires));
  }
  raw("INSERT INTO api_tokens (user_id, kind, name, token_hash, created_at, expires_at) "
      "VALUES ($1, 'key', 'forever', $2, $3, NULL)",
      params(alice.id, blob(40), now - 100));
  raw("INSERT INTO factors (user_id, kind, status, created_at, expires_at) "
      "VALUES ($1, 'totp', 'pending', $2, $3), ($1, 'totp', 'pending', $2, $4), "
      "($1, 'totp', 'confirmed', $2, NULL)",
      params(alice.id, now - 100, now - 1, now + 60));
  raw("INSERT INTO throttle (key, failures, window_start, blocked_until, updated_at) VALUES "
      "('old', 3, 0, 0, $1), ('old-but-blocked', 9, 0, $2, $1), ('recent', 1, 0, 0, $3), "
      // Code keys are remembered 30 days per failure: 3 failures 60 days ago stay, 2 go.
      "('account:1:otp', 3, 0, 0, $4), ('account:2:otp', 2, 0, 0, $4)",
      params(now - 3 * 86400, now + 60, now - 10, now - 60 * 86400));

  storage::sql::SqlExpiryStore expiry(db());
  auto removed = expiry.delete_expired(now_, now_ - days(1), now_ - days(2), days(30)).value();
  EXPECT_EQ(removed.sessions, 2);
  EXPECT_EQ(removed.trusted_devices, 2);
  EXPECT_EQ(removed.pending_factors, 1);
  EXPECT_EQ(removed.email_tokens, 2);
  EXPECT_EQ(removed.throttle_keys, 2);
  EXPECT_EQ(removed.api_tokens, 2);
  EXPECT_EQ(removed.total(), 11);
  EXPECT_EQ(count("sessions"), 1);
  EXPECT_EQ(count("trusted_devices"), 1);
  EXPECT_EQ(count("factors"), 2) << "the confirmed factor and the live pending one stay";
  EXPECT_EQ(count("email_tokens"), 1);
  EXPECT_EQ(count("api_tokens"), 2) << "the live token and the key without expiry stay";
  EXPECT_EQ(count("throttle"), 3) << "a blocked key stays while it is blocked, a code key while remembered";

  EXPECT_EQ(expiry.delete_expired(now_, now_ - days(1), now_ - days(2), days(30)).value().total(), 0);
}

TFA_INSTANTIATE_STORAGE_SUITE(ExpiryStoreTest);

}  // namespace
}  // namespace tfa::testing
