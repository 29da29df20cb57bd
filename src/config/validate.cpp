#include "config/validate.hpp"

#include <optional>
#include <string_view>

#include "config/fields.hpp"

namespace tfa::config {
namespace {

using Check = std::optional<std::string> (*)(const Config&);

std::optional<std::string> check_data_dir(const Config& c) {
  if (c.data_dir.empty()) return "must not be empty (use \".\" for the working directory)";
  return std::nullopt;
}

// The URL is not echoed: a PostgreSQL URL may carry a password, and these messages end up
// on terminals and in logs. Naming the scheme is enough to spot the mistake.
std::optional<std::string> check_database(const Config& c) {
  const std::string_view url = c.database;
  constexpr std::string_view kExpected =
      "expected \"\" (SQLite in data_dir), sqlite:PATH, postgresql://... or postgres://...";
  if (url.empty() || url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return std::nullopt;
  }
  if (url.starts_with("sqlite:")) {
    if (url.size() == std::string_view("sqlite:").size()) {
      return "sqlite: needs a file path, as in sqlite:/var/lib/tfa/tfa.db";
    }
    return std::nullopt;
  }
  const auto colon = url.find(':');
  if (colon == std::string_view::npos) return "has no scheme; " + std::string(kExpected);
  return "unsupported scheme \"" + std::string(url.substr(0, colon)) + "\"; " +
         std::string(kExpected);
}

// The Key URI format separates issuer and account with ':' in the label, so an issuer that
// contains one would be split wrongly by authenticator apps.
std::optional<std::string> check_issuer(const Config& c) {
  if (c.issuer.empty()) return "must not be empty (authenticator apps show it)";
  if (c.issuer.find(':') != std::string::npos) {
    return "\"" + c.issuer + "\" must not contain ':' (the Key URI format uses it to separate "
           "issuer and account)";
  }
  return std::nullopt;
}

std::optional<std::string> check_listen(const Config& c) {
  auto parsed = parse_listen_address(c.server.listen);
  if (!parsed) return parsed.error().message;
  return std::nullopt;
}

std::optional<std::string> check_trusted_proxy(const Config& c) {
  const std::string& proxy = c.server.trusted_proxy;
  if (proxy.empty()) return std::nullopt;
  // The same parser as listen, so both accept the same spellings of an address.
  const bool v6 = proxy.find(':') != std::string::npos;
  if (parse_listen_address(v6 ? "[" + proxy + "]:0" : proxy + ":0")) return std::nullopt;
  return "\"" + proxy + "\" is not an IP address (\"\" trusts no proxy)";
}

// Only the shape is checked: the URL is put into links in mails, so it must be absolute.
std::optional<std::string> check_public_url(const Config& c) {
  const std::string_view url = c.server.public_url;
  if (url.empty()) return std::nullopt;
  std::string_view rest;
  if (url.starts_with("https://")) rest = url.substr(8);
  else if (url.starts_with("http://")) rest = url.substr(7);
  else return "must start with https:// or http://";
  if (rest.empty() || rest.front() == '/') return "has no host";
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch >= 0x7f) return "must not contain spaces, control or non-ASCII characters";
  }
  return std::nullopt;
}

// From is a header: a line break in it would let the value add headers of its own.
std::optional<std::string> check_mail_from(const Config& c) {
  const std::string_view from = c.mail.from;
  for (unsigned char ch : from) {
    if (ch < 0x20 || ch == 0x7f) return "must not contain line breaks or control characters";
  }
  // "Name <local@domain>" or a bare "local@domain".
  std::string_view address = from;
  if (const auto open = from.rfind('<'); open != std::string_view::npos) {
    const auto close = from.find('>', open);
    if (close == std::string_view::npos) return "has '<' but no closing '>'";
    address = from.substr(open + 1, close - open - 1);
  }
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
      address.find(' ') != std::string_view::npos) {
    return "\"" + std::string(from) + "\" needs an address, as in \"tfa <tfa@example.com>\"";
  }
  return std::nullopt;
}

