#pragma once
// A signed-in user changing their own password. The new password's rules are checked first
// (a rule broken costs no attempt), then the current password under the account's password
// limit. The change, the end of every console session and API token of the account, and its
// audit event are one transaction: a password someone else knew keeps nothing open, neither
// a browser nor a bearer token nor an API key made with it. Then the owner is mailed.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/account_service.hpp"
#include "auth/notices.hpp"
#include "auth/throttle.hpp"
#include "core/clock.hpp"
#include "storage/api_token_store.hpp"
#include "storage/audit_log.hpp"
#include "storage/email_token_store.hpp"
#include "storage/session_store.hpp"
#include "storage/transactions.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

struct PasswordChange {
  enum Outcome {
    changed,         // stored; every session, API sign-in and API key of the account has ended
    wrong_password,  // the current password is wrong; counted towards the limit
    rejected,        // the new password breaks a rule (`problem` says which); nothing changed
    throttled,       // too many wrong current passwords; try again after retry_after
  } outcome = wrong_password;
  std::string problem;
  std::chrono::seconds retry_after{0};
  std::int64_t sessions_ended = 0;  // console sessions, this one included
  std::int64_t tokens_revoked = 0;  // API sign-in tokens and API keys
};

struct PasswordChangeStores {
  storage::UserStore& users;
  storage::SessionStore& sessions;
  storage::ApiTokenStore& api_tokens;
  storage::EmailTokenStore& email_tokens;
  storage::AuditLog& audit;
  storage::Transactions& transactions;
};

class PasswordChanger {
 public:
  PasswordChanger(AccountService& accounts, Throttle& throttle, PasswordChangeStores stores,
                  const Clock& clock, Notices* notices, ThrottlePolicy policy)
      : accounts_(accounts), throttle_(throttle), stores_(stores), clock_(clock), notices_(notices),
        policy_(policy) {}

  /// Runs Argon2id twice (the check and the new hash): call it off the I/O threads.
  Result<PasswordChange> change(const storage::User& user, std::string_view current,
                                std::string_view replacement, const Actor& actor);

  /// `tfa user passwd`: an administrator sets the password without the current one, with the
  /// same end of every session, API sign-in and API key. No mail, like the support desk's
  /// other commands. The outcome is `changed` or `rejected`.
  Result<PasswordChange> set_by_administrator(const storage::User& user, std::string_view replacement,
                                              const Actor& actor);

 private:
  /// Hashes `replacement`, then in one write transaction stores it, ends the account's
  /// sessions and API tokens, and audits that, with `origin` first in the event's detail.
  Result<void> replace(const storage::User& user, std::string_view replacement, const Actor& actor,
                       std::string_view origin, PasswordChange& result);
  void audit(const storage::User& user, std::string_view outcome, const Actor& actor, std::string detail);

  AccountService& accounts_;
  Throttle& throttle_;
  PasswordChangeStores stores_;
  const Clock& clock_;
  Notices* notices_;  // none in some tests
  ThrottlePolicy policy_;
};

}  // namespace tfa::auth
