#pragma once
// Accounts as the operator and the sign-in flow see them: creation, password checks (with
// rehashing when the Argon2id settings change), and the support desk's actions. Every change
// is written to the audit log.
#include <optional>
#include <string>
#include <string_view>

#include "auth/actor.hpp"
#include "core/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "storage/audit_log.hpp"
#include "storage/factor_store.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

struct AccountStores {
  storage::UserStore& users;
  storage::FactorStore& factors;
  storage::AuditLog& audit;
};

class AccountService {
 public:
  /// Fails only when the hasher cannot make the dummy hash used for unknown users.
  static Result<AccountService> create(AccountStores stores, const crypto::PasswordHasher& hasher,
                                       const Clock& clock, std::size_t min_password_length);

  /// Errors: invalid_argument for a bad name, address or password; conflict for a taken name.
  Result<storage::User> create_user(std::string_view name, std::string_view email,
                                    std::string_view password, const Actor& actor);
  /// Whether a new account's name, address and password keep the rules: invalid_argument
  /// naming the first rule broken. Says nothing about whether the name is taken.
  Result<void> check_new_account(std::string_view name, std::string_view email,
                                 std::string_view password) const;
  /// Creates an account whose password was hashed earlier (by hash_new_password), as a
  /// confirmed sign-up does. Errors: invalid_argument for a bad name or address; conflict for
  /// a taken name. `detail` goes to the audit event.
  Result<storage::User> create_user_with_hash(std::string_view name, std::string_view email,
                                              std::string password_hash, const Actor& actor,
                                              std::string detail = {});

  /// The user when the name exists, is enabled and the password is right; nullopt otherwise.
  /// An unknown name costs one Argon2id verification too (against a dummy hash), so the two
  /// cases take the same time. A correct password whose hash was made with other parameters
  /// is rehashed with the current ones.
  Result<std::optional<storage::User>> check_password(std::string_view name,
                                                      std::string_view password);
  /// The same for an account the caller has already looked up: `found` is nullopt for an
  /// unknown name, which then costs the dummy verification.
  Result<std::optional<storage::User>> check_password(std::optional<storage::User> found,
                                                      std::string_view password);

  Result<storage::User> find(std::string_view name);  // not_found with the name in the message
  Result<storage::User> find_by_id(std::int64_t id);  // not_found
  Result<std::vector<storage::User>> list();
  Result<void> set_disabled(std::string_view name, bool disabled, const Actor& actor);
  Result<void> remove(std::string_view name, const Actor& actor);
  /// Removes every second factor, backup code and trusted device, with an audit event, in one
  /// transaction: the support desk's answer to a lost phone.
  Result<storage::SecondFactorReset> reset_second_factors(std::string_view name, const Actor& actor);
  /// Whether a new password keeps the password rules: invalid_argument naming the rule if not.
  Result<void> check_new_password(std::string_view password) const;
  /// The Argon2id hash of a new password that keeps the rules (else as above). Slow: off the
  /// I/O threads, outside transactions.
  Result<std::string> hash_new_password(std::string_view password) const;

 private:
  AccountService(AccountStores stores, const crypto::PasswordHasher& hasher, const Clock& clock,
                 std::size_t min_password_length, std::string dummy_hash)
      : stores_(stores), hasher_(hasher), clock_(clock),
        min_password_length_(min_password_length), dummy_hash_(std::move(dummy_hash)) {}

  storage::Time now() const;
  void audit(const storage::User& user, std::string_view event, std::string_view outcome,
             const Actor& actor, std::string detail = {});

  AccountStores stores_;
  const crypto::PasswordHasher& hasher_;
  const Clock& clock_;
  std::size_t min_password_length_;
  std::string dummy_hash_;
};

}  // namespace tfa::auth
