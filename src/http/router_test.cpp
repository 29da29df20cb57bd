#include "http/router.hpp"

#include <optional>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace tfa::http {
namespace {

using bhttp::verb;

/// Runs `handler` on `request` to completion and returns its response.
Response call(const Handler& handler, Request request) {
  net::io_context io;
  ClientInfo client{.address = "127.0.0.1"};
  std::optional<Response> response;
  net::co_spawn(io, handler(request, client), [&](std::exception_ptr e, Response r) {
    if (e) std::rethrow_exception(e);
    response = std::move(r);
  });
  io.run();
  return std::move(*response);
}

Response call(const Handler& handler, verb method, std::string target) {
  return call(handler, Request{method, target, 11});
}

Handler reply(std::string body) {
  return [body](Request& request, const ClientInfo&) -> net::awaitable<Response> {
    co_return text_response(200, body, request);
  };
}

Router sample() {
  Router router;
  router.add(verb::get, "/login", reply("login form"));
  router.add(verb::post, "/login", reply("login post"));
  router.add(verb::get, "/", reply("home"));
  return router;
}

TEST(Router, DispatchesByMethodAndPath) {
  const Handler handler = sample().handler();
  EXPECT_EQ(call(handler, verb::get, "/login").body(), "login form");
  EXPECT_EQ(call(handler, verb::post, "/login").body(), "login post");
  EXPECT_EQ(call(handler, verb::get, "/").body(), "home");
}

TEST(Router, IgnoresTheQueryString) {
  EXPECT_EQ(call(sample().handler(), verb::get, "/login?next=/x").body(), "login form");
}

TEST(Router, UnknownPathIs404) {
  const Handler handler = sample().handler();
  for (const char* target : {"/nope", "/login/", "/LOGIN", "/%6Cogin", "//login"}) {
    const Response response = call(handler, verb::get, target);
    EXPECT_EQ(response.result_int(), 404u) << target;
    EXPECT_EQ(response[bhttp::field::content_type], "text/plain; charset=utf-8");
  }
}

TEST(Router, OtherMethodIs405WithAllow) {
  const Handler handler = sample().handler();
  const Response response = call(handler, verb::delete_, "/login");
  EXPECT_EQ(response.result_int(), 405u);
  EXPECT_EQ(response[bhttp::field::allow], "GET, HEAD, POST");
  EXPECT_EQ(call(handler, verb::post, "/")[bhttp::field::allow], "GET, HEAD");
}

TEST(Router, HeadIsServedByTheGetRoute) {
  const Handler handler = sample().handler();
  const Response head = call(handler, verb::head, "/login");
  const Response get = call(handler, verb::get, "/login");
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_EQ(head.body(), get.body());  // the session, not the router, drops the body
  EXPECT_EQ(call(handler, verb::head, "/nope").result_int(), 404u);
}

TEST(Router, UnknownMethodIs405) {
  Request request{verb::get, "/login", 11};
  request.method_string("BREW");
  ASSERT_EQ(request.method(), verb::unknown);
  const Response response = call(sample().handler(), std::move(request));
  EXPECT_EQ(response.result_int(), 405u);
  EXPECT_EQ(response[bhttp::field::allow], "GET, HEAD, POST");
}

TEST(Router, ErrorResponderBuildsTheErrorPages) {
  Router router = sample();
  router.set_error_responder([](const Request& request, unsigned status) {
    Response response{static_cast<bhttp::status>(status), request.version()};
    response.set(bhttp::field::content_type, "text/html; charset=utf-8");
    response.body() = "<h1>" + std::to_string(status) + "</h1>";
    return response;
  });
  const Handler handler = router.handler();
  EXPECT_EQ(call(handler, verb::get, "/missing").body(), "<h1>404</h1>");
  const Response response = call(handler, verb::put, "/login");
  EXPECT_EQ(response.body(), "<h1>405</h1>");
  EXPECT_EQ(response[bhttp::field::allow], "GET, HEAD, POST");
}

TEST(Router, HandlerOutlivesTheRouterAndIgnoresLaterRoutes) {
  Handler handler;
  {
    Router router = sample();
    handler = router.handler();
    router.add(verb::get, "/later", reply("later"));
  }
  EXPECT_EQ(call(handler, verb::get, "/").body(), "home");
  EXPECT_EQ(call(handler, verb::get, "/later").result_int(), 404u);
}

TEST(Router, RejectsDuplicateAndMalformedRoutes) {
  Router router = sample();
  EXPECT_THROW(router.add(verb::get, "/login", reply("again")), std::logic_error);
  EXPECT_THROW(router.add(verb::get, "login", reply("x")), std::invalid_argument);
  EXPECT_THROW(router.add(verb::get, "/a?b", reply("x")), std::invalid_argument);
  EXPECT_THROW(router.add(verb::unknown, "/b", reply("x")), std::invalid_argument);
}

TEST(Router, AnIdSegmentMatchesOneLastSegmentWhenNoExactRouteDoes) {
  Router router;
  router.add(verb::delete_, "/keys/{id}", [](Request& request, const ClientInfo&) -> net::awaitable<Response> {
    co_return text_response(200, "key " + std::string(last_segment(request)), request);
  });
  router.add(verb::get, "/keys/list", reply("the list"));
  const auto handler = router.handler();
  EXPECT_EQ(call(handler, verb::delete_, "/keys/7").body(), "key 7");
  EXPECT_EQ(call(handler, verb::delete_, "/keys/7?x=1").body(), "key 7") << "the query is not the id";
  EXPECT_EQ(call(handler, verb::get, "/keys/list").body(), "the list") << "exact routes come first";
  EXPECT_EQ(call(handler, verb::get, "/keys/7").result_int(), 405u);
  EXPECT_EQ(call(handler, verb::delete_, "/keys/").result_int(), 404u) << "an empty segment is no id";
  EXPECT_EQ(call(handler, verb::delete_, "/keys/7/x").result_int(), 404u) << "one segment only";
  EXPECT_EQ(call(handler, verb::delete_, "/keys").result_int(), 404u);
}

TEST(Router, TheLongestPrefixChoosesTheErrorResponder) {
  Router router = sample();
  auto tagged = [](std::string tag) {
    return [tag](const Request& request, unsigned status) {
      return text_response(status, tag, request);
    };
  };
  router.set_error_responder(tagged("html"));
  router.set_error_responder("/api/", tagged("json"));
  router.set_error_responder("/api/v2/", tagged("v2"));
  const auto handler = router.handler();
  EXPECT_EQ(call(handler, verb::get, "/nothing").body(), "html");
  EXPECT_EQ(call(handler, verb::get, "/api/v1/nothing").body(), "json");
  EXPECT_EQ(call(handler, verb::get, "/api/v2/x").body(), "v2");
  EXPECT_EQ(call(handler, verb::get, "/api").body(), "html");
}

}  // namespace
}  // namespace tfa::http
