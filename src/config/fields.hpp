#pragma once
// The table of settings: one row per key, naming its TOML path, its kind and where it lives in
// Config. The loader walks it to read the file and the environment, the validator to check
// integer ranges, so a key is declared once. Internal to tfa_config.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace tfa::config::detail {

enum class FieldKind { text, path, integer, boolean };

struct Field {
  std::string_view key;  // TOML path: "issuer", "password.argon2_ops"
  FieldKind kind;
  std::int64_t min = 0;  // integers only: inclusive bounds, checked wherever the value comes from
  std::int64_t max = 0;
  void (*set_text)(Config&, std::string_view) = nullptr;  // text and path
  void (*set_integer)(Config&, std::int64_t) = nullptr;   // called only with min <= value <= max;
                                                          // booleans: 0 or 1
  std::int64_t (*get_integer)(const Config&) = nullptr;   // saturates at INT64_MAX
  bool secret = false;  // a password: messages name the key, never the value
};

/// Every setting, in the order of docs/configuration.md.
std::span<const Field> fields();

/// The row for `key`, or nullptr.
const Field* find_field(std::string_view key);

/// True when `key` names a table that holds settings ("password").
bool is_section(std::string_view key);

/// "password.argon2_ops" -> "TFA_PASSWORD_ARGON2_OPS".
std::string env_name(std::string_view key);

/// "must be from A to B, got V": the one wording for an integer out of range.
std::string range_message(const Field& field, std::string_view value);

}  // namespace tfa::config::detail
