// Conformance: a backup made with the database's own tools holds no secret in the clear.
// Secrets are sealed before they reach the database, so neither `sqlite3 FILE .dump` nor
// `pg_dump` may show a TOTP key, a YubiKey's AES key or a Yubico API key in any encoding an
// operator (or an attacker with the backup) would try: raw, Base32, hex or Base64.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/base32.hpp"
#include "storage/sql/sealed_values.hpp"
#include "storage_test_fixture.hpp"
#include "subprocess.hpp"

namespace tfa::testing {
namespace {

using DumpTest = StorageTest;
using storage::sql::Blob;
using storage::sql::params;

std::string hex(std::span<const std::uint8_t> bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (const auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

// Without '=' padding: the unpadded text is a prefix of the padded one, so looking for it
// finds both.
std::string base64(std::span<const std::uint8_t> bytes, bool url_safe) {
  const char* alphabet = url_safe
                             ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(v >> shift) & 63];
  }
  if (i + 1 == bytes.size()) {
    const std::uint32_t v = bytes[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    const std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
  }
  return out;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// Every form in which `secret` could be recognised, each with a name for the failure message.
std::vector<std::pair<std::string, std::string>> encodings_of(const SecretBytes& secret) {
  const auto bytes = secret.expose();
  const std::string base32 = base32_encode(bytes);
  return {
      {"raw bytes", std::string(bytes.begin(), bytes.end())},
      {"Base32", base32},
      {"lower-case Base32", lower(base32)},
      {"lower-case hex", hex(bytes, false)},
      {"upper-case hex", hex(bytes, true)},
      {"Base64", base64(bytes, false)},
      {"URL-safe Base64", base64(bytes, true)},
  };
}

struct Planted {
  std::string what;  // e.g. "factor 3 (32 bytes)"
  SecretBytes secret;
};

SecretBytes random_secret(Random& random, std::size_t size) {
  SecretBytes secret(size);
  random.fill(secret.expose_mutable());
  return secret;
}

/// Rows of `table` in the dump: SQLite's .dump writes one INSERT per row; pg_dump writes a
/// COPY block, one line per row, ended by "\.".
int rows_in_dump(const std::string& dump, Backend backend, const std::string& schema,
                 const std::string& table) {
  std::istringstream lines(dump);
  std::string line;
  int rows = 0;
  if (backend == Backend::sqlite) {
    const std::string insert = "INSERT INTO " + table + " VALUES(";
    while (std::getline(lines, line)) rows += line.rfind(insert, 0) == 0 ? 1 : 0;
    return rows;
  }
  const std::string copy = "COPY " + schema + "." + table + " (";
  bool inside = false;
  while (std::getline(lines, line)) {
    if (!inside) {
      inside = line.rfind(copy, 0) == 0;
    } else if (line == "\\.") {
      return rows;
    } else {
      ++rows;
    }
  }
  return inside ? -1 : 0;  // -1: a COPY block that never ended
}

std::string read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_P(DumpTest, ADumpOfTheWholeDatabaseRevealsNoSecret) {
  const auto alice = make_user("alice");
  const auto bob = make_user("bob");

  // TOTP keys of every length in use: 20 bytes (SHA-1), 32 (SHA-256) and 64 (SHA-512).
  std::vector<Planted> planted;
  std::vector<std::int64_t> factor_ids;
  for (const std::size_t size : {20, 32, 64, 20, 32, 64}) {
    auto secret = random_secret(random_, size);
    const auto status = factor_ids.size() % 3 == 2 ? storage::FactorStatus::pending
                                                   : storage::FactorStatus::confirmed;
    const auto id = add_totp(factor_ids.size() % 2 == 0 ? alice.id : bob.id, secret, status);
    ASSERT_GT(id, 0);
    factor_ids.push_back(id);
    planted.push_back({"factor " + std::to_string(id) + " (" + std::to_string(size) + " bytes)",
                       std::move(secret)});
  }
  ASSERT_TRUE(factors_->record_accepted_counter(factor_ids[0], 56'666'666, 0, now_).value());

  // A YubiKey as the operator imports it: 6-byte private ID and 16-byte AES key, sealed
  // together under its public ID.
  const std::string yubikey_public_id = "cccccccbcjdi";
  auto yubikey_secret = random_secret(random_, 22);
  raw("INSERT INTO yubikeys (public_id, sealed_secret, created_at) VALUES ($1, $2, $3)",
      params(yubikey_public_id,
             Blob{sealer_.seal(yubikey_secret.expose(),
                               storage::sql::yubikey_secret_context(yubikey_public_id), random_)},
             storage::to_unix(now_)));
  planted.push_back({"the YubiKey's private ID and AES key", std::move(yubikey_secret)});

  // A client of the Yubico validation server: a 20-byte HMAC-SHA1 API key, bound to the row
  // id, so the row is inserted first and the sealed key written once the id is known.
  auto api_key = random_secret(random_, 20);
  const auto client_id =
      db().transaction<std::int64_t>([&](storage::sql::Connection& c) -> Result<std::int64_t> {
        TFA_TRY(auto inserted,
                c.execute("INSERT INTO yubico_clients (name, sealed_secret, created_at) "
                          "VALUES ($1, $2, $3) RETURNING id",
                          params("mail gateway", Blob{std::vector<std::uint8_t>(1, 0)}, storage::to_unix(now_))));
        TFA_TRY(const auto id, inserted.rows.at(0).integer(0));
        Blob sealed{sealer_.seal(api_key.expose(),
                                 storage::sql::yubico_client_secret_context(id), random_)};
        TFA_CHECK(c.execute("UPDATE yubico_clients SET sealed_secret = $2 WHERE id = $1",
                            params(id, std::move(sealed))));
        return id;
      });
  ASSERT_TRUE(client_id.has_value()) << client_id.error().message;
  planted.push_back({"the Yubico API key", std::move(api_key)});

  // The stores still open what they sealed, so the rows really hold these secrets.
  for (std::size_t i = 0; i < factor_ids.size(); ++i) {
    const auto factor = factors_->find_factor(factor_ids[i]);
    ASSERT_TRUE(factor.has_value() && factor->has_value());
    EXPECT_TRUE((*factor)->secret == planted[i].secret) << planted[i].what;
  }

  // What the dump must contain: every sealed value, as the tools write bytes (hex). This
  // shows that a secret stored unsealed would have been seen.
  std::vector<std::vector<std::uint8_t>> sealed_values;
  for (const auto* select : {"SELECT sealed_secret FROM factors WHERE sealed_secret IS NOT NULL",
                             "SELECT sealed_secret FROM yubikeys",
                             "SELECT sealed_secret FROM yubico_clients"}) {
    for (const auto& row : raw(select).rows) sealed_values.push_back(row.blob(0).value());
  }
  ASSERT_EQ(sealed_values.size(), factor_ids.size() + 2);

  Finished dump;
  std::string schema;
  if (GetParam() == Backend::sqlite) {
    // The stores' connections are still open, so the rows are in the write-ahead log, not yet
    // in the main file: the dump must read the WAL, as a backup taken from a running server does.
    std::error_code ec;
    EXPECT_GT(std::filesystem::file_size(test_db_->place() + "-wal", ec), 0u)
        << "expected the rows to be in the WAL: " << ec.message();
    dump = run_child({"sqlite3", test_db_->place(), ".dump"});
  } else {
    schema = test_db_->place();
    dump = run_child({"pg_dump", "--schema=" + schema, postgres_base_url()});
  }
  ASSERT_TRUE(dump.error.empty()) << dump.error;
  ASSERT_EQ(dump.exit_code, 0) << dump.output;

  // Non-trivial: the schema and every row are there.
  EXPECT_NE(dump.output.find("CREATE TABLE"), std::string::npos);
  EXPECT_NE(dump.output.find("factors"), std::string::npos);
  EXPECT_NE(dump.output.find("alice@example.com"), std::string::npos);
  EXPECT_NE(dump.output.find(yubikey_public_id), std::string::npos);
  EXPECT_NE(dump.output.find("mail gateway"), std::string::npos);
  EXPECT_NE(dump.output.find("56666666"), std::string::npos) << "the replay guard's update";
  EXPECT_EQ(rows_in_dump(dump.output, GetParam(), schema, "users"), 2);
  EXPECT_EQ(rows_in_dump(dump.output, GetParam(), schema, "factors"),
            static_cast<int>(factor_ids.size()));
  EXPECT_EQ(rows_in_dump(dump.output, GetParam(), schema, "yubikeys"), 1);
  EXPECT_EQ(rows_in_dump(dump.output, GetParam(), schema, "yubico_clients"), 1);
  for (std::size_t i = 0; i < sealed_values.size(); ++i) {
    const bool found = dump.output.find(hex(sealed_values[i], false)) != std::string::npos ||
                       dump.output.find(hex(sealed_values[i], true)) != std::string::npos;
    EXPECT_TRUE(found) << "sealed value " << i << " is not in the dump";
  }

  for (const auto& [what, secret] : planted) {
    for (const auto& [encoding, text] : encodings_of(secret)) {
      EXPECT_EQ(dump.output.find(text), std::string::npos)
          << what << " appears in the dump as " << encoding;
    }
  }

  // The files themselves (pages, free pages, the WAL) hold no plaintext either.
  if (GetParam() == Backend::sqlite) {
    for (const char* suffix : {"", "-wal"}) {
      const std::string file = read_file_bytes(test_db_->place() + suffix);
      EXPECT_FALSE(file.empty()) << test_db_->place() << suffix;
      for (const auto& [what, secret] : planted) {
        for (const auto& [encoding, text] : encodings_of(secret)) {
          EXPECT_EQ(file.find(text), std::string::npos)
              << what << " appears in " << test_db_->place() << suffix << " as " << encoding;
        }
      }
    }
  }
}

TFA_INSTANTIATE_STORAGE_SUITE(DumpTest);

}  // namespace
}  // namespace tfa::testing
