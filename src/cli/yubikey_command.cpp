// tfa yubikey: the keys this server validates itself, and the clients of its validation
// server (/wsapi/2.0/verify).
#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/global_options.hpp"
#include "cli/yubikey_import.hpp"
#include "core/utc_time.hpp"
#include "yubico/validation_protocol.hpp"

namespace tfa::cli {
namespace {

constexpr std::size_t kClientKeySize = 20;  // an HMAC-SHA1 key, as validation servers issue them

struct ImportOptions {
  std::string public_id;
  std::string private_id;
  std::string aes_key;
  std::string csv;
  bool replace = false;
};

int import_keys(app::Services& services, const ImportOptions& options) {
  std::vector<YubiKeySecrets> keys;
  if (!options.csv.empty()) {
    if (!options.public_id.empty()) return usage_error("give either --csv FILE or PUBLIC_ID PRIVATE_ID AES_KEY");
    std::ifstream file(options.csv);
    if (!file) return report({Errc::unavailable, "cannot read " + options.csv});
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = parse_yubikey_csv(text.str());
    if (!parsed) return report({Errc::invalid_argument, options.csv + ": " + parsed.error().message});
    keys = std::move(*parsed);
  } else {
    if (options.aes_key.empty()) return usage_error("give PUBLIC_ID PRIVATE_ID AES_KEY, or --csv FILE");
    auto key = parse_yubikey_secrets(options.public_id, options.private_id, options.aes_key);
    if (!key) return report(key.error());
    keys.push_back(std::move(*key));
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(services.clock.now());
  int imported = 0;
  int known = 0;
  for (const auto& key : keys) {
    auto done = services.yubikey_store->import_key(key.public_id, key.private_id, key.aes_key, now, options.replace);
    if (!done && done.error().code == Errc::conflict) {
      std::cerr << "tfa: " << key.public_id << " is already imported; --replace replaces its secrets\n";
      ++known;
      continue;
    }
    if (!done) return report(done.error());
    ++imported;
  }
  std::cout << "imported " << imported << (imported == 1 ? " YubiKey" : " YubiKeys");
  if (known > 0) std::cout << "; " << known << " already known, left as they were";
  std::cout << "\n";
  return known > 0 ? kExitUsage : kExitOk;
}

}  // namespace

std::vector<Command> add_yubikey_commands(CLI::App& app, Globals globals) {
  CLI::App* yubikey = app.add_subcommand("yubikey", "YubiKeys validated by this server, and its validation clients");
  yubikey->require_subcommand(1);
  std::vector<Command> commands;

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* import = yubikey->add_subcommand(
      "import", "Import a YubiKey's secrets (or a CSV of many) for local validation");
  import->add_option("public_id", import_options->public_id, "Public ID, modhex (e.g. vvcccchnrhbr)");
  import->add_option("private_id", import_options->private_id, "Private ID, 12 hex digits");
  import->add_option("aes_key", import_options->aes_key, "AES key, 32 hex digits");
  import->add_option("--csv", import_options->csv,
                     "A CSV file: the YubiKey Personalization Tool's log, or public ID,private ID,AES key rows");
  import->add_flag("--replace", import_options->replace,
                   "Replace the secrets of keys already imported (a key programmed anew)");
  commands.push_back({import, [globals, import_options] {
                        auto services = globals->open();
                        if (!services) return report(services.error());
                        return import_keys(**services, *import_options);
                      }});

  CLI::App* list = yubikey->add_subcommand("list", "List the imported YubiKeys");
  commands.push_back({list, [globals] {
                        auto services = globals->open();
                        if (!services) return report(services.error());
                        auto keys = (*services)->yubikey_store->list_keys();
                        if (!keys) return report(keys.error());
                        for (const auto& key : *keys) {
                          std::cout << key.public_id << "  imported " << format_utc_minute(key.created_at) << "  "
                                    << (key.last_counter ? "last counter " + std::to_string(*key.last_counter)
                                                         : std::string("never used"))
                                    << "\n";
                        }
                        return kExitOk;
                      }});

  auto remove_id = std::make_shared<std::string>();
  CLI::App* remove = yubikey->add_subcommand("remove", "Forget an imported YubiKey's secrets");
  remove->add_option("public_id", *remove_id, "Public ID, modhex")->required();
  commands.push_back({remove, [globals, remove_id] {
                        auto services = globals->open();
                        if (!services) return report(services.error());
                        // Public IDs are stored in lower case, as import writes them.
                        std::string id = *remove_id;
                        for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                        if (auto removed = (*services)->yubikey_store->remove_key(id); !removed) {
                          return report(removed.error());
                        }
                        std::cout << "removed YubiKey " << *remove_id << "\n";
                        return kExitOk;
                      }});

  CLI::App* client = yubikey->add_subcommand("client", "Clients of this server's /wsapi/2.0/verify");
  client->require_subcommand(1);
  auto client_name = std::make_shared<std::string>();
  CLI::App* add = client->add_subcommand("add", "Create a client: prints its id and API key, once");
  add->add_option("--name", *client_name, "What the client is, for `client list`");
  commands.push_back({add, [globals, client_name] {
                        auto services = globals->open();
                        if (!services) return report(services.error());
                        auto& s = **services;
                        SecretBytes key(kClientKeySize);
                        s.random.fill(key.expose_mutable());
                        auto id = s.yubikey_store->add_client(*client_name, key,
                                                              std::chrono::floor<std::chrono::seconds>(s.clock.now()));
                        if (!id) return report(id.error());
                        std::cout << "client id: " << *id << "\n"
                                  << "api key: " << yubico::base64_encode(key.expose()) << "\n";
                        return kExitOk;
                      }});
  CLI::App* clients = client->add_subcommand("list", "List the clients");
  commands.push_back({clients, [globals] {
                        auto services = globals->open();
                        if (!services) return report(services.error());
                        auto all = (*services)->yubikey_store->list_clients();
                        if (!all) return report(all.error());
                        for (const auto& c : *all) {
                          std::cout << c.id << "  " << (c.name.empty() ? "(no name)" : c.name) << "  created "
                                    << format_utc_minute(c.created_at)
                                    << (c.revoked_at ? "  revoked " + format_utc_minute(*c.revoked_at) : std::string()) << "\n";
                        }
                        return kExitOk;
                      }});
  auto revoke_id = std::make_shared<std::int64_t>(0);
  CLI::App* revoke = client->add_subcommand("revoke", "Revoke a client: its requests get NO_SUCH_CLIENT");
  revoke->add_option("id", *revoke_id, "Client id")->required();
  commands.push_back({revoke, [globals, revoke_id] {
                        auto services = globals->open();
                        if (!services) return report(services.error());
                        auto& s = **services;
                        auto done = s.yubikey_store->revoke_client(
                            *revoke_id, std::chrono::floor<std::chrono::seconds>(s.clock.now()));
                        if (!done) return report(done.error());
                        std::cout << "revoked client " << *revoke_id << "\n";
                        return kExitOk;
                      }});
  return commands;
}

}  // namespace tfa::cli
