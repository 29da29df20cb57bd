#include "api/json_io.hpp"

#include <gtest/gtest.h>

namespace tfa::api {
namespace {

http::Request json_request(std::string body, std::string content_type = "application/json") {
  http::Request request{http::bhttp::verb::post, "/api/v1/auth/login", 11};
  if (!content_type.empty()) request.set(http::bhttp::field::content_type, content_type);
  request.body() = std::move(body);
  return request;
}

TEST(ErrorResponse, TheSecondFactorBodyIsSeed002ByteForByte) {
  const auto response = error_response(401, kSecondFactorRequired, json_request(""));
  EXPECT_EQ(response.result_int(), 401u);
  EXPECT_EQ(response.body(),
            R"({"error": {"message": "Additional authentications steps required.", "code": 401, )"
            R"("identity": null, "title": "Unauthorized"}})");
  EXPECT_EQ(response[http::bhttp::field::content_type], "application/json");
  EXPECT_EQ(response[http::bhttp::field::www_authenticate], "Bearer realm=\"tfa\"");
}

TEST(ErrorResponse, OtherStatusesHaveNoIdentity) {
  const auto response = error_response(415, "nope", json_request(""));
  EXPECT_EQ(response.body(), R"({"error": {"message": "nope", "code": 415, "title": "Unsupported Media Type"}})");
  const auto throttled = throttled_response(std::chrono::seconds(30), json_request(""));
  EXPECT_EQ(throttled.result_int(), 429u);
  EXPECT_EQ(throttled[http::bhttp::field::retry_after], "30");
}

TEST(JsonResponse, StringsAreEscapedAsBoostJsonEscapesThem) {
  // Every byte value, in keys and in values, UTF-8 and a lone continuation byte included.
  json::object body;
  json::array texts;
  for (int byte = 0; byte < 256; ++byte) {
    const std::string text = "a" + std::string(1, static_cast<char>(byte)) + "z";
    texts.push_back(json::string(text));
    body["k" + std::to_string(byte) + text] = byte;
  }
  texts.push_back(json::string("caf\xc3\xa9 \xe2\x9c\x93"));
  body["texts"] = std::move(texts);
  body["flags"] = json::array{true, false, nullptr, std::int64_t{-9007199254740993}, std::int64_t{0}};
  const std::string written = json_response(200, body, json_request("")).body();
  // Each value as Boost.JSON writes it, with the spacing of seed 002.
  std::string expected = "{";
  bool first = true;
  for (const auto& member : body) {
    if (!first) expected += ", ";
    first = false;
    expected += json::serialize(json::string(member.key())) + ": ";
    if (member.value().is_array()) {
      expected += "[";
      bool first_element = true;
      for (const auto& element : member.value().get_array()) {
        if (!first_element) expected += ", ";
        first_element = false;
        expected += json::serialize(element);
      }
      expected += "]";
    } else {
      expected += json::serialize(member.value());
    }
  }
  expected += "}";
  EXPECT_EQ(written, expected);
}

TEST(JsonResponse, WhatItWritesParsesBackToTheSameValue) {
  json::object body;
  json::array texts;
  for (int byte = 0; byte < 128; ++byte) texts.push_back(json::string("a" + std::string(1, static_cast<char>(byte)) + "z"));
  texts.push_back(json::string("caf\xc3\xa9 \xe2\x9c\x93 \"quoted\" back\\slash"));
  body["texts"] = std::move(texts);
  body["nested"] = json::object{{"n", std::int64_t{-42}}, {"ok", true}, {"none", nullptr}};
  boost::system::error_code ec;
  const auto parsed = json::parse(json_response(200, body, json_request("")).body(), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(parsed, json::value(body));
}

TEST(ReadObject, AcceptsJsonObjectsOnly) {
  EXPECT_TRUE(read_object(json_request(R"({"a": 1})")));
  EXPECT_TRUE(read_object(json_request("{}", "Application/JSON; charset=UTF-8")));
  EXPECT_TRUE(read_object(json_request("{}", "application/json; charset=\"utf-8\"")));
  EXPECT_EQ(read_object(json_request("{}", "text/plain")).error().result_int(), 415u);
  EXPECT_EQ(read_object(json_request("{}", "")).error().result_int(), 415u);
  EXPECT_EQ(read_object(json_request("{}", "application/json; charset=latin1")).error().result_int(), 415u);
  EXPECT_EQ(read_object(json_request("{")).error().result_int(), 400u);
  EXPECT_EQ(read_object(json_request("[1]")).error().result_int(), 400u);
  EXPECT_EQ(read_object(json_request("")).error().result_int(), 400u);
  EXPECT_EQ(read_object(json_request(std::string("{\"a\":\"\0\"}", 9))).error().result_int(), 400u)
      << "a raw NUL inside a string is not JSON";
}

TEST(Fields, TypesAreChecked) {
  const auto request = json_request("");
  const json::object body = json::parse(R"({"s": "x", "n": 5, "big": 18446744073709551615, "f": 1.5, "nul": null})").as_object();
  EXPECT_EQ(required_string(body, "s", request).value(), "x");
  EXPECT_EQ(required_string(body, "n", request).error().result_int(), 400u);
  EXPECT_EQ(required_string(body, "missing", request).error().result_int(), 400u);
  EXPECT_FALSE(optional_string(body, "missing", request).value().has_value());
  EXPECT_FALSE(optional_string(body, "nul", request).value().has_value());
  EXPECT_EQ(optional_string(body, "n", request).error().result_int(), 400u);
  EXPECT_EQ(required_integer(body, "n", request).value(), 5);
  EXPECT_EQ(required_integer(body, "big", request).error().result_int(), 400u);
  EXPECT_EQ(required_integer(body, "f", request).error().result_int(), 400u);
  EXPECT_EQ(required_integer(body, "s", request).error().result_int(), 400u);
}

TEST(Times, RoundTripInRfc3339Utc) {
  const auto t = std::chrono::sys_seconds(std::chrono::seconds(1'700'000'000));
  EXPECT_EQ(format_time(t), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parse_time("2023-11-14T22:13:20Z"), t);
  EXPECT_FALSE(parse_time("2023-11-14 22:13:20"));
  EXPECT_FALSE(parse_time("2023-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_time("2023-11-14T22:13:20Z "));
  EXPECT_FALSE(parse_time(""));
}

TEST(Times, EveryRfc3339FormOfTheSameInstant) {
  const auto t = std::chrono::sys_seconds(std::chrono::seconds(1'700'000'000));
  for (const char* text : {"2023-11-14T22:13:20z", "2023-11-14t22:13:20Z", "2023-11-14T22:13:20.999Z",
                           "2023-11-14T22:13:20.5+00:00", "2023-11-14T23:43:20+01:30", "2023-11-14T17:13:20-05:00",
                           "2023-11-15T00:13:20+02:00"}) {
    EXPECT_EQ(parse_time(text), t) << text;
  }
  for (const char* text : {"2023-11-14T22:13:20", "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20+0100",
                           "2023-11-14T22:13:20+24:00", "2023-11-14T22:13:20+01:60", "2023-11-14T22:13:20 Z",
                           "2023-1-14T22:13:20Z", "2023-11-14T22:13:60Z", "2023-11-14X22:13:20Z"}) {
    EXPECT_FALSE(parse_time(text)) << text;
  }
}

}  // namespace
}  // namespace tfa::api
