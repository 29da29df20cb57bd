// tfa code: print the current TOTP code, or an HOTP code for a counter, like oathtool.
#include <chrono>
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
  std::optional<std::int64_t> time;
  std::optional<std::uint64_t> counter;
};

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
    key.kind = otp::OtpKind::hotp;
    key.counter = *options.counter;
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
  const auto now = options.time ? std::chrono::sys_seconds(std::chrono::seconds(*options.time))
                                : std::chrono::floor<std::chrono::seconds>(
                                      std::chrono::system_clock::now());
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
