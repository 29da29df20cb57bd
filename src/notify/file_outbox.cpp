#include "notify/file_outbox.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "core/utc_time.hpp"
#include "notify/message_id.hpp"

namespace tfa::notify {
namespace {

namespace fs = std::filesystem;

Error io_error(std::string what, const fs::path& path, int err) {
  return {Errc::internal, what + " " + path.string() + ": " + std::strerror(err)};
}

Result<void> make_private_folder(const fs::path& folder) {
  if (folder.empty()) return fail(Errc::invalid_argument, "outbox folder must not be empty");
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return {};
  // Missing parents are created one by one with mode 0700 as well.
  if (folder.has_parent_path() && folder.parent_path() != folder) {
    TFA_CHECK(make_private_folder(folder.parent_path()));
  }
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return tl::unexpected(io_error("cannot create folder", folder, errno));
  }
  if (!fs::is_directory(folder, ec)) {
    return fail(Errc::internal, "outbox " + folder.string() + " exists but is not a folder");
  }
  return {};
}

/// "20261201T190212Z": sorts by time, and holds no ':' (not allowed in names on Windows
/// shares, where an outbox is sometimes opened).
std::string file_time(std::chrono::system_clock::time_point now) {
  return format_compact(std::chrono::floor<std::chrono::seconds>(now));
}

Result<void> write_all(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::unexpected(io_error("cannot write", path, errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<void> write_file(const fs::path& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return tl::unexpected(io_error("cannot create", path, errno));
  auto written = write_all(fd, data, path);
  // The mode is set explicitly as well, since the umask may have narrowed it, never widened.
  if (written && ::fchmod(fd, 0600) != 0) {
    written = tl::unexpected(io_error("cannot chmod", path, errno));
  }
  if (written && ::fsync(fd) != 0) written = tl::unexpected(io_error("cannot flush", path, errno));
  if (::close(fd) != 0 && written) written = tl::unexpected(io_error("cannot close", path, errno));
  if (!written) ::unlink(path.c_str());
  return written;
}

/// Renames without replacing: two messages in the same second may draw the same suffix.
/// Returns false when `to` exists.
Result<bool> rename_new(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno == EINVAL || errno == ENOSYS) {
    // A file system without RENAME_NOREPLACE: link() also refuses an existing name.
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return true;
    }
    if (errno == EEXIST) return false;
  }
  return tl::unexpected(io_error("cannot rename to", to, errno));
}

}  // namespace

Result<FileOutbox> FileOutbox::create(std::filesystem::path folder, std::string from) {
  if (from.empty()) return fail(Errc::invalid_argument, "mail sender (From) must not be empty");
  if (from.find_first_of("\r\n") != std::string::npos) {
    return fail(Errc::invalid_argument, "mail sender (From) must not contain line breaks");
  }
  TFA_CHECK(make_private_folder(folder));
  return FileOutbox(std::move(folder), std::move(from));
}

Result<void> FileOutbox::send(const Message& message) {
  const auto now = std::chrono::system_clock::now();
  TFA_TRY(const std::string text,
          compose_rfc5322(message, from_, now, detail::new_message_id(from_)));
  const std::string stamp = file_time(now);
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::string name = stamp + "-" + detail::random_hex(3) + ".eml";
    const fs::path temp = folder_ / ("." + name + ".tmp");
    TFA_CHECK(write_file(temp, text));
    auto renamed = rename_new(temp, folder_ / name);
    if (!renamed || !*renamed) ::unlink(temp.c_str());
    if (!renamed) return tl::unexpected(renamed.error());
    if (*renamed) {
      // The new name is durable only once the folder itself is flushed.
      const int dir = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
      }
      return {};
    }
  }
  return fail(Errc::internal, "cannot find a free file name in " + folder_.string());
}

}  // namespace tfa::notify
