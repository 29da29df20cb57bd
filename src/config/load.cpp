#include "config/load.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <vector>

#include <toml++/toml.h>

#include "config/fields.hpp"
#include "config/validate.hpp"

namespace tfa::config {
namespace {

using detail::Field;
using detail::FieldKind;

/// `text` in double quotes, with quotes, backslashes and control characters escaped, so that
/// a stray space or newline in a value is visible in the message.
std::string in_quotes(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// What kind of TOML value `node` is, without its value: "an integer", "a table".
std::string type_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a value of another type";
  }
}

/// What a TOML value is, for "expected X, got Y": `string "three"`, `integer 3`, `a table`.
std::string describe(const toml::node& node) {
  if (node.is_table()) return "a table";
  if (node.is_array()) return "an array";
  std::ostringstream value;
  node.visit([&value](const auto& v) { value << v; });
  switch (node.type()) {
    case toml::node_type::string: return "string " + in_quotes(*node.value<std::string>());
    case toml::node_type::integer: return "integer " + value.str();
    case toml::node_type::floating_point: return "floating-point " + value.str();
    case toml::node_type::boolean: return "boolean " + value.str();
    case toml::node_type::date: return "date " + value.str();
    case toml::node_type::time: return "time " + value.str();
    case toml::node_type::date_time: return "date-time " + value.str();
    default: return "a value of another type";
  }
}

/// Reads a whole file; on failure, the reason from the operating system.
Result<std::string> read_file(const std::filesystem::path& path) {
  auto failure = [&path] {
    return fail(Errc::invalid_argument,
                "cannot read config file " + path.string() + ": " + std::strerror(errno));
  };
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return failure();
  std::string text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file.get())) > 0) text.append(buf, n);
  if (std::ferror(file.get())) return failure();  // e.g. EISDIR for a directory
  return text;
}

class Loader {
 public:
  explicit Loader(const Environment& env) : env_(env) {}

  void load_file(const std::filesystem::path& path, std::string_view named_by) {
    file_ = path.string();
    auto text = read_file(path);
    if (!text) {
      add({Place::whole_file, 0}, std::string(named_by) + text.error().message);
      return;
    }
    try {
      const toml::table root = toml::parse(*text, file_);
      apply_table(root, "");
    } catch (const toml::parse_error& e) {
      const auto& at = e.source().begin;
      add({Place::whole_file, 0}, file_ + ":" + std::to_string(at.line) + ":" +
                                      std::to_string(at.column) + ": " +
                                      std::string(e.description()));
    }
  }

  void load_environment() {
    std::uint64_t index = 0;
    for (const Field& field : detail::fields()) {
      const std::string name = detail::env_name(field.key);
      if (auto value = env_(name)) apply_env(field, {Place::variable, index}, name, *value);
      ++index;
    }
  }

  Result<Config> finish() {
    for (const Problem& p : find_problems(config_)) {
      auto it = origin_.find(p.key);
      if (it == origin_.end()) {
        add({Place::elsewhere, 0}, p.key + ": " + p.message);
      } else {
        add(it->second.at, it->second.prefix + ": " + p.message);
      }
    }
    if (problems_.empty()) return std::move(config_);
    // File problems in line order, then variables in table order, so that the list reads
    // alongside the file.
    std::ranges::stable_sort(problems_, {}, [](const Entry& e) { return e.at; });
    std::string message;
    for (const Entry& entry : problems_) {
      if (!message.empty()) message += '\n';
      message += entry.text;
    }
    return fail(Errc::invalid_argument, std::move(message));
  }

 private:
  /// Where a problem or a value sits, for ordering the report.
  struct At {
    enum Place { whole_file, file_line, variable, elsewhere } place;
    std::uint64_t position;  // line in the file, or index in the table of settings
    auto operator<=>(const At&) const = default;
  };
  using Place = At::Place;

  struct Entry {
    At at;
    std::string text;
  };

  struct Origin {
    At at;
    std::string prefix;  // "config.toml: issuer" or "TFA_ISSUER"
  };

  void add(At at, std::string text) { problems_.push_back({at, std::move(text)}); }

  static At line_of(const toml::node& node) { return {Place::file_line, node.source().begin.line}; }

