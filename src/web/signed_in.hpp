#pragma once
// The signed-in user of a console request, for the pages behind sign-in.
#include <optional>

#include "web/console.hpp"
#include "web/page.hpp"

namespace tfa::web {

struct SignedIn {
  auth::WebSession* session;
  storage::User user;
};

/// The session's user when the session has passed every sign-in step and the account is
/// still enabled; nullopt otherwise (the caller redirects to /login).
inline std::optional<SignedIn> signed_in(Console& console, Page& page) {
  auto session = page.session();
  if (!session || *session == nullptr || (*session)->stage() != auth::Stage::signed_in) return std::nullopt;
  auto user = console.services().accounts.find_by_id(*(*session)->user_id());
  if (!user || user->disabled) return std::nullopt;
  return SignedIn{*session, std::move(*user)};
}

/// The page that shows backup codes this once, after turning 2FA on (`just_enabled`) or
/// after "Regenerate backup codes"; with Download, Copy and Print.
http::Response backup_codes_page(Page& page, const std::string& username,
                                 const std::vector<std::string>& codes, const std::string& issuer,
                                 bool just_enabled);

}  // namespace tfa::web
