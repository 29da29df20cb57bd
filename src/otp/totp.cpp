#include "otp/totp.hpp"

#include <algorithm>

namespace tfa::otp {
namespace {

// The value of a well-formed code. Comparing values is equivalent to comparing the
// zero-padded texts, and spares formatting each step's code.
std::uint32_t code_value(std::string_view code) noexcept {
  std::uint32_t value = 0;
  for (char c : code) value = value * 10 + static_cast<std::uint32_t>(c - '0');
  return value;
}

// All ones when a == b, else zero, computed without a branch.
std::uint64_t equal_mask(std::uint32_t a, std::uint32_t b) noexcept {
  const std::uint64_t diff = a ^ b;  // below 2^32, so diff - 1 wraps only when diff == 0
  return 0 - ((diff - 1) >> 63);
}

}  // namespace

bool TotpWindow::covers(std::int64_t offset) const noexcept {
  const std::int64_t bound = std::min(limit, kMaxWindowSteps);
  const std::int64_t back = std::min<std::int64_t>(behind, bound);
  const std::int64_t front = std::min<std::int64_t>(ahead, bound);
  // The window around the drift, moved back inside the limit where it would cross it.
  const std::int64_t centre = std::clamp(drift, -(bound - back), bound - front);
  const bool around_now = offset >= -back && offset <= front;
  const bool around_drift = offset >= centre - back && offset <= centre + front;
  return around_now || around_drift;
}

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
  const std::uint32_t given = code_value(code);

  // Visit offsets 0, -1, +1, -2, +2, ... and keep the first match, the closest to now. The
  // selection is masked rather than branched on, so each step costs the same whether or not
  // it matches; only the window (public, or the stored drift) decides which steps are visited.
  std::uint64_t found = 0, found_step = 0, found_offset = 0;
  auto try_offset = [&](std::int64_t offset) {
    if (!window.covers(offset)) return;
    if (offset < 0 && static_cast<std::uint64_t>(-offset) > current) return;  // before 1970
    const std::uint64_t step = current + static_cast<std::uint64_t>(offset);
    const std::uint64_t first_match = equal_mask(hotp_.code(step), given) & ~found;
    found_step |= step & first_match;
    found_offset |= static_cast<std::uint64_t>(offset) & first_match;
    found |= first_match;
  };
  try_offset(0);
  for (std::int64_t distance = 1; distance <= static_cast<std::int64_t>(kMaxWindowSteps); ++distance) {
    try_offset(-distance);
    try_offset(distance);
  }
  if (!found) return std::nullopt;
  return TotpMatch{found_step, static_cast<std::int64_t>(found_offset)};
}

}  // namespace tfa::otp
