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

/// The data: URL behind "Download": the codes as a text file, made without a request, so the
/// codes never travel again once the page is shown.
std::string backup_codes_download(const std::vector<std::string>& codes, const std::string& issuer,
                                  const std::string& account);

}  // namespace tfa::web
