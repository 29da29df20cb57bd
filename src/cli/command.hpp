#pragma once
// A subcommand: its CLI11 parser, and what to run when the user chose it.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace tfa::cli {

/// Exit statuses: 0 success, 1 a failure of the environment (a file that cannot be written),
/// 2 bad arguments or bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  CLI::App* parser;
  std::function<int()> run;
};

/// Prints "tfa: MESSAGE" as one line on stderr and returns kExitUsage.
int usage_error(const std::string& message);

struct GlobalOptions;
using Globals = std::shared_ptr<const GlobalOptions>;

Command add_code_command(CLI::App& app);
Command add_uri_command(CLI::App& app);
Command add_qr_command(CLI::App& app);
/// `tfa user add|list|show|passwd|disable|enable|delete|reset-2fa`
std::vector<Command> add_user_commands(CLI::App& app, Globals globals);
/// `tfa db migrate|status`
std::vector<Command> add_db_commands(CLI::App& app, Globals globals);
/// `tfa key rotate`
std::vector<Command> add_key_commands(CLI::App& app, Globals globals);
/// `tfa mail test ADDRESS`
std::vector<Command> add_mail_commands(CLI::App& app, Globals globals);
/// `tfa audit [--user NAME] [--since TIME] [--limit N] [--json]`
std::vector<Command> add_audit_commands(CLI::App& app, Globals globals);
/// `tfa yubikey import|list|remove`, `tfa yubikey client add|list|revoke`
std::vector<Command> add_yubikey_commands(CLI::App& app, Globals globals);
/// `tfa serve [--listen ADDRESS:PORT]`
Command add_serve_command(CLI::App& app, Globals globals);

}  // namespace tfa::cli
