// tfa qr: draw the QR code of an otpauth:// URI in the terminal, or write it as SVG.
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/command.hpp"
#include "otp/key_uri.hpp"
#include "qr/qr_code.hpp"

namespace tfa::cli {
namespace {

struct QrOptions {
  std::string uri;
  std::optional<std::string> svg_path;
};

int run_qr(const QrOptions& options) {
  // Refuse a URI that an app would reject, before the user scans it.
  if (auto key = otp::parse_key_uri(options.uri); !key) {
    return usage_error("qr: " + key.error().message);
  }
  auto code = qr::QrCode::encode(options.uri);
  if (!code) return usage_error("qr: " + code.error().message);
  if (!options.svg_path) {
    std::cout << code->to_terminal_text();
    return kExitOk;
  }
  std::ofstream out(*options.svg_path, std::ios::binary | std::ios::trunc);
  out << code->to_svg();
  out.close();
  if (!out) {
    std::cerr << "tfa: qr: cannot write " << *options.svg_path << '\n';
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

Command add_qr_command(CLI::App& app) {
  auto options = std::make_shared<QrOptions>();
  CLI::App* command = app.add_subcommand("qr", "Draw the QR code of an otpauth:// URI");
  command->add_option("uri", options->uri, "The otpauth:// URI")->required();
  command->add_option("--svg", options->svg_path, "Write the QR code as SVG to this file");
  return {command, [options] { return run_qr(*options); }};
}

}  // namespace tfa::cli
