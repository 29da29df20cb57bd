// SmtpNotifier: settings checks and failures that need no mail server. Delivery to a real
// SMTP server (AUTH, STARTTLS) is tested by tests/mail/mail_test.py.
#include "notify/smtp_notifier.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "notify/transport.hpp"

namespace tfa::notify {
namespace {

const Message kMessage{.to = "bob@example.com", .subject = "s", .text = "t", .html = "h"};

SmtpSettings settings(std::string url, int timeout_seconds = 20) {
  SmtpSettings s;
  s.url = std::move(url);
  s.timeout_seconds = timeout_seconds;
  return s;
}

TEST(SmtpNotifier, RefusesBadSettings) {
  for (const char* url :
       {"", "http://mail.example.com", "smtp://", "smtps:///path", "mail.example.com:25"}) {
    auto smtp = SmtpNotifier::create(settings(url), "tfa@x.org");
    ASSERT_FALSE(smtp.has_value()) << url;
    EXPECT_EQ(smtp.error().code, Errc::invalid_argument);
  }
  EXPECT_FALSE(SmtpNotifier::create(settings("smtp://127.0.0.1:25"), "").has_value());
  EXPECT_FALSE(SmtpNotifier::create(settings("smtp://127.0.0.1:25"), "a@b\nBcc: c@d").has_value());
  EXPECT_FALSE(
      SmtpNotifier::create(settings("smtp://127.0.0.1:25", 0), "a@b").has_value());
}

TEST(SmtpNotifier, ErrorsDoNotEchoTheUrl) {
  auto smtp = SmtpNotifier::create(settings("ftp://user:hunter2@host"), "tfa@x.org");
  ASSERT_FALSE(smtp.has_value());
  EXPECT_EQ(smtp.error().message.find("hunter2"), std::string::npos);
}

/// A port on 127.0.0.1 that nothing listens on: bound, then closed.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(SmtpNotifier, AnUnreachableServerIsUnavailableWithoutThePassword) {
  const std::string url = "smtp://127.0.0.1:" + std::to_string(closed_port());
  SmtpSettings with_login = settings(url, 5);
  with_login.username = "tfa";
  with_login.password = "s3cret-pass";
  auto smtp = SmtpNotifier::create(with_login, "tfa@x.org");
  ASSERT_TRUE(smtp.has_value()) << smtp.error().message;
  auto sent = smtp->send(kMessage);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code, Errc::unavailable);
  EXPECT_NE(sent.error().message.find("bob@example.com"), std::string::npos)
      << sent.error().message;
  EXPECT_EQ(sent.error().message.find("s3cret-pass"), std::string::npos);
}

TEST(SmtpNotifier, RefusesAnInjectedHeaderBeforeConnecting) {
  auto smtp = SmtpNotifier::create(settings("smtp://127.0.0.1:1"), "tfa@x.org");
  ASSERT_TRUE(smtp.has_value());
  Message m = kMessage;
  m.to = "bob@example.com\r\nRCPT TO:<eve@example.com>";
  auto sent = smtp->send(m);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code, Errc::invalid_argument);
}

TEST(SmtpNotifier, TransportIsSmtpWhenAUrlIsSet) {
  MailTransportSettings settings;
  settings.smtp.url = "smtp://127.0.0.1:" + std::to_string(closed_port());
  settings.outbox = "/nonexistent/never-created";
  auto transport = make_transport(settings);
  ASSERT_TRUE(transport.has_value()) << transport.error().message;
  EXPECT_NE(dynamic_cast<SmtpNotifier*>(transport->get()), nullptr);
  auto sent = (*transport)->send(kMessage);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace tfa::notify
