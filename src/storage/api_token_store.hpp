#pragma once
// Bearer tokens of the JSON API: short-lived sign-in tokens ("session") and named API keys for
// automation ("key"). The holder gets a random string; the store keeps only its hash.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/time.hpp"
#include "storage/user_store.hpp"

namespace tfa::storage {

enum class ApiTokenKind { session, key };

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  ApiTokenKind kind = ApiTokenKind::session;
  std::string name;  // an API key's name; "" for sessions
  std::vector<std::uint8_t> token_hash;
  Time created_at;
  std::optional<Time> expires_at;  // none: until revoked (API keys only)
  std::optional<Time> last_used_at;
};

/// A token and the account it belongs to, read together.
struct TokenHolder {
  ApiToken token;
  User user;
};

class ApiTokenStore {
 public:
  virtual ~ApiTokenStore() = default;
  /// conflict when the hash is taken or the user does not exist.
  virtual Result<std::int64_t> add_api_token(const ApiToken& token) = 0;
  /// The unexpired token with this hash, if any. Only reads.
  virtual Result<std::optional<ApiToken>> find_api_token(const std::vector<std::uint8_t>& token_hash,
                                                         Time now) = 0;
  /// The same token with its user, in one lookup (each API request makes it). Only reads.
  virtual Result<std::optional<TokenHolder>> find_token_holder(const std::vector<std::uint8_t>& token_hash,
                                                               Time now) = 0;
  /// Sets the token's last_used_at to `used_at`; nothing when no such token exists. Callers
  /// write it only when the stored time is old, so that a busy token costs one write a minute
  /// rather than one per request.
  virtual Result<void> touch_api_token(std::int64_t token_id, Time used_at) = 0;
  /// The user's unexpired tokens of `kind`, newest first.
  virtual Result<std::vector<ApiToken>> api_tokens_of(std::int64_t user_id, ApiTokenKind kind, Time now) = 0;
  /// Deletes the token; not_found unless it exists and belongs to the user.
  virtual Result<void> revoke_api_token(std::int64_t user_id, std::int64_t token_id) = 0;
  /// Deletes every token of `kind` the user has; how many there were.
  virtual Result<std::int64_t> revoke_api_tokens_of(std::int64_t user_id, ApiTokenKind kind) = 0;
};

inline std::string_view to_string(ApiTokenKind kind) { return kind == ApiTokenKind::key ? "key" : "session"; }

}  // namespace tfa::storage
