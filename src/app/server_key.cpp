#include "app/server_key.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/constant_time.hpp"
#include "storage/sql/sealed_values.hpp"

namespace tfa::app {
namespace {

namespace fs = std::filesystem;

std::string hex_of(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string errno_text() { return std::strerror(errno); }

// Creates `file` with mode 0600, failing if it exists, and writes the key to it durably.
Result<void> write_key_file(const fs::path& file, const SecretBytes& key) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::unavailable, "cannot create " + file.string() + ": " + errno_text());
  std::string text = hex_of(key.expose()) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  secure_wipe({reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
  ::close(fd);
  if (!ok) return fail(Errc::unavailable, "cannot write " + file.string() + ": " + errno_text());
  return {};
}

Result<SecretBytes> read_key_file(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    return fail(errno == ENOENT ? Errc::not_found : Errc::unavailable,
                "cannot read server key " + file.string() + ": " + errno_text());
  }
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return fail(Errc::invalid_argument, "server key " + file.string() + " has mode " + mode +
                                            ", so other users may read it; run: chmod 600 " +
                                            file.string());
  }
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  SecretBytes key(crypto::kServerKeySize);
  bool valid = text.size() == 2 * crypto::kServerKeySize;
  for (std::size_t i = 0; valid && i < crypto::kServerKeySize; ++i) {
    const int high = hex_value(text[2 * i]);
    const int low = hex_value(text[2 * i + 1]);
    valid = high >= 0 && low >= 0;
    if (valid) key.expose_mutable()[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  secure_wipe({reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
  if (!valid) {
    return fail(Errc::invalid_argument,
                "server key " + file.string() + " must hold 64 hexadecimal digits (32 bytes)");
  }
  return key;
}

SecretBytes new_key(Random& random) {
  SecretBytes key(crypto::kServerKeySize);
  random.fill(key.expose_mutable());
  return key;
}

fs::path pending_file(const fs::path& file) { return fs::path(file.string() + ".new"); }

}  // namespace

Result<crypto::Sealer> load_server_key(const fs::path& file, bool create, Random& random) {
  auto key = read_key_file(file);
  if (!key && key.error().code == Errc::not_found && create) {
    TFA_CHECK(write_key_file(file, new_key(random)));
    key = read_key_file(file);
  }
  if (!key) return tl::unexpected(key.error());

  std::vector<SecretBytes> older;
  const fs::path pending = pending_file(file);
  if (fs::exists(pending)) {
    // An interrupted rotation: values may be sealed under either key. The pending key is the
    // one that new values must use only once rotation completes, so it is an extra key here.
    TFA_TRY(auto extra, read_key_file(pending));
    older.push_back(std::move(extra));
  }
  return crypto::Sealer::create(std::move(*key), std::move(older));
}

Result<KeyRotation> rotate_server_key(const fs::path& file, storage::sql::Database& database,
                                      Random& random) {
  TFA_TRY(auto old_key, read_key_file(file));
  TFA_TRY(auto old_sealer, crypto::Sealer::create(SecretBytes::copy_of(old_key.expose())));
  const fs::path pending = pending_file(file);
  // Reuse a pending key from an interrupted rotation: its transaction may have committed.
  auto next = read_key_file(pending);
  if (!next && next.error().code == Errc::not_found) {
    TFA_CHECK(write_key_file(pending, new_key(random)));
    next = read_key_file(pending);
  }
  if (!next) return tl::unexpected(next.error());

  std::vector<SecretBytes> older;
  older.push_back(std::move(old_key));
  TFA_TRY(auto rotating, crypto::Sealer::create(std::move(*next), std::move(older)));
  TFA_TRY(auto resealed, storage::sql::reseal_all(database, rotating, random));

  std::error_code error;
  fs::rename(pending, file, error);
  if (error) {
    return fail(Errc::unavailable, "re-sealed " + std::to_string(resealed) +
                                       " secrets, but cannot rename " + pending.string() +
                                       " to " + file.string() + ": " + error.message() +
                                       "; rename it by hand");
  }
  return KeyRotation{resealed, old_sealer.primary_key_id(), rotating.primary_key_id()};
}

}  // namespace tfa::app
