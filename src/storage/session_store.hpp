#pragma once
// Console sessions, through each stage of sign-in. The session id is a random token held only
// by the browser; the store sees its hash.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

struct Session {
  std::vector<std::uint8_t> id_hash;
  std::optional<std::int64_t> user_id;
  std::string stage;   // "anonymous", "second_factor" or "signed_in"
  std::string data;    // JSON owned by the login flow
  std::optional<Time> reauth_at;  // last password re-confirmation
  std::string client_address;
  std::string user_agent;
  Time created_at;
  Time last_seen_at;
  Time expires_at;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Result<void> create_session(const Session& session) = 0;
  /// The session, or nullopt when there is none or it expired before `now`.
  virtual Result<std::optional<Session>> find_session(const std::vector<std::uint8_t>& id_hash,
                                                      Time now) = 0;
  /// Writes every field but id_hash and created_at. not_found when the session is gone.
  virtual Result<void> update_session(const Session& session) = 0;
  /// Replaces the session `old_id_hash` by `replacement` in one transaction (a new id at each
  /// step of sign-in). not_found when the old one is gone, so a stolen id used twice fails.
  virtual Result<void> rotate_session(const std::vector<std::uint8_t>& old_id_hash,
                                      const Session& replacement) = 0;
  /// Succeeds when the session is already gone, so signing out twice is harmless.
  virtual Result<void> delete_session(const std::vector<std::uint8_t>& id_hash) = 0;
  /// Removes every session of a user (e.g. after disabling 2FA); returns how many.
  virtual Result<std::int64_t> delete_user_sessions(std::int64_t user_id) = 0;
  virtual Result<std::int64_t> delete_expired_sessions(Time now) = 0;
};

}  // namespace tfa::storage
