// tfa mail test ADDRESS: send one message through the configured transport, at once and
// without the queue, so that SMTP settings can be checked before the server depends on them.
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "cli/global_options.hpp"
#include "notify/transport.hpp"

namespace tfa::cli {
namespace {

notify::Message test_message(const std::string& address) {
  const std::string text =
      "This is a test message from tfa, sent with 'tfa mail test'.\n"
      "If it arrived, the [mail] settings work.\n";
  const std::string html =
      "<p>This is a test message from tfa, sent with <code>tfa mail test</code>.</p>\n"
      "<p>If it arrived, the <code>[mail]</code> settings work.</p>\n";
  return {.to = address, .subject = "tfa test message", .text = text, .html = html};
}

int send_test(const GlobalOptions& globals, const std::string& address) {
  if (address.find('@') == std::string::npos) {
    return usage_error("'" + address.substr(0, 100) + "' is not an e-mail address");
  }
  if (auto checked = notify::check_message(test_message(address)); !checked) {
    return usage_error(checked.error().message);
  }
  auto config = globals.load();
  if (!config) return report(config.error());
  const auto settings = app::mail_transport_settings(*config);
  auto transport = notify::make_transport(settings);
  if (!transport) return report(transport.error());
  if (auto sent = (*transport)->send(test_message(address)); !sent) {
    std::cerr << "tfa: " << sent.error().message << '\n';
    return kExitFailure;
  }
  std::cout << "sent test message to " << address << '\n';
  if (settings.smtp.url.empty()) {
    std::cout << "mail.smtp_url is not set, so it was written to " << settings.outbox.string()
              << '\n';
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> add_mail_commands(CLI::App& app, Globals globals) {
  CLI::App* mail = app.add_subcommand("mail", "Outgoing mail");
  mail->require_subcommand(1);
  CLI::App* test = mail->add_subcommand(
      "test", "Send a test message through the configured SMTP server (or the outbox)");
  auto address = std::make_shared<std::string>();
  test->add_option("ADDRESS", *address, "Recipient")->required();
  return {{test, [globals, address] { return send_test(*globals, *address); }}};
}

}  // namespace tfa::cli
