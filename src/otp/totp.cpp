#include "otp/totp.hpp"

#include <algorithm>

namespace tfa::otp {

Result<Totp> Totp::create(const TotpParams& params, const SecretBytes& key) {
  if (params.period < kMinPeriod || params.period > kMaxPeriod) {
    return fail(Errc::invalid_argument, "period must be between 15 and 300 seconds, not " +
                                            std::to_string(params.period.count()));
  }
  auto hotp = Hotp::create(params.algorithm, params.digits, key);
  if (!hotp) return tl::unexpected(hotp.error());
  return Totp(std::move(*hotp), params);
}

std::uint64_t Totp::step_at(std::chrono::sys_seconds now) const noexcept {
  const auto since_epoch = now.time_since_epoch().count();
  if (since_epoch < 0) return 0;
  return static_cast<std::uint64_t>(since_epoch) /
         static_cast<std::uint64_t>(params_.period.count());
}

std::optional<TotpMatch> Totp::verify(std::string_view code, std::chrono::sys_seconds now,
                                      TotpWindow window) const noexcept {
  if (!is_well_formed_code(code, params_.digits)) return std::nullopt;
  const std::uint64_t current = step_at(now);
  const std::int64_t behind = std::min(window.behind, kMaxWindowSteps);
  const std::int64_t ahead = std::min(window.ahead, kMaxWindowSteps);

  // Visit offsets 0, -1, +1, -2, +2, ... so the first match kept is the closest to now.
  std::optional<TotpMatch> found;
  auto try_offset = [&](std::int64_t offset) {
    if (offset < 0 && static_cast<std::uint64_t>(-offset) > current) return;  // before 1970
    const std::uint64_t step = current + static_cast<std::uint64_t>(offset);
    const bool match = hotp_.matches(code, step);
    if (match && !found) found = TotpMatch{step, offset};
  };
  try_offset(0);
  for (std::int64_t distance = 1; distance <= std::max(behind, ahead); ++distance) {
    if (distance <= behind) try_offset(-distance);
    if (distance <= ahead) try_offset(distance);
  }
  return found;
}

}  // namespace tfa::otp
