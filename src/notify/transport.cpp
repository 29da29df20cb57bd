#include "notify/transport.hpp"

#include "notify/file_outbox.hpp"

namespace tfa::notify {

Result<std::unique_ptr<Notifier>> make_transport(const MailTransportSettings& settings) {
  if (!settings.smtp.url.empty()) {
    TFA_TRY(auto smtp, SmtpNotifier::create(settings.smtp, settings.from));
    return std::make_unique<SmtpNotifier>(std::move(smtp));
  }
  TFA_TRY(auto outbox, FileOutbox::create(settings.outbox, settings.from));
  return std::make_unique<FileOutbox>(std::move(outbox));
}

}  // namespace tfa::notify
