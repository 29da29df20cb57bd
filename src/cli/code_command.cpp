// tfa code: print the current TOTP code, or an HOTP code for a counter, like oathtool.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>

#include "cli/command.hpp"
#include "cli/otp_options.hpp"
#include "core/base32.hpp"
#include "otp/hotp.hpp"
#include "otp/key_uri.hpp"
#include "otp/totp.hpp"

namespace tfa::cli {
namespace {

struct CodeOptions {
  std::optional<std::string> secret;
  std::optional<std::string> uri;
  OtpOptions otp;
  std::optional<std::string> time;     // parsed by parse_number: CLI11 2.1 wraps
  std::optional<std::string> counter;  // out-of-range and negative values silently
};

// A non-negative whole number no larger than `max`, or an error naming the option.
Result<std::uint64_t> parse_number(const char* option, const std::string& text, std::uint64_t max) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max) {
    return fail(Errc::invalid_argument, std::string(option) + ": '" + text +
                                            "' is not a whole number from 0 to " + std::to_string(max));
  }
  return value;
}

Result<otp::KeyUri> key_from(const CodeOptions& options) {
  otp::KeyUri key;
  if (options.uri) {
    auto parsed = otp::parse_key_uri(*options.uri);
    if (!parsed) return fail(Errc::invalid_argument, "--uri: " + parsed.error().message);
    key = std::move(*parsed);
  } else {
    auto secret = base32_decode(*options.secret);
    if (!secret) return fail(Errc::invalid_argument, "--secret: " + secret.error().message);
    key.secret = std::move(*secret);
  }
  if (auto ok = options.otp.apply_to(key); !ok) return tl::unexpected(ok.error());
  if (options.counter) {
    TFA_TRY(key.counter, parse_number("--counter", *options.counter, UINT64_MAX));
    key.kind = otp::OtpKind::hotp;
  }
  return key;
}

int run_code(const CodeOptions& options) {
  if (!options.secret && !options.uri) return usage_error("code: give --secret or --uri");
  auto key = key_from(options);
  if (!key) return usage_error("code: " + key.error().message);

  if (key->kind == otp::OtpKind::hotp) {
    auto hotp = otp::Hotp::create(key->algorithm, key->digits, key->secret);
    if (!hotp) return usage_error("code: " + hotp.error().message);
    std::cout << hotp->code_text(key->counter) << '\n';
    return kExitOk;
  }
  auto totp = otp::Totp::create({key->algorithm, key->digits, key->period}, key->secret);
  if (!totp) return usage_error("code: " + totp.error().message);
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (options.time) {
    // Up to the year 292277026596 would fit; a TOTP step counter needs no more than 2^62 s.
    auto seconds = parse_number("--time", *options.time, std::uint64_t{1} << 62);
    if (!seconds) return usage_error("code: " + seconds.error().message);
    now = std::chrono::sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(*seconds)));
  }
  std::cout << totp->code_at(now) << '\n';
  return kExitOk;
}

}  // namespace

Command add_code_command(CLI::App& app) {
  auto options = std::make_shared<CodeOptions>();
  CLI::App* command = app.add_subcommand(
      "code", "Print the current one-time code for a secret (an HOTP code with --counter)");
  auto* secret = command->add_option("--secret", options->secret, "The secret, in Base32");
  auto* uri = command->add_option("--uri", options->uri, "An otpauth:// URI holding the secret");
  secret->excludes(uri);
  options->otp.add_to(*command);
  command->add_option("--time", options->time,
                      "The moment, in Unix seconds, instead of now (TOTP)");
  command->add_option("--counter", options->counter, "Compute an HOTP code for this counter");
  return {command, [options] { return run_code(*options); }};
}

}  // namespace tfa::cli
