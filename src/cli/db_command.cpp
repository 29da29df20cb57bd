// tfa db ...: the schema version and its migrations.
#include <iostream>

#include "cli/command.hpp"
#include "cli/global_options.hpp"
#include "storage/sql/migrator.hpp"

namespace tfa::cli {
namespace {

int print_status(app::Services& services) {
  auto status = storage::sql::schema_status(*services.database);
  if (!status) return report(status.error());
  std::cout << "database:       " << services.database->describe() << '\n'
            << "schema version: " << status->current_version << " (this tfa: "
            << status->latest_version << ")\n";
  if (status->pending.empty()) {
    std::cout << "pending:        none\n";
  } else {
    for (const auto& migration : status->pending) {
      std::cout << "pending:        " << migration.version << " " << migration.name << '\n';
    }
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> add_db_commands(CLI::App& app, Globals globals) {
  CLI::App* db = app.add_subcommand("db", "Database schema");
  db->require_subcommand(1);
  CLI::App* migrate = db->add_subcommand("migrate", "Apply pending schema migrations");
  CLI::App* status = db->add_subcommand("status", "Show the schema version and pending migrations");
  return {
      {migrate,
       [globals] {
         auto services = globals->open({.migrate = false});
         if (!services) return report(services.error());
         auto applied = storage::sql::migrate(*(*services)->database, (*services)->clock.now());
         if (!applied) return report(applied.error());
         std::cout << "applied " << *applied << " migration" << (*applied == 1 ? "" : "s") << '\n';
         return print_status(**services);
       }},
      {status,
       [globals] {
         auto services = globals->open({.migrate = false});
         if (!services) return report(services.error());
         return print_status(**services);
       }},
  };
}

}  // namespace tfa::cli
