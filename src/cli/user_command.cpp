// tfa user ...: the operator's account administration, including the support desk's
// reset-2fa for a user who lost the phone.
#include <iostream>

#include <boost/json.hpp>

#include "cli/command.hpp"
#include "cli/global_options.hpp"
#include "cli/password_prompt.hpp"
#include "auth/account_rules.hpp"

namespace tfa::cli {
namespace {

struct UserOptions {
  std::string name;
  std::string email;
  bool password_stdin = false;
  bool json = false;
};

using Options = std::shared_ptr<UserOptions>;
using Action = std::function<int(app::Services&, const UserOptions&)>;

// Registers `tfa user VERB` running `action` on opened services.
Command verb(CLI::App& user, const Globals& globals, const Options& options, const char* name,
             const char* description, Action action, bool takes_name = true) {
  CLI::App* command = user.add_subcommand(name, description);
  if (takes_name) command->add_option("name", options->name, "The user name")->required();
  return {command, [globals, options, action] {
            auto services = globals->open();
            if (!services) return report(services.error());
            return action(**services, *options);
          }};
}

std::size_t confirmed_factors(app::Services& services, std::int64_t user_id) {
  auto factors = services.factors->factor_list_of(user_id);
  if (!factors) return 0;
  std::size_t count = 0;
  for (const auto& f : *factors) count += f.status == storage::FactorStatus::confirmed;
  return count;
}

int list_users(app::Services& services, const UserOptions& options) {
  auto users = services.accounts->list();
  if (!users) return report(users.error());
  if (options.json) {
    boost::json::array out;
    for (const auto& user : *users) {
      const auto factors = confirmed_factors(services, user.id);
      out.push_back({{"name", user.name},
                     {"email", user.email},
                     {"disabled", user.disabled},
                     {"two_factor", factors > 0},
                     {"factors", factors},
                     {"created_at", format_time(user.created_at)}});
    }
    std::cout << boost::json::serialize(out) << '\n';
    return kExitOk;
  }
  for (const auto& user : *users) {
    std::cout << user.name << '\t' << user.email << '\t' << (user.disabled ? "disabled" : "enabled")
              << '\t' << (confirmed_factors(services, user.id) > 0 ? "2fa on" : "2fa off") << '\n';
  }
  return kExitOk;
}

int show_user(app::Services& services, const UserOptions& options) {
  auto user = services.accounts->find(options.name);
  if (!user) return report(user.error());
  std::cout << "name:     " << user->name << "\nemail:    " << user->email
            << "\nstatus:   " << (user->disabled ? "disabled" : "enabled")
            << "\ncreated:  " << format_time(user->created_at) << '\n';
  auto factors = services.factors->factor_list_of(user->id);
  if (!factors) return report(factors.error());
  std::cout << "2fa:      " << (confirmed_factors(services, user->id) > 0 ? "on" : "off") << '\n';
  for (const auto& factor : *factors) {
    std::cout << "factor:   " << storage::to_string(factor.kind) << " \"" << factor.label << "\" "
              << storage::to_string(factor.status) << ", added " << format_time(factor.created_at);
    if (factor.last_used_at) std::cout << ", last used " << format_time(*factor.last_used_at);
    std::cout << '\n';
  }
  auto events = services.audit->list({user->id, std::nullopt, 10});
  if (!events) return report(events.error());
  for (const auto& event : *events) {
    std::cout << "event:    " << format_time(event.at) << ' ' << event.event << ' ' << event.outcome
              << (event.detail.empty() ? "" : " (" + event.detail + ")") << '\n';
  }
  return kExitOk;
}

int add_user(app::Services& services, const UserOptions& options) {
  // Check what can be checked before anyone types a password twice.
  if (auto ok = auth::check_user_name(options.name); !ok) return report(ok.error());
  if (auto ok = auth::check_email(options.email); !ok) return report(ok.error());
  if (auto taken = services.accounts->find(options.name)) {
    return report({Errc::conflict, "a user named '" + taken->name + "' already exists"});
  }
  auto password = read_new_password(options.password_stdin);
  if (!password) return report(password.error());
  auto user = services.accounts->create_user(options.name, options.email, *password,
                                             auth::Actor::command_line());
  if (!user) return report(user.error());
  std::cout << "created user " << user->name << '\n';
  return kExitOk;
}

int change_password(app::Services& services, const UserOptions& options) {
  // Check the name first, so nobody types a password for a user that does not exist.
  auto user = services.accounts->find(options.name);
  if (!user) return report(user.error());
  auto password = read_new_password(options.password_stdin);
  if (!password) return report(password.error());
  // Like "Change password" on the console: whoever knew the old password is signed out.
  auto changed = services.password_changer->set_by_administrator(*user, *password, auth::Actor::command_line());
  if (!changed) return report(changed.error());
  if (changed->outcome == auth::PasswordChange::rejected) {
    return report(Error{Errc::invalid_argument, changed->problem});
  }
  std::cout << "password of " << options.name << " changed; " << changed->sessions_ended << " sessions and "
            << changed->tokens_revoked << " API tokens ended\n";
  return kExitOk;
}

Action set_disabled(bool disabled) {
  return [disabled](app::Services& services, const UserOptions& options) {
    auto done = services.accounts->set_disabled(options.name, disabled, auth::Actor::command_line());
    if (!done) return report(done.error());
    std::cout << options.name << (disabled ? " disabled\n" : " enabled\n");
    return kExitOk;
  };
}

int delete_user(app::Services& services, const UserOptions& options) {
  auto done = services.accounts->remove(options.name, auth::Actor::command_line());
  if (!done) return report(done.error());
  std::cout << "deleted user " << options.name << '\n';
  return kExitOk;
}

int reset_two_factor(app::Services& services, const UserOptions& options) {
  auto reset = services.accounts->reset_second_factors(options.name, auth::Actor::command_line());
  if (!reset) return report(reset.error());
  std::cout << "two-factor authentication of " << options.name << " reset: removed "
            << reset->factors << " factors, " << reset->backup_codes << " backup codes, "
            << reset->trusted_devices << " trusted devices\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> add_user_commands(CLI::App& app, Globals globals) {
  auto options = std::make_shared<UserOptions>();
  CLI::App* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);

  std::vector<Command> commands;
  commands.push_back(verb(*user, globals, options, "add", "Create a user (asks for the password)", add_user));
  commands.back().parser->add_option("--email", options->email, "The user's e-mail address")->required();
  commands.back().parser->add_flag("--password-stdin", options->password_stdin,
                                   "Read the password from standard input instead of the terminal");
  commands.push_back(verb(*user, globals, options, "list", "List users", list_users, false));
  commands.back().parser->add_flag("--json", options->json, "Print JSON");
  commands.push_back(verb(*user, globals, options, "show", "Show a user, its factors and recent events", show_user));
  commands.push_back(verb(*user, globals, options, "passwd", "Set a user's password", change_password));
  commands.back().parser->add_flag("--password-stdin", options->password_stdin,
                                   "Read the password from standard input instead of the terminal");
  commands.push_back(verb(*user, globals, options, "disable", "Stop a user from signing in", set_disabled(true)));
  commands.push_back(verb(*user, globals, options, "enable", "Let a disabled user sign in again", set_disabled(false)));
  commands.push_back(verb(*user, globals, options, "delete", "Delete a user and everything it owns", delete_user));
  commands.push_back(verb(*user, globals, options, "reset-2fa",
                          "Remove every second factor, backup code and trusted device of a user "
                          "(for a lost phone)",
                          reset_two_factor));
  return commands;
}

}  // namespace tfa::cli
