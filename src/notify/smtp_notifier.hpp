#pragma once
// Mail sent to an SMTP server with libcurl, one connection per message. Synchronous: send()
// returns when the server has accepted or refused the message, so the server wraps it in a
// MailQueue; `tfa mail test` calls it directly.
#include <string>

#include "notify/notifier.hpp"

namespace tfa::notify {

struct SmtpSettings {
  std::string url;          // smtp://host:port or smtps://host:port (TLS from the start)
  std::string username;     // "" = no AUTH
  std::string password;
  bool starttls = false;    // on smtp://: require STARTTLS, refuse to send in the clear
  std::string ca_file;      // PEM file of the CAs to trust; "" = the system's CAs
  int timeout_seconds = 20; // to connect, and the longest the server may stay silent
};

class SmtpNotifier final : public Notifier {
 public:
  /// Checks the settings; connects only in send(). `from` is the From header and, as a bare
  /// address, the envelope sender (MAIL FROM). Errors: Errc::invalid_argument for a URL that
  /// is not smtp:// or smtps:// with a host, an empty or multi-line `from`, or a timeout
  /// below 1 s.
  static Result<SmtpNotifier> create(SmtpSettings settings, std::string from);

  /// Composes the message and delivers it in one SMTP session. TLS certificates are always
  /// verified, host name included. Errors: those of compose_rfc5322(), and Errc::unavailable
  /// with libcurl's description and the server's reply code when the server cannot be
  /// reached, TLS fails, AUTH is refused or the message is rejected. Messages never contain
  /// the password. Thread-safe: each call has its own connection.
  Result<void> send(const Message& message) override;

 private:
  SmtpNotifier(SmtpSettings settings, std::string from)
      : settings_(std::move(settings)), from_(std::move(from)) {}

  SmtpSettings settings_;
  std::string from_;
};

}  // namespace tfa::notify
