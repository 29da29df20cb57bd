#pragma once
#include "core/random.hpp"
#include "crypto/sealer.hpp"
#include "storage/factor_store.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

/// The authenticated context a factor's secret is sealed under: its table, column and row.
std::string factor_secret_context(std::int64_t factor_id);

/// Inside a transaction: marks every unused e-mail token of the user used at `now`; how many.
Result<std::int64_t> end_email_tokens_of(Connection& connection, std::int64_t user_id, Time now);

/// Inside a transaction: removes every second factor, backup code and trusted device of the
/// user, ends the user's e-mail tokens and appends `event` (with what was removed added to its
/// detail).
Result<SecondFactorReset> remove_second_factors(Connection& connection, std::int64_t user_id,
                                                const AuditEvent& event);

class SqlFactorStore final : public FactorStore {
 public:
  SqlFactorStore(Database& database, const crypto::Sealer& sealer, Random& random)
      : database_(database), sealer_(sealer), random_(random) {}

  Result<std::int64_t> add_factor(const NewFactor& factor, Time now) override;
  Result<std::vector<Factor>> factors_of(std::int64_t user_id) override;
  Result<std::vector<Factor>> factor_list_of(std::int64_t user_id) override;
  Result<std::optional<Factor>> find_factor(std::int64_t id) override;
  Result<void> confirm_factor(std::int64_t id, Time now, std::optional<std::int64_t> accepted_counter,
                              std::int64_t drift_steps) override;
  Result<void> remove_factor(std::int64_t id) override;
  Result<bool> record_accepted_counter(std::int64_t factor_id, std::int64_t counter,
                                       std::int64_t drift_steps, Time now) override;
  Result<SecondFactorReset> remove_all_second_factors(std::int64_t user_id,
                                                      const AuditEvent& event) override;

 private:
  enum class Secret { open, leave_sealed };
  Result<Factor> factor_from(const Row& row, Secret secret = Secret::open) const;
  Result<std::vector<Factor>> list_of(std::int64_t user_id, Secret secret);

  Database& database_;
  const crypto::Sealer& sealer_;
  Random& random_;
};

}  // namespace tfa::storage::sql
