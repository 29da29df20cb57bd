#include "http/security_headers.hpp"

#include <gtest/gtest.h>

namespace tfa::http {
namespace {

constexpr const char* kPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

TEST(SecurityHeaders, SetsTheStrictPolicyAndFriends) {
  Response response{bhttp::status::ok, 11};
  add_security_headers(response);
  EXPECT_EQ(response["Content-Security-Policy"], kPolicy);
  EXPECT_EQ(response[bhttp::field::x_frame_options], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Cross-Origin-Opener-Policy"], "same-origin");
  EXPECT_EQ(response[bhttp::field::cache_control], "no-store");
}

TEST(SecurityHeaders, AllowsOwnScriptsOnlyWhenAsked) {
  Response response{bhttp::status::ok, 11};
  add_security_headers(response, {.allow_scripts = true});
  EXPECT_EQ(response["Content-Security-Policy"], std::string(kPolicy) + "; script-src 'self'");
}

TEST(SecurityHeaders, KeepsACacheControlAlreadySet) {
  Response response{bhttp::status::ok, 11};
  response.set(bhttp::field::cache_control, "public, max-age=3600");
  add_security_headers(response);
  EXPECT_EQ(response[bhttp::field::cache_control], "public, max-age=3600");
}

TEST(SecurityHeaders, ReplacesWeakerValuesAndDoesNotDuplicate) {
  Response response{bhttp::status::ok, 11};
  response.set(bhttp::field::x_frame_options, "SAMEORIGIN");
  add_security_headers(response);
  add_security_headers(response);
  EXPECT_EQ(response[bhttp::field::x_frame_options], "DENY");
  EXPECT_EQ(std::distance(response.equal_range("Content-Security-Policy").first,
                          response.equal_range("Content-Security-Policy").second),
            1);
}

TEST(TextResponse, IsPlainTextWithTheHeadersAndLength) {
  Request request{bhttp::verb::get, "/healthz", 10};
  const Response response = text_response(200, "ok", request);
  EXPECT_EQ(response.version(), 10u);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(response[bhttp::field::content_type], "text/plain; charset=utf-8");
  EXPECT_EQ(response[bhttp::field::content_length], "2");
  EXPECT_EQ(response["Content-Security-Policy"], kPolicy);
  EXPECT_EQ(response.body(), "ok");
}

}  // namespace
}  // namespace tfa::http
