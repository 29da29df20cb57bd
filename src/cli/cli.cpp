#include "cli/cli.hpp"

#include <exception>
#include <iostream>
#include <vector>

#include "cli/command.hpp"
#include "cli/global_options.hpp"

namespace tfa::cli {

int usage_error(const std::string& message) {
  std::cerr << "tfa: " << message << '\n';
  return kExitUsage;
}

int run(int argc, const char* const* argv) {
  CLI::App app{"tfa: two-factor authentication server and OTP tools", "tfa"};
  app.set_version_flag("--version", std::string("tfa ") + TFA_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'tfa COMMAND --help' for the options of a command.");
  // Global options may also follow the subcommand: `tfa user list --data-dir /srv/tfa`.
  app.fallthrough();
  auto globals = std::make_shared<GlobalOptions>();
  globals->add_to(app);

  std::vector<Command> commands = {add_code_command(app), add_uri_command(app),
                                   add_qr_command(app)};
  for (auto* add :
       {add_user_commands, add_db_commands, add_key_commands, add_mail_commands, add_audit_commands,
        add_yubikey_commands}) {
    auto group = add(app, globals);
    commands.insert(commands.end(), group.begin(), group.end());
  }
  commands.push_back(add_serve_command(app, globals));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }

  try {
    for (const auto& command : commands) {
      if (command.parser->parsed()) return command.run();
    }
  } catch (const std::exception& e) {
    std::cerr << "tfa: " << e.what() << '\n';
    return kExitFailure;
  }
  return usage_error("no command given");
}

}  // namespace tfa::cli
