#include "app/open_database.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace tfa::app {
namespace {

TEST(OpenDatabase, RedactsPasswordsFromUrls) {
  EXPECT_EQ(redact_database_url("postgresql://tfa:s3cret@db:5432/tfa"), "postgresql://tfa:***@db:5432/tfa");
  EXPECT_EQ(redact_database_url("postgresql://tfa@db/tfa"), "postgresql://tfa@db/tfa");
  EXPECT_EQ(redact_database_url("sqlite:/var/lib/tfa/tfa.db"), "sqlite:/var/lib/tfa/tfa.db");
}

TEST(OpenDatabase, RefusesAnUnknownSchemeWithoutEchoingThePassword) {
  auto opened = open_database("mysql://root:s3cret@localhost/tfa", 1);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::invalid_argument);
  EXPECT_EQ(opened.error().message.find("s3cret"), std::string::npos);
}

TEST(OpenDatabase, AnUnreachableServerIsUnavailableAndSaysSoQuickly) {
  const auto start = std::chrono::steady_clock::now();
  auto opened = open_database("postgresql://tfa:s3cret@127.0.0.1:1/tfa", 1);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::unavailable);
  EXPECT_NE(opened.error().message.find("127.0.0.1:1"), std::string::npos) << opened.error().message;
  EXPECT_EQ(opened.error().message.find("s3cret"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
}

TEST(OpenDatabase, ASqliteFileInAMissingFolderIsUnavailable) {
  auto opened = open_database("sqlite:/nonexistent-folder/tfa.db", 1);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, Errc::unavailable);
  EXPECT_NE(opened.error().message.find("/nonexistent-folder/tfa.db"), std::string::npos);
}

}  // namespace
}  // namespace tfa::app
