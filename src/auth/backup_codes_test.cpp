#include "auth/backup_codes.hpp"

#include <gtest/gtest.h>

#include <set>

#include "auth/auth_test_db.hpp"
#include "auth/login_flow.hpp"
#include "storage/sql/sql_backup_code_store.hpp"
#include "testing/recording_notifier.hpp"

namespace tfa::auth {
namespace {

using namespace std::chrono_literals;

TEST(BackupCodeFormat, ForgivesCaseSpacesHyphensAndLookAlikes) {
  EXPECT_EQ(normalize_backup_code("7kq2m-x9d4t"), "7kq2mx9d4t");
  EXPECT_EQ(normalize_backup_code(" 7KQ2M X9D4T "), "7kq2mx9d4t");
  EXPECT_EQ(normalize_backup_code("7kq2m--x9d4t"), "7kq2mx9d4t");
  EXPECT_EQ(normalize_backup_code("O1lIa-bcdef"), "0111abcdef") << "o reads as 0, i and l as 1";
}

TEST(BackupCodeFormat, RefusesWhatCannotBeACode) {
  EXPECT_FALSE(normalize_backup_code(""));
  EXPECT_FALSE(normalize_backup_code("123456")) << "a TOTP code";
  EXPECT_FALSE(normalize_backup_code("7kq2m-x9d4"));
  EXPECT_FALSE(normalize_backup_code("7kq2m-x9d4tt"));
  EXPECT_FALSE(normalize_backup_code("7kq2m-x9d4u")) << "u is not in the alphabet";
  EXPECT_FALSE(normalize_backup_code("7kq2m_x9d4t"));
  EXPECT_EQ(format_backup_code("7kq2mx9d4t"), "7kq2m-x9d4t");
}

class BackupCodesTest : public test::AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    store_ = std::make_unique<storage::sql::SqlBackupCodeStore>(*database_);
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
    notices_ = std::make_unique<Notices>(notifier_, clock_, NoticeSettings{"Example Cloud", "https://console.example.com"});
    codes_ = std::make_unique<BackupCodes>(*store_, *audit_, *throttle_, *notices_, clock_, random_,
                                           sealer_.derive_key("backup-codes"));
    alice_ = accounts_->create_user("alice", "alice@example.com", "password", cli_).value();
  }
  void TearDownServices() override {
    codes_.reset();
    notices_.reset();
    throttle_.reset();
    store_.reset();
  }

  testing::RecordingNotifier notifier_;
  std::unique_ptr<storage::sql::SqlBackupCodeStore> store_;
  std::unique_ptr<Throttle> throttle_;
  std::unique_ptr<Notices> notices_;
  std::unique_ptr<BackupCodes> codes_;
  storage::User alice_;
};

TEST_F(BackupCodesTest, MakesTenDistinctWellFormedCodesAndStoresNoneOfThem) {
  const auto codes = codes_->generate(alice_, false, browser_).value();
  ASSERT_EQ(codes.size(), 10u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);
  for (const auto& code : codes) {
    ASSERT_EQ(code.size(), 11u) << code;
    EXPECT_EQ(code[5], '-');
    EXPECT_EQ(normalize_backup_code(code), code.substr(0, 5) + code.substr(6));
  }
  EXPECT_EQ(codes_->remaining(alice_.id).value(), 10);
  // Only keyed hashes reach the database.
  auto rows = database_->transaction<storage::sql::QueryResult>([](storage::sql::Connection& c) {
    return c.execute("SELECT code_hash FROM backup_codes");
  }).value();
  ASSERT_EQ(rows.rows.size(), 10u);
  for (const auto& row : rows.rows) {
    const auto hash = row.blob(0).value();
    EXPECT_EQ(hash.size(), 32u);
    const std::string as_text(hash.begin(), hash.end());
    for (const auto& code : codes) EXPECT_EQ(as_text.find(code.substr(0, 5)), std::string::npos);
  }
  EXPECT_TRUE(notifier_.sent().empty()) << "the first set comes with the 'enabled' notice";
}

