#pragma once
// "Do not challenge me on this device for the next 7 days": a random token in a cookie, its
// hash in the store, bound to one user and expiring after the configured number of days.
#include <chrono>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "auth/notices.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "storage/audit_log.hpp"
#include "storage/trusted_device_store.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

class TrustedDevices {
 public:
  TrustedDevices(storage::TrustedDeviceStore& store, storage::AuditLog& audit, const Clock& clock,
                 Random& random, std::chrono::days lifetime, Notices* notices = nullptr)
      : store_(store), audit_(audit), clock_(clock), random_(random), lifetime_(lifetime),
        notices_(notices) {}

  /// Trusts the device the request came from; returns the token for its cookie.
  Result<std::string> trust(const storage::User& user, const Actor& actor);
  /// The trusted device of `user` this token names, if any and not expired (its last-seen
  /// time is updated).
  Result<std::optional<storage::TrustedDevice>> recognise(std::int64_t user_id, std::string_view token);
  /// True when `token` names an unexpired trusted device of `user_id`. Only reads (no
  /// last-seen update), for checks made before the password is known to be right.
  Result<bool> is_trusted(std::int64_t user_id, std::string_view token);
  Result<std::vector<storage::TrustedDevice>> list(std::int64_t user_id);
  Result<void> forget(const storage::User& user, std::int64_t device_id, const Actor& actor);
  Result<std::int64_t> forget_all(const storage::User& user, const Actor& actor);

  std::chrono::days lifetime() const { return lifetime_; }

 private:
  storage::Time now() const;

  storage::TrustedDeviceStore& store_;
  storage::AuditLog& audit_;
  const Clock& clock_;
  Random& random_;
  std::chrono::days lifetime_;
  Notices* notices_;  // mails "a new trusted device"; none in some tests
};

}  // namespace tfa::auth
