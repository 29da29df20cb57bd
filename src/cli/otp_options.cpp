#include "cli/otp_options.hpp"

namespace tfa::cli {

void OtpOptions::add_to(CLI::App& command) {
  command.add_option("--algorithm", algorithm, "HMAC hash: SHA1 (default), SHA256 or SHA512");
  command.add_option("--digits", digits, "Code length, 6 (default) to 8");
  command.add_option("--period", period, "TOTP time step in seconds, 15 to 300 (default 30)");
}

Result<void> OtpOptions::apply_to(otp::KeyUri& key) const {
  if (algorithm) {
    auto parsed = crypto::parse_hash_algorithm(*algorithm);
    if (!parsed) return fail(Errc::invalid_argument, "--algorithm: " + parsed.error().message);
    key.algorithm = *parsed;
  }
  if (digits) key.digits = *digits;
  if (period) key.period = std::chrono::seconds(*period);
  return {};
}

}  // namespace tfa::cli
