#pragma once
// Picks the transport from plain settings, so that the wiring (src/app, the CLI) maps its
// Config onto this struct and tfa_notify needs no configuration library.
#include <filesystem>
#include <memory>
#include <string>

#include "notify/notifier.hpp"
#include "notify/smtp_notifier.hpp"

namespace tfa::notify {

struct MailTransportSettings {
  std::string from = "tfa <tfa@localhost>";  // From header and envelope sender
  std::filesystem::path outbox;             // used when smtp.url is ""; <data_dir>/outbox
  SmtpSettings smtp;                        // smtp.url "" = write files to `outbox`
};

/// An SmtpNotifier when `settings.smtp.url` is set, otherwise a FileOutbox at
/// `settings.outbox` (created, mode 0700). Synchronous: wrap the result in a MailQueue where
/// a caller must not wait. Errors: those of SmtpNotifier::create() and FileOutbox::create().
Result<std::unique_ptr<Notifier>> make_transport(const MailTransportSettings& settings);

}  // namespace tfa::notify
