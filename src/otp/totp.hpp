#pragma once
// TOTP (RFC 6238): HOTP with the counter taken from the time.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "otp/hotp.hpp"

namespace tfa::otp {

inline constexpr std::chrono::seconds kMinPeriod{15};
inline constexpr std::chrono::seconds kMaxPeriod{300};
/// Upper bound on each side of a verification window. A wider window would let one guess
/// match many codes; callers configure less (typically 1).
inline constexpr unsigned kMaxWindowSteps = 10;

struct TotpParams {
  crypto::HashAlgorithm algorithm = crypto::HashAlgorithm::sha1;
  int digits = 6;
  std::chrono::seconds period{30};  // RFC 6238 §4.1 X
};

/// How many steps before and after the current one a code may come from, to allow for a phone
/// clock that is a little off and for the time it takes to type the code.
///
/// With a `drift` (the offset of the phone's last accepted code, RFC 6238 §6), the same window
/// is also laid around that offset, so a phone whose clock slowly runs off is followed, step by
/// step; the window around now stays, so a phone whose clock was put right, or one that wavers
/// by a step, still gets in. `limit` bounds both: the drifted window is moved back inside it
/// rather than cut, and no code farther than `limit` steps from now is ever accepted, whatever
/// the drift. So a guess matches at most 2 × (behind + ahead + 1) steps.
struct TotpWindow {
  unsigned behind = 1;
  unsigned ahead = 1;
  std::int64_t drift = 0;
  unsigned limit = kMaxWindowSteps;  // itself clamped to kMaxWindowSteps

  /// Whether a code `offset` steps from now lies in the window.
  bool covers(std::int64_t offset) const noexcept;
};

/// Which step a code matched: its counter value, and its distance from the current step
/// (negative: the phone's clock is behind). The step is what a replay guard records.
struct TotpMatch {
  std::uint64_t step;
  std::int64_t offset;

  friend bool operator==(const TotpMatch&, const TotpMatch&) = default;
};

class Totp {
 public:
  /// Fails for digits outside 6..8, a period outside 15..300 s, or an empty key.
  static Result<Totp> create(const TotpParams& params, const SecretBytes& key);

  /// The time step containing `now` (RFC 6238 §4.2, T0 = 0). Times before 1970 map to step 0.
  std::uint64_t step_at(std::chrono::sys_seconds now) const noexcept;

  std::string code_at(std::chrono::sys_seconds now) const { return hotp_.code_text(step_at(now)); }
  std::string code_at_step(std::uint64_t step) const { return hotp_.code_text(step); }

  /// Checks `code` against every step `window` covers around the step of `now` and reports
  /// the matching step closest to the current one, earlier steps first on a tie. Each comparison is constant time and every step in the window is
  /// computed whatever matches, so timing reveals neither whether nor where the code matched.
  /// A code that is not exactly `digits` ASCII digits never matches.
  std::optional<TotpMatch> verify(std::string_view code, std::chrono::sys_seconds now,
                                  TotpWindow window = {}) const noexcept;

  const TotpParams& params() const noexcept { return params_; }

 private:
  Totp(Hotp hotp, const TotpParams& params) noexcept : hotp_(std::move(hotp)), params_(params) {}

  Hotp hotp_;
  TotpParams params_;
};

}  // namespace tfa::otp
