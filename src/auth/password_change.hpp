#pragma once
// A signed-in user changing their own password: the current one first, checked under the
// account's password limit, then the new one, after which every session of the account ends,
// console and API sign-ins alike (a password someone else knew no longer keeps them signed
// in), and the owner is mailed. API keys stay: they belong to scripts, not to a sign-in.
#include <chrono>
#include <string>
#include <string_view>

#include "auth/account_service.hpp"
#include "auth/notices.hpp"
#include "auth/throttle.hpp"
#include "storage/api_token_store.hpp"
#include "storage/session_store.hpp"

namespace tfa::auth {

struct PasswordChange {
  enum Outcome {
    changed,         // stored; every console session and API sign-in token has ended
    wrong_password,  // the current password is wrong; counted towards the limit
    rejected,        // the new password breaks a rule (`problem` says which); nothing changed
    throttled,       // too many wrong current passwords; try again after retry_after
  } outcome = wrong_password;
  std::string problem;
  std::chrono::seconds retry_after{0};
};

class PasswordChanger {
 public:
  PasswordChanger(AccountService& accounts, Throttle& throttle, storage::SessionStore& sessions,
                  storage::ApiTokenStore& api_tokens, Notices* notices, ThrottlePolicy policy)
      : accounts_(accounts), throttle_(throttle), sessions_(sessions), api_tokens_(api_tokens),
        notices_(notices), policy_(policy) {}

  /// Runs Argon2id twice (the check and the new hash): call it off the I/O threads.
  Result<PasswordChange> change(const storage::User& user, std::string_view current,
                                std::string_view replacement, const Actor& actor);

 private:
  AccountService& accounts_;
  Throttle& throttle_;
  storage::SessionStore& sessions_;
  storage::ApiTokenStore& api_tokens_;
  Notices* notices_;  // none in some tests
  ThrottlePolicy policy_;
};

}  // namespace tfa::auth
