#include "web/page.hpp"

#include <charconv>

#include <cctype>

#include "http/cookies.hpp"
#include "http/form.hpp"
#include "http/security_headers.hpp"
#include "http/server_failure.hpp"

namespace tfa::web {

Page::Page(auth::SessionService& sessions, http::Request& request, const http::ClientInfo& client)
    : sessions_(sessions), request_(request), client_(client),
      cookies_(http::parse_cookies(request[http::bhttp::field::cookie])) {}

Result<auth::WebSession*> Page::session() {
  if (!session_loaded_) {
    session_loaded_ = true;
    if (auto id = cookie(kSessionCookie)) {
      TFA_TRY(session_, sessions_.resume(*id));
    }
  }
  return session_ ? &*session_ : nullptr;
}

Result<auth::WebSession*> Page::session_or_start() {
  TFA_TRY(auto* existing, session());
  if (existing != nullptr) return existing;
  TFA_TRY(session_, sessions_.start(actor()));
  session_changed();
  return &*session_;
}

std::optional<http::Response> Page::advance_session(auth::WebSession& session, auth::Stage stage,
                                                   std::int64_t user_id) {
  auto advanced = sessions_.advance(session, stage, user_id);
  if (!advanced) {
    if (advanced.error().code == Errc::not_found) return redirect("/");
    return server_error(advanced.error());
  }
  session_changed();
  return std::nullopt;
}

void Page::end_session() {
  if (session_) (void)sessions_.end(*session_);
  session_.reset();
  session_ended_ = true;
}

Result<const std::map<std::string, std::string>*> Page::form() {
  if (!form_) {
    // The media type is what comes before any ';' parameters, compared without regard to case.
    std::string type(request_[http::bhttp::field::content_type]);
    type = type.substr(0, type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
    for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (type != "application/x-www-form-urlencoded") {
      return fail(Errc::invalid_argument, "expected a form (application/x-www-form-urlencoded)");
    }
    TFA_TRY(form_, http::parse_form(request_.body()));
  }
  return &*form_;
}

std::string Page::field(const std::string& name) {
  auto fields = form();
  if (!fields) return {};
  auto found = (*fields)->find(name);
  return found == (*fields)->end() ? std::string() : found->second;
}

std::string Page::query(const std::string& name) const {
  auto fields = http::parse_target_query(std::string_view(request_.target().data(), request_.target().size()));
  if (!fields) return {};
  auto found = fields->find(name);
  return found == fields->end() ? std::string() : found->second;
}

bool Page::csrf_ok() {
  auto current = session();
  if (!current || *current == nullptr || !form()) return false;
  return sessions_.csrf_matches(**current, field("csrf"));
}

std::optional<std::string> Page::cookie(std::string_view name) const {
  auto found = cookies_.find(std::string(name));
  if (found == cookies_.end()) return std::nullopt;
  return found->second;
}

void Page::set_device_cookie(const std::string& token, std::chrono::seconds max_age) {
  set_cookies_.push_back(http::set_cookie(std::string(kDeviceCookie), token,
                                          {.max_age = max_age, .secure = client_.tls}));
}

void Page::clear_device_cookie() {
  set_cookies_.push_back(http::set_cookie(std::string(kDeviceCookie), "",
                                          {.max_age = std::chrono::seconds(0), .secure = client_.tls}));
}

Layout Page::layout(std::string title, const std::string& username) {
  Layout layout;
  layout.title = std::move(title);
  layout.signed_in = !username.empty();
  layout.username = username;
  if (session_) layout.csrf = sessions_.csrf_token(*session_);
  return layout;
}

http::Response Page::finish(http::Response response) {
  if (session_ended_) {
    response.insert(http::bhttp::field::set_cookie,
                    http::set_cookie(std::string(kSessionCookie), "",
                                     {.max_age = std::chrono::seconds(0), .secure = client_.tls}));
  } else if (session_cookie_dirty_ && session_) {
    response.insert(http::bhttp::field::set_cookie,
                    http::set_cookie(std::string(kSessionCookie), session_->id, {.secure = client_.tls}));
  }
  for (const auto& cookie : set_cookies_) response.insert(http::bhttp::field::set_cookie, cookie);
  http::add_security_headers(response, {.allow_scripts = allow_script_});
  response.keep_alive(request_.keep_alive());
  response.prepare_payload();
  return response;
}

http::Response Page::html(unsigned status, std::string body) {
  http::Response response{static_cast<http::bhttp::status>(status), request_.version()};
  response.set(http::bhttp::field::content_type, "text/html; charset=utf-8");
  response.body() = std::move(body);
  return finish(std::move(response));
}

http::Response Page::redirect(std::string_view location) {
  // 303: after a POST the browser follows with a GET, so a reload never repeats the POST.
  http::Response response{http::bhttp::status::see_other, request_.version()};
  response.set(http::bhttp::field::location, location);
  return finish(std::move(response));
}

http::Response Page::error(unsigned status, std::string heading, std::string message) {
  ErrorView view;
  view.layout = layout(heading);
  view.status = status;
  view.heading = std::move(heading);
  view.message = std::move(message);
  return html(status, render(view));
}

http::Response Page::form_expired() {
  // A body that is not a well-formed form never reached the CSRF comparison: say so.
  if (request_.method() == http::bhttp::verb::post && !form()) {
    return error(400, "Bad request", "The form could not be read. Reload the page and try again.");
  }
  return error(403, "This form has expired", "Reload the page and try again.");
}

http::Response Page::server_error(const Error& cause) {
  http::log_server_failure(request_, cause);
  if (cause.code == Errc::validation_unavailable) {
    return error(503, "YubiKeys cannot be checked right now",
                 "The service that checks YubiKeys does not answer. Try again in a few minutes, "
                 "or use your authenticator app or a backup code.");
  }
  if (cause.code == Errc::unavailable) {
    auto response = error(503, "Briefly unavailable", "Please try again in a few seconds.");
    response.set(http::bhttp::field::retry_after, std::to_string(http::kRetryAfterUnavailable.count()));
    return response;
  }
  return error(500, "Something went wrong", "Please try again in a moment.");
}

http::Response Page::too_many_attempts(std::chrono::seconds retry_after) {
  auto response = error(429, "Too many attempts",
                        "Too many attempts. Try again in " + std::to_string(retry_after.count()) +
                            " seconds.");
  response.set(http::bhttp::field::retry_after, std::to_string(retry_after.count()));
  return response;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return id;
}

}  // namespace tfa::web
