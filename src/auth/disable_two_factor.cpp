#include "auth/disable_two_factor.hpp"

namespace tfa::auth {

Result<CodeStep> DisableTwoFactor::disable(const storage::User& user, std::string_view code,
                                           const Actor& actor) {
  TFA_TRY(auto step, login_.submit_code(user, code, actor));
  if (step.outcome != CodeStep::accepted) return step;
  const storage::AuditEvent event{0,
                                  std::chrono::floor<std::chrono::seconds>(clock_.now()),
                                  user.id,
                                  user.name,
                                  "2fa.disabled",
                                  "success",
                                  actor.client_address,
                                  actor.user_agent,
                                  "from the profile"};
  TFA_CHECK(factors_.remove_all_second_factors(user.id, event));
  notices_.two_factor_disabled(user, actor, "from the security settings");
  return step;
}

}  // namespace tfa::auth
