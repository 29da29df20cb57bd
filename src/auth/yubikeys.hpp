#pragma once
// YubiKeys as second factors of accounts: registering one by a touch (its public ID binds it
// to the account), labelling, removing, and checking one at sign-in. The OTP itself is checked
// by a YubicoValidator; this class owns the binding, the replay guard per factor, the audit
// trail and the notices.
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "auth/notices.hpp"
#include "auth/totp_factor.hpp"
#include "auth/yubikey_validator.hpp"
#include "core/clock.hpp"
#include "storage/audit_log.hpp"
#include "storage/factor_store.hpp"

namespace tfa::auth {

struct YubiKeyAdded {
  enum Outcome {
    added,
    bad_otp,   // not a genuine OTP of a key the validator knows
    replayed,  // an OTP already used: touch the key again
    taken,     // the key is registered already, to this account or another
  } outcome = bad_otp;
  std::int64_t factor_id = 0;
  bool first_factor = false;  // this turned two-factor authentication on
};

class YubiKeys {
 public:
  YubiKeys(storage::FactorStore& factors, storage::AuditLog& audit, YubicoValidator& validator,
           const Clock& clock, Notices* notices = nullptr)
      : factors_(factors), audit_(audit), validator_(validator), clock_(clock), notices_(notices) {}

  /// Registers the key that typed `otp` for `user`, labelled `label` (trimmed, at most 64
  /// characters, control characters and invalid UTF-8 dropped; "YubiKey" when empty). Validation may call a remote server: call it off the
  /// I/O threads.
  Result<YubiKeyAdded> add(const storage::User& user, std::string_view otp, std::string_view label,
                           const Actor& actor);

  /// Removes one of the user's YubiKeys. Errc::not_found when it is not theirs; Errc::conflict
  /// when it is their only second factor (turning 2FA off is its own, confirmed action).
  Result<void> remove(const storage::User& user, std::int64_t factor_id, const Actor& actor);

  /// Sign-in in two halves, so that the validator (perhaps a remote server, perhaps slow) is
  /// asked outside any transaction. First: the validator's verdict on `otp` when its key is
  /// one of the user's confirmed YubiKeys (`factors`); nullopt, with nothing asked and nothing
  /// used up, for another account's key, no key, or junk.
  Result<std::optional<YubicoVerdict>> ask(const std::vector<storage::Factor>& factors, std::string_view otp);
  /// Second, in the caller's transaction: what that verdict means, with the replay guard per
  /// factor. nullopt (nothing asked) is `rejected`.
  Result<CodeCheck> settle(const std::vector<storage::Factor>& factors, std::string_view otp,
                           const std::optional<YubicoVerdict>& verdict);
  /// Both halves, for callers without a transaction to keep short.
  Result<CodeCheck> check(const std::vector<storage::Factor>& factors, std::string_view otp);

  static constexpr std::size_t kMaxLabel = 64;

 private:
  storage::Time now() const;
  void audit(const storage::User& user, std::string_view event, std::string_view outcome,
             const Actor& actor, std::string detail);

  storage::FactorStore& factors_;
  storage::AuditLog& audit_;
  YubicoValidator& validator_;
  const Clock& clock_;
  Notices* notices_;
};

}  // namespace tfa::auth