  void apply_table(const toml::table& table, const std::string& section) {
    for (const auto& [name, node] : table) {
      const std::string key =
          section.empty() ? std::string(name.str()) : section + "." + std::string(name.str());
      if (const Field* field = detail::find_field(key)) {
        apply_toml(*field, node);
      } else if (detail::is_section(key)) {
        if (const toml::table* sub = node.as_table()) {
          apply_table(*sub, key);
        } else {
          add(line_of(node), file_ + ": " + key + ": expected a table, got " + describe(node));
        }
      } else {
        add(line_of(node), file_ + ": unknown key " + in_quotes(key));
      }
    }
  }

  void apply_toml(const Field& field, const toml::node& node) {
    const At at = line_of(node);
    const std::string where = file_ + ": " + std::string(field.key);
    if (field.kind == FieldKind::boolean) {
      if (const auto* flag = node.as_boolean()) {
        field.set_integer(config_, flag->get() ? 1 : 0);
        origin_.insert_or_assign(std::string(field.key), Origin{at, where});
      } else {
        add(at, where + ": expected true or false, got " + describe(node));
      }
      return;
    }
    if (field.kind == FieldKind::integer) {
      const auto* integer = node.as_integer();
      if (integer == nullptr) {
        add(at, where + ": expected an integer, got " + describe(node));
      } else if (integer->get() < field.min || integer->get() > field.max) {
        add(at, where + ": " + detail::range_message(field, std::to_string(integer->get())));
      } else {
        field.set_integer(config_, integer->get());
        origin_.insert_or_assign(std::string(field.key), Origin{at, where});
      }
      return;
    }
    if (!node.is_string()) {
      add(at, where + ": expected a string, got " +
                  (field.secret ? type_of(node) : describe(node)));
      return;
    }
    field.set_text(config_, *node.value<std::string>());
    origin_.insert_or_assign(std::string(field.key), Origin{at, where});
  }

  void apply_env(const Field& field, At at, const std::string& name, const std::string& value) {
    if (field.kind == FieldKind::boolean) {
      if (value == "true" || value == "1" || value == "yes") {
        field.set_integer(config_, 1);
      } else if (value == "false" || value == "0" || value == "no") {
        field.set_integer(config_, 0);
      } else {
        add(at, name + ": " + in_quotes(value) + " is not true or false");
        return;
      }
      origin_.insert_or_assign(std::string(field.key), Origin{at, name});
      return;
    }
    if (field.kind != FieldKind::integer) {
      field.set_text(config_, value);
      origin_.insert_or_assign(std::string(field.key), Origin{at, name});
      return;
    }
    // Whole string, decimal, optional '-': no spaces, no '+', no "3.0", no "0x10".
    std::int64_t number = 0;
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, number);
    if (ec == std::errc::result_out_of_range && ptr == end) {
      add(at, name + ": " + detail::range_message(field, value));
    } else if (ec != std::errc() || ptr != end) {
      add(at, name + ": " + in_quotes(value) + " is not a whole number");
    } else if (number < field.min || number > field.max) {
      add(at, name + ": " + detail::range_message(field, value));
    } else {
      field.set_integer(config_, number);
      origin_.insert_or_assign(std::string(field.key), Origin{at, name});
    }
  }

  const Environment& env_;
  Config config_;
  std::string file_;  // as the operator named it, to prefix messages about the file
  std::vector<Entry> problems_;
  // key -> where its current value came from, so that a validation problem names the file
  // and key, or the variable, to fix.
  std::map<std::string, Origin, std::less<>> origin_;
};

}  // namespace

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Environment environment_from(std::map<std::string, std::string, std::less<>> variables) {
  return [vars = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Result<Config> load_config(const std::optional<std::filesystem::path>& file,
                           const Environment& env) {
  Loader loader(env);
  if (file && !file->empty()) {
    loader.load_file(*file, "");
  } else if (auto named = env("TFA_CONFIG"); named && !named->empty()) {
    // Say where the name came from: the operator may not know TFA_CONFIG is set.
    loader.load_file(*named, "TFA_CONFIG: ");
  }
  loader.load_environment();
  return loader.finish();
}

}  // namespace tfa::config
