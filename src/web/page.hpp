#pragma once
// One console request in progress: its session (resumed from the cookie or started), its
// form, the CSRF check, and the cookies and headers of the response being built.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/session_service.hpp"
#include "http/types.hpp"
#include "web/views.hpp"

namespace tfa::web {

inline constexpr std::string_view kSessionCookie = "tfa_session";
inline constexpr std::string_view kDeviceCookie = "tfa_device";
/// Seed 001: a wrong code hints at the phone's clock.
inline constexpr std::string_view kWrongCodeMessage =
    "That code is not valid. Check that the date and time on your phone are correct.";

class Page {
 public:
  Page(auth::SessionService& sessions, http::Request& request, const http::ClientInfo& client);

  /// The session named by the cookie, if valid (looked up once).
  Result<auth::WebSession*> session();
  /// The session, or a new anonymous one (whose cookie the response will set).
  Result<auth::WebSession*> session_or_start();
  /// After a change of stage (new id) or a new session: the response must carry the cookie.
  void session_changed() { session_cookie_dirty_ = true; }
  /// Moves `session` to `stage` for `user_id` under a new id, which the response's cookie
  /// carries. Nullopt when done; otherwise the answer to give instead: a redirect to "/" when
  /// another request of this browser (a double click) moved or ended the session first, so
  /// that "/" shows where the browser stands now; server_error for anything else.
  std::optional<http::Response> advance_session(auth::WebSession& session, auth::Stage stage,
                                                std::int64_t user_id);
  void end_session();

  /// The form fields of a POST. Fails (400) for a malformed body or wrong content type.
  Result<const std::map<std::string, std::string>*> form();
  std::string field(const std::string& name);
  /// A parameter of the request target's query string; "" when absent or malformed.
  std::string query(const std::string& name) const;
  /// The CSRF token in the form matches the session's. False without a session.
  bool csrf_ok();

  std::optional<std::string> cookie(std::string_view name) const;
  void set_device_cookie(const std::string& token, std::chrono::seconds max_age);
  void clear_device_cookie();

  auth::Actor actor() const { return {client_.address, client_.user_agent}; }
  Layout layout(std::string title, const std::string& username = {});
  /// The response may load /static/console.js (the backup codes page's Copy and Print).
  void allow_script() { allow_script_ = true; }

  http::Response html(unsigned status, std::string body);
  http::Response redirect(std::string_view location);
  http::Response error(unsigned status, std::string heading, std::string message);
  http::Response too_many_attempts(std::chrono::seconds retry_after);
  /// 403 for a POST whose CSRF token is missing or wrong; nothing was changed.
  http::Response form_expired();
  /// The page for a failure that is not the user's doing; the cause goes to the server's log,
  /// not in front of the user. A YubiKey validation server that gives no trustworthy answer is
  /// a 503 that says so and names the other factors; a database that is locked or cannot be
  /// reached (`Errc::unavailable`) a 503 with Retry-After; anything else a 500.
  http::Response server_error(const Error& cause);

 private:
  http::Response finish(http::Response response);

  auth::SessionService& sessions_;
  http::Request& request_;
  const http::ClientInfo& client_;
  std::map<std::string, std::string> cookies_;
  bool session_loaded_ = false;
  std::optional<auth::WebSession> session_;
  bool session_cookie_dirty_ = false;
  bool session_ended_ = false;
  bool allow_script_ = false;
  std::optional<std::map<std::string, std::string>> form_;
  std::vector<std::string> set_cookies_;
};

/// A form field that names a row by its id ("42"): the number, or nullopt for anything else.
std::optional<std::int64_t> parse_id(std::string_view text);

}  // namespace tfa::web
