// Config [mail]: defaults, file and environment, and the checks that keep secrets out of
// messages.
#include "config/config_test_fixture.hpp"

namespace tfa::config {
namespace {

using namespace test;  // NOLINT: the fixture and helpers of config_test_fixture.hpp

TEST_F(ConfigTest, MailDefaultsWriteToTheOutbox) {
  const Config config;
  EXPECT_EQ(config.mail.from, "tfa <tfa@localhost>");
  EXPECT_EQ(config.mail.smtp_url, "");
  EXPECT_FALSE(config.mail.smtp_starttls);
  EXPECT_EQ(config.mail.retry_attempts, 5);
  EXPECT_EQ(config.mail.retry_first_delay_seconds, 2);
}

TEST_F(ConfigTest, MailSectionFromFileAndEnvironment) {
  write(R"([mail]
from = "Example Cloud <security@example.com>"
smtp_url = "smtp://mail.example.com:587"
smtp_username = "tfa"
smtp_starttls = true
smtp_ca_file = "/etc/ssl/mail-ca.pem"
retry_attempts = 3
)");
  auto config = load_config(file_, environment_from({{"TFA_MAIL_SMTP_PASSWORD", "hunter2"},
                                                    {"TFA_MAIL_RETRY_FIRST_DELAY_SECONDS", "10"}}));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->mail.from, "Example Cloud <security@example.com>");
  EXPECT_EQ(config->mail.smtp_url, "smtp://mail.example.com:587");
  EXPECT_EQ(config->mail.smtp_username, "tfa");
  EXPECT_EQ(config->mail.smtp_password, "hunter2");
  EXPECT_TRUE(config->mail.smtp_starttls);
  EXPECT_EQ(config->mail.smtp_ca_file, "/etc/ssl/mail-ca.pem");
  EXPECT_EQ(config->mail.retry_attempts, 3);
  EXPECT_EQ(config->mail.retry_first_delay_seconds, 10);
}

TEST_F(ConfigTest, SmtpUrlSchemesAndErrorsThatDoNotEchoIt) {
  for (const std::string ok : {"", "smtp://127.0.0.1:2525", "smtps://mail.example.com",
                               "smtp://user:pass@mail.example.com:587"}) {
    Config config;
    config.mail.smtp_url = ok;
    EXPECT_TRUE(validate(config).has_value()) << ok;
  }
  const std::string message = error_of("[mail]\nsmtp_url = \"https://tfa:hunter2@mail\"\n");
  EXPECT_EQ(message, in_file() + "mail.smtp_url: must start with smtp:// or smtps:// (\"\" "
                                 "writes mail to <data_dir>/outbox)");
  EXPECT_EQ(error_of("[mail]\nsmtp_url = \"smtp://\"\n"),
            in_file() + "mail.smtp_url: has no host");
}

TEST_F(ConfigTest, SmtpPasswordOfTheWrongTypeIsNotEchoed) {
  const std::string message = error_of("[mail]\nsmtp_password = 12345678\n");
  EXPECT_EQ(message, in_file() + "mail.smtp_password: expected a string, got an integer");
}

TEST(ConfigValidate, MailFromNeedsAnAddressOnOneLine) {
  for (const std::string ok : {"tfa@example.com", "tfa <tfa@example.com>",
                               "\"Example, Inc.\" <security@example.com>", "Zoë <z@example.com>"}) {
    Config config;
    config.mail.from = ok;
    EXPECT_TRUE(find_problems(config).empty()) << ok;
  }
  for (const std::string bad : {"", "tfa", "tfa <>", "tfa <tfa@example.com", "@example.com",
                                "tfa@", "tfa@example.com\r\nBcc: eve@example.com"}) {
    Config config;
    config.mail.from = bad;
    const auto problems = find_problems(config);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].key, "mail.from");
  }
}

}  // namespace
}  // namespace tfa::config