// Not echoed, like the database URL: smtp://user:password@host is a valid form.
std::optional<std::string> check_smtp_url(const Config& c) {
  const std::string_view url = c.mail.smtp_url;
  if (url.empty()) return std::nullopt;
  std::string_view rest;
  if (url.starts_with("smtp://")) rest = url.substr(7);
  else if (url.starts_with("smtps://")) rest = url.substr(8);
  else return "must start with smtp:// or smtps:// (\"\" writes mail to <data_dir>/outbox)";
  if (rest.empty() || rest.front() == '/' || rest.front() == ':') return "has no host";
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch >= 0x7f) return "must not contain spaces, control or non-ASCII characters";
  }
  return std::nullopt;
}

std::optional<std::string> check_yubikey_mode(const Config& c) {
  if (c.yubikey.mode == "local" || c.yubikey.mode == "remote") return std::nullopt;
  return "\"" + c.yubikey.mode + "\" is not a mode; expected \"local\" or \"remote\"";
}

std::optional<std::string> check_yubikey_remote_url(const Config& c) {
  const std::string_view url = c.yubikey.remote_url;
  if (url.empty()) {
    if (c.yubikey.mode == "remote") return "must be set when yubikey.mode is \"remote\"";
    return std::nullopt;
  }
  if (!url.starts_with("https://") && !url.starts_with("http://")) return "must start with https:// or http://";
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch >= 0x7f) return "must not contain spaces, control or non-ASCII characters";
  }
  return std::nullopt;
}

std::optional<std::string> check_yubikey_client_id(const Config& c) {
  const std::string& id = c.yubikey.remote_client_id;
  if (id.empty()) {
    if (c.yubikey.mode == "remote") return "must be set when yubikey.mode is \"remote\"";
    return std::nullopt;
  }
  for (char ch : id) {
    if (ch < '0' || ch > '9') return "must be a number, as the validation server gave it";
  }
  return std::nullopt;
}

// Not echoed: it is a secret. Answers are checked with it, so remote mode needs it.
std::optional<std::string> check_yubikey_api_key(const Config& c) {
  const std::string& key = c.yubikey.remote_api_key;
  if (key.empty()) {
    if (c.yubikey.mode == "remote") return "must be set when yubikey.mode is \"remote\" (answers are checked with it)";
    return std::nullopt;
  }
  if (key.size() % 4 != 0) return "must be base64, as the validation server gave it";
  for (char ch : key) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                    ch == '+' || ch == '/' || ch == '=';
    if (!ok) return "must be base64, as the validation server gave it";
  }
  return std::nullopt;
}

struct KeyCheck {
  std::string_view key;
  Check check;
};

// Checks beyond an integer's bounds (those are in the table in fields.cpp).
constexpr KeyCheck kChecks[] = {
    {"data_dir", check_data_dir},
    {"database", check_database},
    {"issuer", check_issuer},
    {"server.listen", check_listen},
    {"server.trusted_proxy", check_trusted_proxy},
    {"server.public_url", check_public_url},
    {"mail.from", check_mail_from},
    {"mail.smtp_url", check_smtp_url},
    {"yubikey.mode", check_yubikey_mode},
    {"yubikey.remote_url", check_yubikey_remote_url},
    {"yubikey.remote_client_id", check_yubikey_client_id},
    {"yubikey.remote_api_key", check_yubikey_api_key},
};

}  // namespace

std::vector<Problem> find_problems(const Config& config) {
  std::vector<Problem> problems;
  for (const detail::Field& field : detail::fields()) {
    if (field.kind == detail::FieldKind::integer) {
      const std::int64_t value = field.get_integer(config);
      if (value < field.min || value > field.max) {
        problems.push_back({std::string(field.key),
                            detail::range_message(field, std::to_string(value))});
      }
    }
    for (const KeyCheck& check : kChecks) {
      if (check.key != field.key) continue;
      if (auto message = check.check(config)) {
        problems.push_back({std::string(field.key), std::move(*message)});
      }
    }
  }
  return problems;
}

Result<void> validate(const Config& config) {
  const auto problems = find_problems(config);
  if (problems.empty()) return {};
  std::string message;
  for (const Problem& p : problems) {
    if (!message.empty()) message += '\n';
    message += p.key + ": " + p.message;
  }
  return fail(Errc::invalid_argument, std::move(message));
}

}  // namespace tfa::config
