#pragma once
// Mail written to a folder instead of sent: the transport when no SMTP server is configured,
// for development and for tests. Each message is one RFC 5322 file, `<data_dir>/outbox/
// 20261201T190212Z-3f9a2c.eml`, which any mail client opens.
#include <filesystem>
#include <string>

#include "notify/notifier.hpp"

namespace tfa::notify {

class FileOutbox final : public Notifier {
 public:
  /// Creates `folder` and any missing parents with mode 0700 (mail holds sign-in links).
  /// `from` is the From header of every message ("tfa <tfa@example.com>"); the Message-ID's
  /// domain is taken from it. Errors: Errc::invalid_argument for an empty or multi-line
  /// `from`, Errc::internal when the folder cannot be created or is not a folder.
  static Result<FileOutbox> create(std::filesystem::path folder, std::string from);

  /// Writes the message as `<UTC time>-<6 random hex digits>.eml`, mode 0600. The file is
  /// written under a hidden temporary name, flushed to disk and then renamed, so a reader
  /// that lists *.eml never sees half a message, and an existing file is never replaced.
  /// Errors as in Notifier; Errc::internal when the file cannot be written. Thread-safe.
  Result<void> send(const Message& message) override;

  const std::filesystem::path& folder() const { return folder_; }

 private:
  FileOutbox(std::filesystem::path folder, std::string from)
      : folder_(std::move(folder)), from_(std::move(from)) {}

  std::filesystem::path folder_;
  std::string from_;
};

}  // namespace tfa::notify
