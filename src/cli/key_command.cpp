// tfa key rotate: replace the server key that seals stored secrets.
#include <iostream>

#include "app/server_key.hpp"
#include "cli/command.hpp"
#include "cli/global_options.hpp"

namespace tfa::cli {

std::vector<Command> add_key_commands(CLI::App& app, Globals globals) {
  CLI::App* key = app.add_subcommand("key", "The server key that seals stored secrets");
  key->require_subcommand(1);
  CLI::App* rotate = key->add_subcommand(
      "rotate", "Seal every stored secret under a new server key, in one transaction");
  return {{rotate, [globals] {
             auto services = globals->open();
             if (!services) return report(services.error());
             auto& s = **services;
             auto rotation = app::rotate_server_key(s.config.key_file(), *s.database, s.random);
             if (!rotation) return report(rotation.error());
             std::cout << "re-sealed " << rotation->resealed << " secrets under key "
                       << rotation->new_key_id << " (was " << rotation->old_key_id << "); "
                       << s.config.key_file().string() << " now holds the new key\n";
             return kExitOk;
           }}};
}

}  // namespace tfa::cli
