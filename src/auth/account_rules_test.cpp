#include "auth/account_rules.hpp"

#include <gtest/gtest.h>

namespace tfa::auth {
namespace {

TEST(AccountRules, AcceptsOrdinaryNames) {
  for (std::string_view name : {"alice", "Bob.Smith", "ops-team_2", "a@example.com", "x+y"}) {
    EXPECT_TRUE(check_user_name(name).has_value()) << name;
  }
}

TEST(AccountRules, RejectsEmptyLongAndOddNames) {
  EXPECT_FALSE(check_user_name("").has_value());
  EXPECT_FALSE(check_user_name(std::string(65, 'a')).has_value());
  EXPECT_TRUE(check_user_name(std::string(64, 'a')).has_value());
  for (std::string_view name : {"a b", "a:b", "a/b", "ä", "a\nb", "<script>"}) {
    EXPECT_FALSE(check_user_name(name).has_value()) << name;
  }
}

TEST(AccountRules, ChecksTheShapeOfEmailAddresses) {
  EXPECT_TRUE(check_email("alice@example.com").has_value());
  EXPECT_TRUE(check_email("josé@exämple.com").has_value());
  for (std::string_view email : {"", "alice", "@example.com", "alice@", "a@b@c", "a b@c.d",
                                 "a@b.c\r\nBcc: x@y.z", "<a@b.c>", "\"alice\"@example.com",
                                 "al\\ice@example.com", "alice@example.com.", "a\xFF@example.com",
                                 "alice(work)@example.com", "alice@(x)example.com"}) {
    EXPECT_FALSE(check_email(email).has_value()) << email;
  }
  EXPECT_FALSE(check_email(std::string(250, 'a') + "@b.cd").has_value());
}

TEST(AccountRules, CountsPasswordLengthInCharactersNotBytes) {
  EXPECT_FALSE(check_password("1234567", 8).has_value());
  EXPECT_TRUE(check_password("12345678", 8).has_value());
  EXPECT_FALSE(check_password("äöüäöüä", 8).has_value()) << "7 characters in 14 bytes";
  EXPECT_FALSE(check_password(std::string(1025, 'a'), 8).has_value());
  auto error = check_password("short", 8);
  EXPECT_NE(error.error().message.find("at least 8 characters"), std::string::npos);
}

}  // namespace
}  // namespace tfa::auth
