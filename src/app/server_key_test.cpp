#include "app/server_key.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "app/open_database.hpp"
#include "crypto/os_random.hpp"
#include "storage/sql/migrator.hpp"
#include "storage/sql/sql_factor_store.hpp"
#include "storage/sql/sql_user_store.hpp"

namespace tfa::app {
namespace {

namespace fs = std::filesystem;

class ServerKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("tfa_key_" + std::to_string(::getpid()) + "_" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  unsigned mode_of(const fs::path& file) {
    struct stat info {};
    ::stat(file.c_str(), &info);
    return info.st_mode & 0777;
  }

  fs::path folder_;
  fs::path key_ = folder_ / "secret.key";
  crypto::OsRandom random_;
};

TEST_F(ServerKeyTest, CreatesAKeyFileReadableOnlyByItsOwnerOnFirstStart) {
  key_ = folder_ / "secret.key";
  ASSERT_TRUE(load_server_key(key_, true, random_).has_value());
  ASSERT_TRUE(fs::exists(key_));
  EXPECT_EQ(mode_of(key_), 0600u);
  std::ifstream in(key_);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text.size(), 64u);
  EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_F(ServerKeyTest, LoadsTheSameKeyAgain) {
  key_ = folder_ / "secret.key";
  const auto first = load_server_key(key_, true, random_).value();
  const auto second = load_server_key(key_, true, random_).value();
  EXPECT_EQ(first.primary_key_id(), second.primary_key_id());
}

TEST_F(ServerKeyTest, AMissingKeyIsAnErrorWhenNotAskedToCreateIt) {
  key_ = folder_ / "secret.key";
  auto loaded = load_server_key(key_, false, random_);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().message.find(key_.string()), std::string::npos);
}

TEST_F(ServerKeyTest, RefusesAKeyFileOthersCanRead) {
  key_ = folder_ / "secret.key";
  ASSERT_TRUE(load_server_key(key_, true, random_).has_value());
  ::chmod(key_.c_str(), 0644);
  auto loaded = load_server_key(key_, true, random_);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, Errc::invalid_argument);
  EXPECT_NE(loaded.error().message.find("mode 0644"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("chmod 600"), std::string::npos);
}

TEST_F(ServerKeyTest, RefusesAKeyFileWithTheWrongContent) {
  key_ = folder_ / "secret.key";
  for (const std::string& content : std::vector<std::string>{"", "abc\n", std::string(64, 'g') + "\n", std::string(66, 'a')}) {
    fs::remove(key_);
    { std::ofstream(key_) << content; }
    ::chmod(key_.c_str(), 0600);
    auto loaded = load_server_key(key_, true, random_);
    ASSERT_FALSE(loaded.has_value()) << content;
    EXPECT_NE(loaded.error().message.find("64 hexadecimal digits"), std::string::npos);
  }
}

TEST_F(ServerKeyTest, RotationResealsEverySecretAndReplacesTheKey) {
  key_ = folder_ / "secret.key";
  auto database = open_database("sqlite:" + (folder_ / "tfa.db").string(), 2).value();
  ASSERT_TRUE(storage::sql::migrate(*database, std::chrono::system_clock::now()));
  const auto old_sealer = load_server_key(key_, true, random_).value();
  storage::sql::SqlUserStore users(*database);
  storage::sql::SqlFactorStore factors(*database, old_sealer, random_);
  const auto user = users.create_user({"alice", "a@example.com", "h"}, storage::from_unix(1)).value();
  const auto secret = SecretBytes::copy_of(std::vector<std::uint8_t>{1, 2, 3, 4});
  storage::NewFactor factor;
  factor.user_id = user.id;
  factor.secret = &secret;
  const auto id = factors.add_factor(factor, storage::from_unix(1)).value();

  const auto rotation = rotate_server_key(key_, *database, random_).value();
  EXPECT_EQ(rotation.resealed, 1);
  EXPECT_EQ(rotation.old_key_id, old_sealer.primary_key_id());
  EXPECT_NE(rotation.new_key_id, rotation.old_key_id);
  EXPECT_FALSE(fs::exists(key_.string() + ".new"));
  EXPECT_EQ(mode_of(key_), 0600u);

  const auto new_sealer = load_server_key(key_, false, random_).value();
  EXPECT_EQ(new_sealer.primary_key_id(), rotation.new_key_id);
  storage::sql::SqlFactorStore under_new(*database, new_sealer, random_);
  EXPECT_TRUE(under_new.find_factor(id).value()->secret == secret);
  EXPECT_FALSE(factors.find_factor(id).has_value()) << "the old key no longer opens it";
}

TEST_F(ServerKeyTest, AnInterruptedRotationStillOpensEverythingAndCanBeCompleted) {
  key_ = folder_ / "secret.key";
  auto database = open_database("sqlite:" + (folder_ / "tfa.db").string(), 2).value();
  ASSERT_TRUE(storage::sql::migrate(*database, std::chrono::system_clock::now()));
  const auto old_sealer = load_server_key(key_, true, random_).value();
  storage::sql::SqlUserStore users(*database);
  storage::sql::SqlFactorStore factors(*database, old_sealer, random_);
  const auto user = users.create_user({"alice", "a@example.com", "h"}, storage::from_unix(1)).value();
  const auto secret = SecretBytes::copy_of(std::vector<std::uint8_t>{9, 9, 9});
  storage::NewFactor factor;
  factor.user_id = user.id;
  factor.secret = &secret;
  const auto id = factors.add_factor(factor, storage::from_unix(1)).value();

  // Simulate a crash after the re-sealing transaction committed but before the rename:
  // complete a rotation, then put the old key back as the file and the new one as ".new".
  const fs::path saved_old = folder_ / "old.key";
  fs::copy_file(key_, saved_old);
  ASSERT_TRUE(rotate_server_key(key_, *database, random_).has_value());
  fs::rename(key_, key_.string() + ".new");
  fs::rename(saved_old, key_);

  const auto both = load_server_key(key_, false, random_).value();
  storage::sql::SqlFactorStore during(*database, both, random_);
  EXPECT_TRUE(during.find_factor(id).value()->secret == secret);

  ASSERT_TRUE(rotate_server_key(key_, *database, random_).has_value()) << "completes it";
  EXPECT_FALSE(fs::exists(key_.string() + ".new"));
  const auto after = load_server_key(key_, false, random_).value();
  storage::sql::SqlFactorStore finished(*database, after, random_);
  EXPECT_TRUE(finished.find_factor(id).value()->secret == secret);
}

}  // namespace
}  // namespace tfa::app
