#pragma once
// Self sign-up, confirmed by e-mail, so that it tells nobody whether a name is taken
// (docs/security.md, "No enumeration"). The form's answer is the same page whether or not the
// name exists, after the same work (the password is hashed either way); what differs is the
// mail to the address typed in: a link that creates the account, or word that the name is
// taken. So only the owner of a mailbox learns about a name, one mail at a time, and the link
// proves the address that later receives recovery tokens.
//
// The link carries the request itself, sealed under the server key (name, address, Argon2id
// hash of the password, expiry), so nothing is stored before the account exists. It works
// once because the account it creates takes the name.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/account_service.hpp"
#include "auth/actor.hpp"
#include "auth/notices.hpp"
#include "auth/throttle.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "crypto/sealer.hpp"
#include "storage/audit_log.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

struct SignupSettings {
  std::chrono::minutes link_lifetime{30};
  /// Sign-ups per client address: each one sends a mail, so this bounds mail to strangers
  /// and name probing from one address. Then it waits 30 s, doubling up to an hour; the count
  /// is forgotten a day after the last.
  int per_address = 10;
  /// Sign-up mails to one address before it waits (10 minutes, doubling up to an hour), so
  /// nobody floods a mailbox with them.
  int mails_per_recipient = 3;
  /// Links that do not open, per client address; a link cannot be guessed, but every input
  /// is limited.
  ThrottlePolicy bad_links_per_address{10, std::chrono::seconds(30), std::chrono::hours(1),
                                       std::chrono::hours(24)};
};

struct SignupRequest {
  enum Outcome { mailed, throttled } outcome = mailed;
  std::chrono::seconds retry_after{0};
};

struct SignupConfirm {
  enum Outcome {
    created,  // `user` exists now
    invalid,  // not a link of ours, or tampered with
    expired,
    taken,  // the name was taken since (or the link was used already)
    throttled,
  } outcome = invalid;
  storage::User user;
  std::string name;  // the name asked for, when the link opened
  std::chrono::seconds retry_after{0};
};

struct SignupStores {
  storage::UserStore& users;
  storage::AuditLog& audit;
};

class Signup {
 public:
  Signup(SignupStores stores, AccountService& accounts, Throttle& throttle, Notices& notices,
         const crypto::Sealer& sealer, const Clock& clock, Random& random, SignupSettings settings = {})
      : stores_(stores), accounts_(accounts), throttle_(throttle), notices_(notices), sealer_(sealer),
        clock_(clock), random_(random), settings_(std::move(settings)) {}

  /// The form: invalid_argument naming the rule when the name, address or password breaks
  /// one (that says nothing about other accounts); otherwise a mail to `email` and `mailed`,
  /// or `throttled`. Hashes the password: slow, call it off the I/O threads.
  Result<SignupRequest> request(std::string_view name, std::string_view email, std::string_view password,
                                const Actor& actor);

  /// The link's token, typed or followed: creates the account it asks for.
  Result<SignupConfirm> confirm(std::string_view token, const Actor& actor);

  const SignupSettings& settings() const { return settings_; }

 private:
  storage::Time now() const;
  std::string seal_request(std::string_view name, std::string_view email, const std::string& hash) const;
  /// True when the audit log records the deletion of an account of this name since `since`.
  Result<bool> deleted_since(const std::string& name, storage::Time since);

  SignupStores stores_;
  AccountService& accounts_;
  Throttle& throttle_;
  Notices& notices_;
  const crypto::Sealer& sealer_;
  const Clock& clock_;
  Random& random_;
  SignupSettings settings_;
};

}  // namespace tfa::auth
