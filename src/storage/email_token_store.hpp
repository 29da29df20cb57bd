#pragma once
// One-time tokens sent by e-mail, e.g. to turn 2FA off after losing the phone (seed 001).
// The mail carries the token; the store keeps only its hash.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/audit_log.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

struct EmailToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string purpose;  // "disable_2fa"
  Time created_at;
  Time expires_at;
  std::optional<Time> used_at;
};

struct NewEmailToken {
  std::int64_t user_id = 0;
  std::string purpose;
  std::vector<std::uint8_t> token_hash;
  Time expires_at;
};

class EmailTokenStore {
 public:
  virtual ~EmailTokenStore() = default;

  /// Errc::conflict when the user does not exist or the hash is taken.
  virtual Result<std::int64_t> add_email_token(const NewEmailToken& token, Time now) = 0;

  /// The token with this hash, used or expired ones included, so callers can say which.
  virtual Result<std::optional<EmailToken>> find_email_token(const std::vector<std::uint8_t>& token_hash) = 0;

  /// How many tokens of `purpose` were made for the user since `since` (to limit mail).
  virtual Result<std::int64_t> email_tokens_since(std::int64_t user_id, std::string_view purpose,
                                                  Time since) = 0;

  /// Marks every unused token of the user used, so that none works any more: a new password
  /// ends the tokens mailed after the old one was typed. Returns how many were ended.
  virtual Result<std::int64_t> end_email_tokens(std::int64_t user_id, Time now) = 0;

  /// Turning 2FA off by e-mail, in one transaction: marks the token used, if it belongs to
  /// `user_id`, has the purpose "disable_2fa", is unused and has not expired, then removes
  /// every second factor, backup code and trusted device of the user, ends the user's other
  /// tokens and appends `event`.
  /// False, with nothing changed, when the token does not qualify.
  virtual Result<bool> redeem_disable_token(std::int64_t user_id,
                                            const std::vector<std::uint8_t>& token_hash, Time now,
                                            const AuditEvent& event) = 0;
};

}  // namespace tfa::storage
