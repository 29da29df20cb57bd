// "Change password" for a signed-in user. The current password is asked for even though the
// session is signed in: a browser left open must not let anyone take the account over.
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/signed_in.hpp"

namespace tfa::web::handlers {
namespace {

enum class Field { none, current, replacement };

http::Response password_page(Page& page, const SignedIn& who, unsigned status, std::string error,
                             Field wrong = Field::none) {
  ChangePasswordView view;
  view.layout = page.layout("Change password", who.user.name);
  view.error = std::move(error);
  view.wrong_current = wrong == Field::current;
  view.bad_new = wrong == Field::replacement;
  return page.html(status, render(view));
}

}  // namespace

Reply change_password_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  co_return password_page(page, *who, 200, "");
}

Reply change_password(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  const std::string current = page.field("current_password");
  const std::string replacement = page.field("new_password");
  // Told apart before anything is checked, so a typo costs no attempt against the limit.
  if (replacement != page.field("new_password_again")) {
    co_return password_page(page, *who, 400, "The new passwords do not match.", Field::replacement);
  }
  const storage::User user = who->user;
  const auth::Actor actor = page.actor();
  auto& changer = console.services().password_changer;
  auto changed = co_await console.services().pool.run(
      [&] { return changer.change(user, current, replacement, actor); });
  if (!changed) co_return page.server_error(changed.error());
  switch (changed->outcome) {
    case auth::PasswordChange::throttled:
      co_return page.too_many_attempts(changed->retry_after);
    case auth::PasswordChange::wrong_password:
      co_return password_page(page, *who, 401, "Your current password is incorrect.", Field::current);
    case auth::PasswordChange::rejected:
      co_return password_page(page, *who, 400, changed->problem, Field::replacement);
    case auth::PasswordChange::changed:
      break;
  }
  // Every session of the account, this one included, has ended: sign in again. The notice is
  // a fixed text chosen by a query parameter, so a link can show it but say nothing else.
  page.end_session();
  co_return page.redirect("/login?changed=password");
}

}  // namespace tfa::web::handlers