TEST_F(BackupCodesTest, EachCodeWorksOnceInAnyTypedForm) {
  const auto codes = codes_->generate(alice_, false, browser_).value();
  std::string shouted = codes[0];
  for (auto& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto used = codes_->use(alice_, " " + shouted.substr(0, 5) + " " + shouted.substr(6), browser_).value();
  EXPECT_EQ(used.outcome, BackupCodeUse::accepted);
  EXPECT_EQ(used.remaining, 9);
  EXPECT_EQ(codes_->use(alice_, codes[0], browser_).value().outcome, BackupCodeUse::rejected) << "reused";
  EXPECT_EQ(codes_->use(alice_, codes[1], browser_).value().remaining, 8);
  const auto mail = notifier_.sent();
  ASSERT_EQ(mail.size(), 2u);
  EXPECT_EQ(mail[0].to, "alice@example.com");
  EXPECT_NE(mail[0].subject.find("a backup code was used"), std::string::npos);
  EXPECT_NE(mail[0].text.find("9 backup codes left"), std::string::npos);
}

TEST_F(BackupCodesTest, RegeneratingVoidsTheOldSetAndMailsTheUser) {
  const auto old_codes = codes_->generate(alice_, false, browser_).value();
  const auto new_codes = codes_->generate(alice_, true, browser_).value();
  EXPECT_EQ(codes_->use(alice_, old_codes[3], browser_).value().outcome, BackupCodeUse::rejected);
  EXPECT_EQ(codes_->use(alice_, new_codes[3], browser_).value().outcome, BackupCodeUse::accepted);
  const auto mail = notifier_.sent();
  ASSERT_FALSE(mail.empty());
  EXPECT_NE(mail[0].subject.find("new backup codes"), std::string::npos);
}

TEST_F(BackupCodesTest, WrongCodesAreThrottledApartFromTotpCodes) {
  const auto codes = codes_->generate(alice_, false, browser_).value();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(codes_->use(alice_, "zzzzz-zzzzz", browser_).value().outcome, BackupCodeUse::rejected);
  }
  auto sixth = codes_->use(alice_, "zzzzz-zzzzz", browser_).value();
  EXPECT_EQ(sixth.outcome, BackupCodeUse::rejected);
  EXPECT_GT(sixth.retry_after.count(), 0);
  auto blocked = codes_->use(alice_, codes[0], browser_).value();
  EXPECT_EQ(blocked.outcome, BackupCodeUse::throttled) << "even the right code waits";
  EXPECT_EQ(codes_->remaining(alice_.id).value(), 10) << "and nothing was spent";
  EXPECT_FALSE(throttle_->retry_after(account_key(alice_.id, "otp")).value()) << "TOTP codes are not blocked";
  clock_.advance(2min);
  EXPECT_EQ(codes_->use(alice_, codes[0], browser_).value().outcome, BackupCodeUse::accepted);
}

TEST_F(BackupCodesTest, BlankFormsAreRefusedWithoutCounting) {
  const auto codes = codes_->generate(alice_, false, browser_).value();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(codes_->use(alice_, i % 2 ? "" : "  \n", browser_).value().outcome, BackupCodeUse::rejected);
  }
  EXPECT_FALSE(throttle_->retry_after(account_key(alice_.id, "backup")).value());
  EXPECT_EQ(codes_->use(alice_, codes[0], browser_).value().outcome, BackupCodeUse::accepted);
}

TEST_F(BackupCodesTest, TheSignInCodeStepTakesABackupCode) {
  auto devices = TrustedDevices(*devices_store_, *audit_, clock_, random_, std::chrono::days(7));
  LoginFlow flow(*accounts_, *factors_, *audit_, *throttle_, devices, clock_, {}, codes_.get());
  const auto codes = codes_->generate(alice_, false, browser_).value();
  auto step = flow.submit_code(alice_, codes[2], browser_).value();
  EXPECT_EQ(step.outcome, CodeStep::accepted);
  EXPECT_TRUE(step.by_backup_code);
  EXPECT_EQ(step.backup_codes_left, 9);
  EXPECT_EQ(flow.submit_code(alice_, codes[2], browser_).value().outcome, CodeStep::rejected);
}

// The per-address limit on TOTP codes (login_flow.hpp) leaves backup codes alone, so an owner
// who shares an address with a guesser still gets in with one.
TEST_F(BackupCodesTest, TheAddressLimitOnCodesDoesNotStopABackupCode) {
  auto devices = TrustedDevices(*devices_store_, *audit_, clock_, random_, std::chrono::days(7));
  LoginFlow flow(*accounts_, *factors_, *audit_, *throttle_, devices, clock_, {}, codes_.get());
  const auto codes = codes_->generate(alice_, false, browser_).value();
  const std::string by_address = address_key(browser_.client_address, "code");
  for (int i = 0; i <= flow.settings().code_per_address.free_failures; ++i) {
    (void)throttle_->failure(by_address, flow.settings().code_per_address).value();
  }
  EXPECT_EQ(flow.submit_code(alice_, "123456", browser_).value().outcome, CodeStep::throttled);
  const auto step = flow.submit_code(alice_, codes[0], browser_).value();
  EXPECT_EQ(step.outcome, CodeStep::accepted);
  EXPECT_TRUE(step.by_backup_code);
}

}  // namespace
}  // namespace tfa::auth
