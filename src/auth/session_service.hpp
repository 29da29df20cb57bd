#pragma once
// Console sessions: a random id in the browser's cookie, its hash in the store, a stage of
// sign-in, and a CSRF token derived from the id. The id changes at every step of sign-in, so an
// id seen before the password was typed is worthless after.
#include <chrono>
#include <optional>
#include <string>

#include "auth/actor.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/secret_bytes.hpp"
#include "storage/session_store.hpp"

namespace tfa::auth {

enum class Stage { anonymous, second_factor, signed_in };

struct SessionSettings {
  std::chrono::seconds sign_in_lifetime{std::chrono::minutes(15)};  // anonymous, second_factor
  std::chrono::seconds signed_in_idle{std::chrono::hours(12)};      // slides with each use
  std::chrono::seconds reauth_valid{std::chrono::minutes(5)};      // password re-confirmation
};

/// A session as a handler sees it: the cookie value and the stored record.
struct WebSession {
  std::string id;
  storage::Session record;

  Stage stage() const;
  std::optional<std::int64_t> user_id() const { return record.user_id; }
  /// Small integer values the flows keep in the session (e.g. the factor being enrolled).
  std::optional<std::int64_t> number(std::string_view key) const;
  void set_number(std::string_view key, std::optional<std::int64_t> value);
};

class SessionService {
 public:
  SessionService(storage::SessionStore& store, const Clock& clock, Random& random,
                 SecretBytes csrf_key, SessionSettings settings = {})
      : store_(store), clock_(clock), random_(random), csrf_key_(std::move(csrf_key)),
        settings_(settings) {}

  /// A new anonymous session, stored.
  Result<WebSession> start(const Actor& client);
  /// The session named by a cookie value, or nullopt when unknown, malformed or expired.
  /// A signed-in session's expiry slides forward.
  Result<std::optional<WebSession>> resume(std::string_view cookie_value);
  /// Moves the session to `stage` for `user_id` under a new id; the old id stops working.
  Result<void> advance(WebSession& session, Stage stage, std::optional<std::int64_t> user_id);
  /// Stores changes to the session's data.
  Result<void> save(WebSession& session);
  Result<void> end(const WebSession& session);

  std::string csrf_token(const WebSession& session) const;
  /// Constant time.
  bool csrf_matches(const WebSession& session, std::string_view token) const;

  bool recently_reauthenticated(const WebSession& session) const;
  /// Records a password re-confirmation now (call save() after).
  void mark_reauthenticated(WebSession& session) const;

  const SessionSettings& settings() const { return settings_; }

 private:
  storage::Time now() const;
  storage::Time expiry_for(Stage stage) const;

  storage::SessionStore& store_;
  const Clock& clock_;
  Random& random_;
  SecretBytes csrf_key_;
  SessionSettings settings_;
};

std::string_view to_string(Stage stage);

}  // namespace tfa::auth
