// tfa uri: print an otpauth:// URI for an account, with a fresh secret unless one is given.
#include <iostream>
#include <optional>

#include "cli/command.hpp"
#include "cli/otp_options.hpp"
#include "core/base32.hpp"
#include "crypto/os_random.hpp"
#include "otp/key_uri.hpp"
#include "otp/secret.hpp"

namespace tfa::cli {
namespace {

struct UriOptions {
  std::string issuer;
  std::string account;
  std::optional<std::string> secret;
  OtpOptions otp;
};

int run_uri(const UriOptions& options) {
  otp::KeyUri key;
  key.issuer = options.issuer;
  key.account = options.account;
  if (auto ok = options.otp.apply_to(key); !ok) return usage_error("uri: " + ok.error().message);
  if (options.secret) {
    auto secret = base32_decode(*options.secret);
    if (!secret) return usage_error("uri: --secret: " + secret.error().message);
    key.secret = std::move(*secret);
  } else {
    crypto::OsRandom random;
    key.secret = otp::generate_secret(key.algorithm, random);
  }
  auto uri = otp::build_key_uri(key);
  if (!uri) return usage_error("uri: " + uri.error().message);
  std::cout << *uri << '\n';
  return kExitOk;
}

}  // namespace

Command add_uri_command(CLI::App& app) {
  auto options = std::make_shared<UriOptions>();
  CLI::App* command = app.add_subcommand(
      "uri", "Print an otpauth:// URI for an authenticator app, with a fresh secret if none is given");
  command->add_option("--issuer", options->issuer, "Who issues the code, e.g. \"Example Cloud\"")
      ->required();
  command->add_option("--account", options->account, "The account, e.g. alice@example.com")
      ->required();
  command->add_option("--secret", options->secret,
                      "The secret in Base32 (default: new random bytes as long as the hash output)");
  options->otp.add_to(*command);
  return {command, [options] { return run_uri(*options); }};
}

}  // namespace tfa::cli
