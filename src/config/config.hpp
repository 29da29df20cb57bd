#pragma once
// The server's settings as plain values. The member initialisers are the embedded defaults:
// what `tfa serve` uses with no config file and no TFA_* variables. load.hpp fills a Config
// from a TOML file and the environment; validate.hpp says whether one is usable.
//
// To add a setting: a member here (with its default), one row in fields.cpp, a check in
// validate.cpp if its range is not just "integer from A to B", and a line in
// docs/configuration.md. A new [section] is a new struct member here, like `password`.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tfa::config {

/// [password]: cost of Argon2id password hashing and the shortest password accepted.
struct PasswordConfig {
  std::uint64_t argon2_ops = 3;             // libsodium opslimit (passes over memory)
  std::uint64_t argon2_memory_kib = 12288;  // libsodium memlimit, in KiB (12 MiB)
  std::size_t min_length = 8;               // shortest password accepted, in characters
};

/// [server]: the HTTP listener of `tfa serve`.
struct ServerConfig {
  std::string listen = "127.0.0.1:8080";  // IPv4:PORT or [IPv6]:PORT; port 0 = any free port
  int threads = 2;                        // I/O threads
  int hash_workers = 2;                   // password hashes that run at once
  int worker_threads = 8;                 // threads for the slow steps of requests (hashing among them)
  std::size_t body_limit_kib = 64;        // largest request body
  std::size_t header_limit_kib = 8;       // largest request line plus headers
  int read_timeout_seconds = 15;          // to receive one request, or write one response
  int idle_timeout_seconds = 60;          // a kept-alive connection waiting for its next request
  int shutdown_grace_seconds = 10;        // for requests in progress at SIGTERM
  std::string trusted_proxy;              // "" or the reverse proxy's IP address
  std::string public_url;                 // "" or the https://... address users see (for links)
};

/// [login]: how the console and the API sign users in.
struct LoginConfig {
  bool code_in_password = false;  // seed 002: the code may follow the password in one field
  int trusted_device_days = 7;    // "Do not challenge me on this device for the next 7 days"
  int totp_window_steps = 1;      // codes accepted from this many steps before and after now
  int totp_max_drift_steps = 4;   // the window follows a phone's drift up to this many steps
  int totp_digits = 6;            // code length of new TOTP factors: 6 as the seeds say, up to 8
};

/// [mail]: where mail goes. Without an SMTP server, mail is written to <data_dir>/outbox.
struct MailConfig {
  std::string from = "tfa <tfa@localhost>";  // From header and envelope sender
  std::string smtp_url;            // "" = write to <data_dir>/outbox; smtp://HOST:PORT or smtps://
  std::string smtp_username;       // "" = no AUTH
  std::string smtp_password;       // never echoed in messages
  bool smtp_starttls = false;      // on smtp://: require STARTTLS
  std::string smtp_ca_file;        // PEM CAs to trust; "" = the system's
  int retry_attempts = 5;          // tries per message before it is given up
  int retry_first_delay_seconds = 2;  // before the second try; doubles after each
};

/// [yubikey]: where Yubico OTPs are checked. "local": with the AES secrets imported by
/// `tfa yubikey import`; "remote": by a Yubico validation server (protocol 2.0) at remote_url.
/// Either way tfa also answers /wsapi/2.0/verify for the keys imported here.
struct YubikeyConfig {
  std::string mode = "local";      // "local" or "remote"
  std::string remote_url;          // http(s)://HOST/wsapi/2.0/verify; needed when remote
  std::string remote_client_id;    // the client id the validation server gave tfa
  std::string remote_api_key;      // that client's base64 API key; never echoed
  int remote_timeout_ms = 5000;    // per request to the validation server
  std::string remote_ca_file;      // PEM CAs for https; "" = the system's
};

/// A listen address split into its parts: "[::1]:8080" -> {"::1", 8080}.
struct ListenAddress {
  std::string host;  // an IP literal, without brackets
  std::uint16_t port = 0;
};

/// Parses "IPv4:PORT" or "[IPv6]:PORT" with a numeric IP and a port from 0 to 65535. Host
/// names are refused, so that starting never depends on DNS and the address bound is the one
/// written.
Result<ListenAddress> parse_listen_address(std::string_view text);

struct Config {
  /// Database, server key and outbox live here unless configured elsewhere. A relative path
  /// is relative to the working directory, not to the config file.
  std::filesystem::path data_dir = "tfa-data";
  /// "" = SQLite file <data_dir>/tfa.db; otherwise "sqlite:PATH" or "postgresql://..."
  /// ("postgres://..." too). May carry a password, so it is never echoed in error messages.
  std::string database;
  /// Open connections per instance.
  int database_pool_size = 4;
  /// File holding the key that seals stored secrets; "" = <data_dir>/secret.key.
  std::filesystem::path server_key_file;
  /// Shown in authenticator apps next to the account name (the Key URI's issuer).
  std::string issuer = "tfa";
  /// Self sign-up at /signup: on for trying tfa out, off in production.
  bool signup = true;
  /// Sign-ups from one client address before it waits (30 s, doubling up to an hour); each
  /// one mails the address typed in.
  int signup_per_address = 10;
  PasswordConfig password;
  LoginConfig login;
  ServerConfig server;
  MailConfig mail;
  YubikeyConfig yubikey;

  /// `database` with "" resolved: "sqlite:" + data_dir/"tfa.db".
  std::string database_url() const;
  /// `server_key_file` with "" resolved: data_dir/"secret.key". A relative path that was
  /// configured explicitly stays relative to the working directory.
  std::filesystem::path key_file() const;
};

}  // namespace tfa::config
