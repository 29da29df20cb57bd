#include "notify/smtp_notifier.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>

#include <curl/curl.h>

#include "notify/address.hpp"
#include "notify/message_id.hpp"

namespace tfa::notify {
namespace {

// curl_global_init is not thread-safe and must run before any other libcurl call; it is never
// undone (curl_global_cleanup at exit would race threads still sending).
bool curl_ready() {
  static std::once_flag once;
  static CURLcode result = CURLE_FAILED_INIT;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result == CURLE_OK;
}

struct Upload {
  std::string_view rest;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

/// `text` with every occurrence of `secret` blanked: some servers echo what they were sent,
/// and libcurl's messages may quote them.
std::string redact(std::string text, std::string_view secret) {
  if (secret.size() < 4) return text;  // a very short password would blank ordinary words
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

bool has_host(std::string_view url) {
  const auto start = url.find("://");
  if (start == std::string_view::npos) return false;
  const std::string_view rest = url.substr(start + 3);
  return !rest.empty() && rest.front() != '/' && rest.front() != ':';
}

}  // namespace

Result<SmtpNotifier> SmtpNotifier::create(SmtpSettings settings, std::string from) {
  const std::string_view url = settings.url;
  // The URL is not echoed: it may carry credentials (smtp://user:password@host).
  if (!url.starts_with("smtp://") && !url.starts_with("smtps://")) {
    return fail(Errc::invalid_argument, "SMTP URL must start with smtp:// or smtps://");
  }
  if (!has_host(url)) return fail(Errc::invalid_argument, "SMTP URL has no host");
  if (from.empty() || detail::bare_address(from).empty()) {
    return fail(Errc::invalid_argument, "mail sender (From) must not be empty");
  }
  if (from.find_first_of("\r\n") != std::string::npos) {
    return fail(Errc::invalid_argument, "mail sender (From) must not contain line breaks");
  }
  if (settings.timeout_seconds < 1) {
    return fail(Errc::invalid_argument, "SMTP timeout must be at least 1 second");
  }
  return SmtpNotifier(std::move(settings), std::move(from));
}

Result<void> SmtpNotifier::send(const Message& message) {
  TFA_TRY(const std::string text, compose_rfc5322(message, from_, std::chrono::system_clock::now(),
                                                  detail::new_message_id(from_)));
  if (!curl_ready()) return fail(Errc::internal, "cannot initialise libcurl");
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return fail(Errc::internal, "cannot create a libcurl handle");
  CURL* h = curl.get();

  const std::string envelope_from = "<" + std::string(detail::bare_address(from_)) + ">";
  const std::string envelope_to = "<" + std::string(detail::bare_address(message.to)) + ">";
  std::unique_ptr<curl_slist, SlistDeleter> recipients(
      curl_slist_append(nullptr, envelope_to.c_str()));
  if (!recipients) return fail(Errc::internal, "out of memory");

  Upload upload{text};
  char error_text[CURL_ERROR_SIZE] = {};
  const long timeout = settings_.timeout_seconds;
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
  // A stalled server is dropped after `timeout` seconds without a byte; a slow but moving
  // one still has a hard limit, so a queue is never stuck on one message.
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, timeout);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout * 6);
  if (settings_.starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, envelope_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);

  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OK) return {};
  std::string reason = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  if (reply >= 400) reason += " (server replied " + std::to_string(reply) + ")";
  return fail(Errc::unavailable,
              redact("cannot send mail to " + std::string(detail::bare_address(message.to)) +
                         " over SMTP: " + reason,
                     settings_.password));
}

}  // namespace tfa::notify
