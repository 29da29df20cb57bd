#pragma once
// Bearer tokens of the JSON API. Signing in through the API (after the same password and code
// checks as the console, in LoginFlow) yields a short-lived token; an API key is a long-lived
// named token for scripts, made by a user who proved the password and a current code. Either
// is a 256-bit random string shown once; only its SHA-256 is stored.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "auth/notices.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "storage/api_token_store.hpp"
#include "storage/audit_log.hpp"
#include "storage/transactions.hpp"

namespace tfa::auth {

struct ApiTokenSettings {
  std::chrono::seconds session_lifetime{std::chrono::hours(12)};
  /// How often a token's last use is written (and, for keys, audited as "api_key.used").
  std::chrono::seconds touch_interval{std::chrono::minutes(1)};
};

/// A token as handed to its holder, once.
struct IssuedToken {
  std::string secret;
  storage::ApiToken record;
};

/// A key's name and expiry that ApiTokens::check_new_key accepted. Only it makes one, so
/// create_key needs no second check, whose later clock could refuse what the first accepted
/// after the request's code was used up.
class NewKey {
 public:
  const std::string& name() const { return name_; }
  std::optional<storage::Time> expires_at() const { return expires_at_; }

 private:
  friend class ApiTokens;
  NewKey(std::string name, std::optional<storage::Time> expires_at)
      : name_(std::move(name)), expires_at_(expires_at) {}

  std::string name_;
  std::optional<storage::Time> expires_at_;
};

/// Who an API request acts for, and with which token.
struct ApiCaller {
  storage::User user;
  storage::ApiToken token;
  bool by_key() const { return token.kind == storage::ApiTokenKind::key; }
};

class ApiTokens {
 public:
  ApiTokens(storage::ApiTokenStore& store, storage::AuditLog& audit, const Clock& clock, Random& random,
            ApiTokenSettings settings = {},
            storage::Transactions& transactions = storage::separate_transactions(),
            Notices* notices = nullptr)
      : store_(store), audit_(audit), clock_(clock), random_(random), settings_(settings),
        transactions_(transactions), notices_(notices) {}

  /// A sign-in token for a user who has just passed every sign-in step.
  Result<IssuedToken> sign_in(const storage::User& user, const Actor& actor);
  /// The first half of making an API key, to run before anything is used up (the request's
  /// code): `name` must be 1 to 64 printable characters and `expires_at`, if given, in the
  /// future; invalid_argument with the reason otherwise.
  Result<NewKey> check_new_key(std::string_view name, std::optional<storage::Time> expires_at) const;
  /// The second half: the key, stored, audited and mailed about to its owner (a key signs in
  /// without a code, so its owner hears of every new one).
  Result<IssuedToken> create_key(const storage::User& user, const NewKey& key, const Actor& actor);
  /// The caller a bearer token stands for; nullopt for junk, unknown, expired or revoked
  /// tokens and for disabled accounts. identify() and then record_use().
  Result<std::optional<ApiCaller>> authenticate(std::string_view bearer, const Actor& actor);
  /// The first half of authenticate: only reads, so it may run in a reading scope with the
  /// request's other reads. Call record_use() for the caller afterwards, outside that scope.
  Result<std::optional<ApiCaller>> identify(std::string_view bearer);
  /// Writes the token's last use when the stored one is older than the touch interval, so a
  /// busy token costs a write a minute; that is also when a key's use is audited.
  Result<void> record_use(ApiCaller& caller, const Actor& actor);
  Result<std::vector<storage::ApiToken>> keys(std::int64_t user_id);
  /// Revokes one of the user's API keys; not_found for a key that is not theirs.
  Result<void> revoke_key(const storage::User& user, std::int64_t key_id, const Actor& actor);
  /// Revokes the token the caller used (sign-out).
  Result<void> sign_out(const ApiCaller& caller, const Actor& actor);

 private:
  storage::Time now() const;
  Result<IssuedToken> issue(const storage::User& user, storage::ApiTokenKind kind, std::string name,
                            std::optional<storage::Time> expires_at);
  void audit(const storage::User& user, std::string_view event, const Actor& actor, std::string detail);

  storage::ApiTokenStore& store_;
  storage::AuditLog& audit_;
  const Clock& clock_;
  Random& random_;
  ApiTokenSettings settings_;
  storage::Transactions& transactions_;  // groups each call's store calls
  Notices* notices_;                      // null: no mail
};

}  // namespace tfa::auth
