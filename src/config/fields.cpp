#include "config/fields.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>

namespace tfa::config::detail {
namespace {

/// The member reached from a Config by a chain of member pointers:
/// at<&Config::password, &PasswordConfig::min_length>(c) is c.password.min_length.
template <auto... member>
constexpr auto& at(auto& config) {
  return (config.*....*member);
}

template <auto... member>
constexpr Field text(std::string_view key) {
  return {.key = key,
          .kind = FieldKind::text,
          .set_text = [](Config& c, std::string_view v) { at<member...>(c) = std::string(v); }};
}

template <auto... member>
constexpr Field secret_text(std::string_view key) {
  Field field = text<member...>(key);
  field.secret = true;
  return field;
}

template <auto... member>
constexpr Field path(std::string_view key) {
  return {.key = key,
          .kind = FieldKind::path,
          .set_text = [](Config& c, std::string_view v) {
            at<member...>(c) = std::filesystem::path(v);
          }};
}

template <auto... member>
constexpr Field integer(std::string_view key, std::int64_t min, std::int64_t max) {
  using T = std::remove_cvref_t<decltype(at<member...>(std::declval<Config&>()))>;
  static_assert(std::is_integral_v<T>);
  return {.key = key,
          .kind = FieldKind::integer,
          .min = min,
          .max = max,
          .set_integer = [](Config& c, std::int64_t v) { at<member...>(c) = static_cast<T>(v); },
          .get_integer = [](const Config& c) -> std::int64_t {
            const T v = at<member...>(c);
            if (std::cmp_greater(v, std::numeric_limits<std::int64_t>::max())) {
              return std::numeric_limits<std::int64_t>::max();
            }
            return static_cast<std::int64_t>(v);
          }};
}

template <auto... member>
constexpr Field boolean(std::string_view key) {
  return {.key = key,
          .kind = FieldKind::boolean,
          .min = 0,
          .max = 1,
          .set_integer = [](Config& c, std::int64_t v) { at<member...>(c) = v != 0; }};
}

// Bounds: a pool of 1..64 connections; Argon2id opslimit from libsodium's minimum (1) to a
// cost no login should wait for (100); memlimit from libsodium's minimum (8192 bytes) to
// 4 GiB; a minimum password length from 1 to 1024 characters. Server: 1 to 64 threads of
// each kind; a body of 1 KiB to 16 MiB (forms are small; a large limit only helps a flood);
// headers of 1 to 256 KiB; timeouts of 1 s to an hour, and a shutdown grace of 0 s to an hour.
// Mail: 1 to 20 attempts, the first retry after 1 s to an hour (doubling from 2 s, 20 attempts
// already span days).
constexpr Field kFields[] = {
    path<&Config::data_dir>("data_dir"),
    text<&Config::database>("database"),
    integer<&Config::database_pool_size>("database_pool_size", 1, 64),
    path<&Config::server_key_file>("server_key_file"),
    text<&Config::issuer>("issuer"),
    boolean<&Config::signup>("signup"),
    integer<&Config::signup_per_address>("signup_per_address", 1, 1000000),
    integer<&Config::password, &PasswordConfig::argon2_ops>("password.argon2_ops", 1, 100),
    integer<&Config::password, &PasswordConfig::argon2_memory_kib>("password.argon2_memory_kib",
                                                                   8, 4194304),
    integer<&Config::password, &PasswordConfig::min_length>("password.min_length", 1, 1024),
    text<&Config::server, &ServerConfig::listen>("server.listen"),
    integer<&Config::server, &ServerConfig::threads>("server.threads", 1, 64),
    integer<&Config::server, &ServerConfig::hash_workers>("server.hash_workers", 1, 64),
    integer<&Config::server, &ServerConfig::worker_threads>("server.worker_threads", 1, 256),
    integer<&Config::server, &ServerConfig::body_limit_kib>("server.body_limit_kib", 1, 16384),
    integer<&Config::server, &ServerConfig::header_limit_kib>("server.header_limit_kib", 1, 256),
    integer<&Config::server, &ServerConfig::read_timeout_seconds>("server.read_timeout_seconds",
                                                                  1, 3600),
    integer<&Config::server, &ServerConfig::idle_timeout_seconds>("server.idle_timeout_seconds",
                                                                  1, 3600),
    integer<&Config::server, &ServerConfig::shutdown_grace_seconds>(
        "server.shutdown_grace_seconds", 0, 3600),
    text<&Config::server, &ServerConfig::trusted_proxy>("server.trusted_proxy"),
    text<&Config::server, &ServerConfig::public_url>("server.public_url"),
    boolean<&Config::login, &LoginConfig::code_in_password>("login.code_in_password"),
    integer<&Config::login, &LoginConfig::trusted_device_days>("login.trusted_device_days", 1, 365),
    integer<&Config::login, &LoginConfig::totp_window_steps>("login.totp_window_steps", 0, 10),
    integer<&Config::login, &LoginConfig::totp_max_drift_steps>("login.totp_max_drift_steps", 0, 10),
    integer<&Config::login, &LoginConfig::totp_digits>("login.totp_digits", 6, 8),
    text<&Config::mail, &MailConfig::from>("mail.from"),
    text<&Config::mail, &MailConfig::smtp_url>("mail.smtp_url"),
    text<&Config::mail, &MailConfig::smtp_username>("mail.smtp_username"),
    secret_text<&Config::mail, &MailConfig::smtp_password>("mail.smtp_password"),
    boolean<&Config::mail, &MailConfig::smtp_starttls>("mail.smtp_starttls"),
    text<&Config::mail, &MailConfig::smtp_ca_file>("mail.smtp_ca_file"),
    integer<&Config::mail, &MailConfig::retry_attempts>("mail.retry_attempts", 1, 20),
    integer<&Config::mail, &MailConfig::retry_first_delay_seconds>(
        "mail.retry_first_delay_seconds", 1, 3600),
    text<&Config::yubikey, &YubikeyConfig::mode>("yubikey.mode"),
    text<&Config::yubikey, &YubikeyConfig::remote_url>("yubikey.remote_url"),
    text<&Config::yubikey, &YubikeyConfig::remote_client_id>("yubikey.remote_client_id"),
    secret_text<&Config::yubikey, &YubikeyConfig::remote_api_key>("yubikey.remote_api_key"),
    integer<&Config::yubikey, &YubikeyConfig::remote_timeout_ms>("yubikey.remote_timeout_ms", 100, 60000),
    text<&Config::yubikey, &YubikeyConfig::remote_ca_file>("yubikey.remote_ca_file"),
};

}  // namespace

std::span<const Field> fields() { return kFields; }

const Field* find_field(std::string_view key) {
  auto it = std::ranges::find(kFields, key, &Field::key);
  return it == std::end(kFields) ? nullptr : &*it;
}

bool is_section(std::string_view key) {
  return std::ranges::any_of(kFields, [key](const Field& f) {
    return f.key.size() > key.size() && f.key.starts_with(key) && f.key[key.size()] == '.';
  });
}

std::string env_name(std::string_view key) {
  std::string name = "TFA_";
  for (char c : key) {
    if (c == '.') name += '_';
    else if (c >= 'a' && c <= 'z') name += static_cast<char>(c - 'a' + 'A');
    else name += c;
  }
  return name;
}

std::string range_message(const Field& field, std::string_view value) {
  return "must be from " + std::to_string(field.min) + " to " + std::to_string(field.max) +
         ", got " + std::string(value);
}

}  // namespace tfa::config::detail
