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

struct KeyCheck {
  std::string_view key;
  Check check;
};

// Checks beyond an integer's bounds (those are in the table in fields.cpp).
constexpr KeyCheck kChecks[] = {
    {"data_dir", check_data_dir},
    {"database", check_database},
    {"issuer", check_issuer},
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
