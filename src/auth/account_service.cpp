#include "auth/account_service.hpp"

#include "auth/account_rules.hpp"

namespace tfa::auth {
namespace {

tl::unexpected<Error> unknown_user(std::string_view name) {
  return fail(Errc::not_found, "no user named '" + std::string(name) + "'");
}

}  // namespace

Result<AccountService> AccountService::create(AccountStores stores,
                                              const crypto::PasswordHasher& hasher,
                                              const Clock& clock, std::size_t min_password_length) {
  // Hashed once with the current parameters, so checking an unknown name costs what checking
  // a known one does.
  TFA_TRY(auto dummy, hasher.hash("tfa dummy password for unknown users"));
  return AccountService(stores, hasher, clock, min_password_length, std::move(dummy));
}

storage::Time AccountService::now() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.now());
}

void AccountService::audit(const storage::User& user, std::string_view event,
                           std::string_view outcome, const Actor& actor, std::string detail) {
  // A failed audit write must not undo the change it describes; the store reports it in
  // its own error log path when the server has one. Here it is deliberately not fatal.
  (void)stores_.audit.append({0, now(), user.id, user.name, std::string(event), std::string(outcome),
                              actor.client_address, actor.user_agent, std::move(detail)});
}

Result<storage::User> AccountService::create_user(std::string_view name, std::string_view email,
                                                  std::string_view password, const Actor& actor) {
  TFA_CHECK(check_new_account(name, email, password));
  TFA_TRY(auto hash, hasher_.hash(password));
  return create_user_with_hash(name, email, std::move(hash), actor);
}

Result<void> AccountService::check_new_account(std::string_view name, std::string_view email,
                                               std::string_view password) const {
  TFA_CHECK(check_user_name(name));
  TFA_CHECK(check_email(email));
  return auth::check_password(password, min_password_length_);
}

Result<storage::User> AccountService::create_user_with_hash(std::string_view name, std::string_view email,
                                                            std::string password_hash, const Actor& actor,
                                                            std::string detail) {
  TFA_CHECK(check_user_name(name));
  TFA_CHECK(check_email(email));
  TFA_TRY(auto user, stores_.users.create_user(
                         {std::string(name), std::string(email), std::move(password_hash)}, now()));
  audit(user, "user.created", "success", actor, std::move(detail));
  return user;
}

Result<std::optional<storage::User>> AccountService::check_password(std::string_view name,
                                                                    std::string_view password) {
  TFA_TRY(auto found, stores_.users.find_user_by_name(name));
  return check_password(std::move(found), password);
}

Result<std::optional<storage::User>> AccountService::check_password(std::optional<storage::User> found,
                                                                    std::string_view password) {
  if (!found) {
    (void)hasher_.verify(dummy_hash_, password);
    return std::optional<storage::User>();
  }
  if (!hasher_.verify(found->password_hash, password) || found->disabled) {
    return std::optional<storage::User>();
  }
  if (hasher_.needs_rehash(found->password_hash)) {
    // The password is known to be right, so this is the one moment it can be rehashed.
    // Only over the hash just checked: a password changed meanwhile is never put back. The
    // sign-in then fails like a wrong password, since the password it checked is gone.
    TFA_TRY(auto rehashed, hasher_.hash(password));
    TFA_TRY(const bool replaced,
            stores_.users.replace_password_hash(found->id, found->password_hash, rehashed, now()));
    if (!replaced) return std::optional<storage::User>();
    found->password_hash = std::move(rehashed);
  }
  return found;
}

Result<storage::User> AccountService::find(std::string_view name) {
  TFA_TRY(auto found, stores_.users.find_user_by_name(name));
  if (!found) return unknown_user(name);
  return std::move(*found);
}

Result<storage::User> AccountService::find_by_id(std::int64_t id) {
  TFA_TRY(auto found, stores_.users.find_user(id));
  if (!found) return fail(Errc::not_found, "no user with id " + std::to_string(id));
  return std::move(*found);
}

Result<std::vector<storage::User>> AccountService::list() { return stores_.users.list_users(); }

Result<void> AccountService::check_new_password(std::string_view password) const {
  return auth::check_password(password, min_password_length_);
}

Result<std::string> AccountService::hash_new_password(std::string_view password) const {
  TFA_CHECK(check_new_password(password));
  return hasher_.hash(password);
}

Result<void> AccountService::set_disabled(std::string_view name, bool disabled, const Actor& actor) {
  TFA_TRY(auto user, find(name));
  TFA_CHECK(stores_.users.set_disabled(user.id, disabled, now()));
  audit(user, disabled ? "user.disabled" : "user.enabled", "success", actor);
  return {};
}

Result<void> AccountService::remove(std::string_view name, const Actor& actor) {
  TFA_TRY(auto user, find(name));
  TFA_CHECK(stores_.users.delete_user(user.id));
  audit(user, "user.deleted", "success", actor);
  return {};
}

Result<storage::SecondFactorReset> AccountService::reset_second_factors(std::string_view name,
                                                                         const Actor& actor) {
  TFA_TRY(auto user, find(name));
  return stores_.factors.remove_all_second_factors(
      user.id, {0, now(), user.id, user.name, "2fa.reset_by_admin", "success",
                actor.client_address, actor.user_agent, ""});
}

}  // namespace tfa::auth
