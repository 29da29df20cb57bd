#pragma once
// TOTP factors as stored: their parameters as JSON, and checking a code against the user's
// confirmed factors with the replay guard.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "otp/totp.hpp"
#include "storage/factor_store.hpp"

namespace tfa::auth {

/// {"algorithm":"SHA1","digits":6,"period":30}
std::string totp_params_json(const otp::TotpParams& params);
Result<otp::TotpParams> parse_totp_params(std::string_view json);

enum class CodeCheck { accepted, rejected, replayed };

struct TotpSettings {
  otp::TotpWindow window{1, 1};  // steps accepted either side of now
  /// No code farther than this many steps from now is accepted, however far a factor's clock
  /// has drifted (at least the window's sides). 4 steps: two minutes either way.
  unsigned max_drift_steps = 4;

  /// The window for a factor whose last accepted code was `drift` steps from now: the
  /// window around now, and the same window around the drift, within max_drift_steps.
  otp::TotpWindow window_for(std::int64_t drift) const noexcept;
};

/// Removes spaces and hyphens people type inside codes ("123 456").
std::string normalize_code(std::string_view code);

/// Checks `code` against `factors` (only TOTP ones whose status matches `status`). On a match
/// the step is recorded with the replay guard: a step already used, or older than the last
/// one used, is `replayed`. Returns the factor id that accepted the code through `accepted_by`.
Result<CodeCheck> check_totp_code(storage::FactorStore& store,
                                  const std::vector<storage::Factor>& factors,
                                  storage::FactorStatus status, std::string_view code,
                                  const TotpSettings& settings, const Clock& clock,
                                  std::int64_t* accepted_by = nullptr);

}  // namespace tfa::auth
