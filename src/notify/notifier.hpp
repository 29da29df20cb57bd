#pragma once
// Where mail goes. The services that send mail (sign-up confirmation, security notices)
// depend on this interface only; file_outbox.hpp, smtp_notifier.hpp and mail_queue.hpp are
// the implementations, and transport.hpp picks one from the settings.
#include "core/result.hpp"
#include "notify/message.hpp"

namespace tfa::notify {

class Notifier {
 public:
  virtual ~Notifier() = default;
  /// Hands `message` on, with the notifier's own From address, Date and a fresh Message-ID.
  /// Success means the message was accepted: written to the outbox, taken by the mail server,
  /// or queued for delivery (MailQueue), not that it reached the inbox.
  /// Errors: Errc::invalid_argument for a message check_message() refuses (it is never sent);
  /// Errc::unavailable when the transport cannot take it now (a retry may succeed);
  /// Errc::internal for a local failure such as a full disk.
  /// Implementations say whether they may be called from several threads at once.
  virtual Result<void> send(const Message& message) = 0;
};

}  // namespace tfa::notify
