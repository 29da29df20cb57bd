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

namespace tfa::config {

/// [password]: cost of Argon2id password hashing and the shortest password accepted.
struct PasswordConfig {
  std::uint64_t argon2_ops = 3;             // libsodium opslimit (passes over memory)
  std::uint64_t argon2_memory_kib = 12288;  // libsodium memlimit, in KiB (12 MiB)
  std::size_t min_length = 8;               // shortest password accepted, in characters
};

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
  PasswordConfig password;

  /// `database` with "" resolved: "sqlite:" + data_dir/"tfa.db".
  std::string database_url() const;
  /// `server_key_file` with "" resolved: data_dir/"secret.key". A relative path that was
  /// configured explicitly stays relative to the working directory.
  std::filesystem::path key_file() const;
};

}  // namespace tfa::config
