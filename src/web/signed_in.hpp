#pragma once
// The user of a console request at a stage of sign-in: signed in, or between password and code.
#include <optional>

#include "web/console.hpp"
#include "web/page.hpp"

namespace tfa::web {

/// A session at a given stage of sign-in, and its user.
struct SessionUser {
  auth::WebSession* session;
  storage::User user;
};
using SignedIn = SessionUser;

/// The session's user when the session is at `stage` and the account is still enabled;
/// nullopt otherwise (the caller redirects to /login).
inline std::optional<SessionUser> session_user(Console& console, Page& page, auth::Stage stage) {
  auto session = page.session();
  if (!session || *session == nullptr || (*session)->stage() != stage) return std::nullopt;
  auto user = console.services().accounts.find_by_id(*(*session)->user_id());
  if (!user || user->disabled) return std::nullopt;
  return SessionUser{*session, std::move(*user)};
}

/// Past every sign-in step: the pages behind sign-in.
inline std::optional<SessionUser> signed_in(Console& console, Page& page) {
  return session_user(console, page, auth::Stage::signed_in);
}

/// Password given, code still to come: the code, backup code and recovery pages.
inline std::optional<SessionUser> signing_in(Console& console, Page& page) {
  return session_user(console, page, auth::Stage::second_factor);
}

/// The page that shows backup codes this once, after turning 2FA on (`just_enabled`, whose
/// text names the `code_digits` of the app's codes) or after "Regenerate backup codes"; with
/// Download, Copy and Print.
http::Response backup_codes_page(Page& page, const std::string& username,
                                 const std::vector<std::string>& codes, const std::string& issuer,
                                 bool just_enabled, int code_digits);

}  // namespace tfa::web
