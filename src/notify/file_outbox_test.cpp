// FileOutbox: one complete .eml file per message, private to the owner.
#include "notify/file_outbox.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <set>

#include "notify/message_id.hpp"
#include "notify/notify_test_support.hpp"
#include "notify/transport.hpp"

namespace tfa::notify {
namespace {

namespace fs = std::filesystem;

class FileOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tfa-outbox-test-" + detail::random_hex(6));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<fs::path> files(const fs::path& folder) const {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(folder)) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static unsigned mode_of(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }

  fs::path dir_;
};

const Message kMessage{.to = "bob@example.com",
                       .subject = "tfa test message",
                       .text = "It works.",
                       .html = "<p>It works.</p>"};

TEST_F(FileOutboxTest, CreatesAPrivateFolderWithItsParents) {
  const fs::path folder = dir_ / "data" / "outbox";
  auto outbox = FileOutbox::create(folder, "tfa <tfa@auth.example.com>");
  ASSERT_TRUE(outbox.has_value()) << outbox.error().message;
  EXPECT_TRUE(fs::is_directory(folder));
  EXPECT_EQ(mode_of(folder), 0700u);
  EXPECT_EQ(mode_of(dir_ / "data"), 0700u);
  // An existing folder is fine.
  EXPECT_TRUE(FileOutbox::create(folder, "tfa@x.org").has_value());
}

TEST_F(FileOutboxTest, WritesOneCompleteFileWithModeOwnerOnly) {
  auto outbox = FileOutbox::create(dir_, "tfa <tfa@auth.example.com>");
  ASSERT_TRUE(outbox.has_value()) << outbox.error().message;
  ::umask(0);  // a permissive umask must not widen the file's mode
  auto sent = outbox->send(kMessage);
  ::umask(022);
  ASSERT_TRUE(sent.has_value()) << sent.error().message;

  const auto written = files(dir_);
  ASSERT_EQ(written.size(), 1u) << "no temporary file is left behind";
  const std::string name = written[0].filename().string();
  EXPECT_TRUE(std::regex_match(name, std::regex(R"(\d{8}T\d{6}Z-[0-9a-f]{6}\.eml)"))) << name;
  EXPECT_EQ(mode_of(written[0]), 0600u);

  const std::string text = read(written[0]);
  EXPECT_TRUE(test::only_crlf(text));
  auto parsed = test::parse(text);
  EXPECT_EQ(parsed.headers["From"], "tfa <tfa@auth.example.com>");
  EXPECT_EQ(parsed.headers["To"], "bob@example.com");
  EXPECT_EQ(parsed.headers["Subject"], "tfa test message");
  EXPECT_TRUE(std::regex_match(parsed.headers["Message-ID"],
                               std::regex(R"(<[0-9a-f]{32}@auth\.example\.com>)")))
      << parsed.headers["Message-ID"];
  EXPECT_TRUE(parsed.headers["Date"].ends_with(" +0000"));
  ASSERT_EQ(parsed.parts.size(), 2u);
  EXPECT_EQ(test::base64_decode(parsed.parts[0].body), "It works.");
  EXPECT_EQ(test::base64_decode(parsed.parts[1].body), "<p>It works.</p>");
}

TEST_F(FileOutboxTest, EveryMessageGetsItsOwnFileAndId) {
  auto outbox = FileOutbox::create(dir_, "tfa@auth.example.com");
  ASSERT_TRUE(outbox.has_value());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(outbox->send(kMessage).has_value());
  const auto written = files(dir_);
  ASSERT_EQ(written.size(), 20u);
  std::set<std::string> ids;
  for (const auto& path : written) ids.insert(test::parse(read(path)).headers["Message-ID"]);
  EXPECT_EQ(ids.size(), 20u);
}

TEST_F(FileOutboxTest, RefusesAnInjectedHeaderAndWritesNothing) {
  auto outbox = FileOutbox::create(dir_, "tfa@x.org");
  ASSERT_TRUE(outbox.has_value());
  Message m = kMessage;
  m.subject = "hi\r\nBcc: eve@example.com";
  auto sent = outbox->send(m);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code, Errc::invalid_argument);
  EXPECT_TRUE(files(dir_).empty());
}

TEST_F(FileOutboxTest, RefusesABadSenderOrAFileInPlaceOfTheFolder) {
  EXPECT_FALSE(FileOutbox::create(dir_, "").has_value());
  EXPECT_FALSE(FileOutbox::create(dir_, "tfa@x.org\r\nBcc: eve@x.org").has_value());
  fs::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  auto outbox = FileOutbox::create(dir_ / "file", "tfa@x.org");
  ASSERT_FALSE(outbox.has_value());
  EXPECT_EQ(outbox.error().code, Errc::internal);
}

TEST_F(FileOutboxTest, TransportIsTheOutboxWithoutAnSmtpUrl) {
  MailTransportSettings settings;
  settings.outbox = dir_ / "outbox";
  auto transport = make_transport(settings);
  ASSERT_TRUE(transport.has_value()) << transport.error().message;
  ASSERT_TRUE((*transport)->send(kMessage).has_value());
  EXPECT_EQ(files(dir_ / "outbox").size(), 1u);
  EXPECT_EQ(test::parse(read(files(dir_ / "outbox")[0])).headers["From"], "tfa <tfa@localhost>");
}

}  // namespace
}  // namespace tfa::notify
