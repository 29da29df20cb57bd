#pragma once
// "Confirm your password" before a change to two-factor authentication, in the console and in
// the API: one limit per account (shared with "Change password"), settled so that attempts
// sent all at once learn no more than attempts sent one after another, and every refusal in
// the audit log.
#include <chrono>
#include <string_view>

#include "auth/account_service.hpp"
#include "auth/actor.hpp"
#include "auth/throttle.hpp"
#include "core/clock.hpp"
#include "storage/audit_log.hpp"
#include "storage/transactions.hpp"

namespace tfa::auth {

struct Reconfirmation {
  enum Outcome { confirmed, wrong_password, throttled } outcome = wrong_password;
  std::chrono::seconds retry_after{0};  // throttled: how long to wait
};

class PasswordReconfirmation {
 public:
  PasswordReconfirmation(AccountService& accounts, Throttle& throttle, storage::AuditLog& audit,
                         storage::Transactions& transactions, const Clock& clock, ThrottlePolicy policy)
      : accounts_(accounts), throttle_(throttle), audit_(audit), transactions_(transactions), clock_(clock),
        policy_(policy) {}

  /// Checks `password` against `user`'s. Blocks for an Argon2id verification: call it off the
  /// I/O threads. A wrong password counts against the account's key (account_key(id,
  /// "password")); a right one clears it, unless attempts alongside blocked it meanwhile.
  Result<Reconfirmation> confirm(const storage::User& user, std::string_view password, const Actor& actor);

 private:
  void audit(const storage::User& user, std::string_view outcome, const Actor& actor);

  AccountService& accounts_;
  Throttle& throttle_;
  storage::AuditLog& audit_;
  storage::Transactions& transactions_;
  const Clock& clock_;
  ThrottlePolicy policy_;
};

}  // namespace tfa::auth
