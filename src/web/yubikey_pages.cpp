// YubiKeys in the console (seed 003): registering one by a touch, removing it, and the
// "Use your YubiKey" page of sign-in.
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/signed_in.hpp"

namespace tfa::web::handlers {
namespace {

constexpr std::string_view kReconfirmForYubiKey = "/profile/security/enable?next=yubikey";
constexpr std::string_view kOtpNotAccepted =
    "That YubiKey one-time password was not accepted. Touch your YubiKey again; if it keeps "
    "failing, ask your administrator whether this key is known to the server.";
constexpr std::string_view kOtpUsedBefore =
    "That one-time password was used before. Touch your YubiKey again.";
constexpr std::string_view kKeyTaken = "This YubiKey is already registered to an account.";

Result<bool> has_second_factor(Console& console, std::int64_t user_id) {
  return console.services().login.has_second_factor(user_id);
}

http::Response yubikey_page(Page& page, const SignedIn& who, bool first_factor, unsigned status,
                            std::string error, std::string label) {
  YubiKeyView view;
  view.layout = page.layout("Add a YubiKey", who.user.name);
  view.first_factor = first_factor;
  view.error = std::move(error);
  view.label = std::move(label);
  return page.html(status, render(view));
}

}  // namespace

}  // namespace tfa::web::handlers

namespace tfa::web {


}  // namespace tfa::web

namespace tfa::web::handlers {

Reply yubikey_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!console.services().sessions.recently_reauthenticated(*who->session)) {
    co_return page.redirect(std::string(kReconfirmForYubiKey));
  }
  auto on = has_second_factor(console, who->user.id);
  if (!on) co_return page.server_error(on.error());
  co_return yubikey_page(page, *who, !*on, 200, "", "");
}

Reply add_yubikey(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  if (!console.services().sessions.recently_reauthenticated(*who->session)) {
    co_return page.redirect(std::string(kReconfirmForYubiKey));
  }
  auto& throttle = console.services().throttle;
  const std::string key = auth::account_key(who->user.id, "enroll");
  auto wait = throttle.retry_after(key);
  if (!wait) co_return page.server_error(wait.error());
  if (*wait) co_return page.too_many_attempts(**wait);

  const std::string otp = page.field("otp");
  const std::string label = page.field("label");
  const auth::Actor actor = page.actor();
  const storage::User user = who->user;
  auto& yubikeys = console.services().yubikeys;
  // In remote mode this asks a validation server: off the I/O threads.
  auto added = co_await console.services().pool.run([&] { return yubikeys.add(user, otp, label, actor); });
  if (!added) co_return page.server_error(added.error());
  if (added->outcome != auth::YubiKeyAdded::added) {
    auto on = has_second_factor(console, who->user.id);
    if (!on) co_return page.server_error(on.error());
    if (added->outcome == auth::YubiKeyAdded::taken) {
      co_return yubikey_page(page, *who, !*on, 409, std::string(kKeyTaken), label);
    }
    (void)throttle.failure(key, console.services().login.settings().code_when_signed_in);
    co_return yubikey_page(page, *who, !*on, 400,
                           std::string(added->outcome == auth::YubiKeyAdded::replayed ? kOtpUsedBefore : kOtpNotAccepted),
                           label);
  }
  (void)throttle.success(key);
  if (added->first_factor) {
    // Seed 004: turning two-factor on comes with the backup codes, shown this once.
    auto codes = console.services().backup_codes.generate(who->user, false, actor);
    if (!codes) co_return page.server_error(codes.error());
    co_return backup_codes_page(page, who->user.name, *codes, console.settings().issuer, true,
                                console.settings().code_digits);
  }
  co_return page.redirect("/profile/security");
}

Reply remove_yubikey(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  if (!console.services().sessions.recently_reauthenticated(*who->session)) {
    co_return page.redirect("/profile/security/enable?next=manage");
  }
  const auto id = parse_id(page.field("factor"));
  if (!id) co_return page.error(400, "Bad request", "The YubiKey to remove is missing.");
  auto removed = console.services().yubikeys.remove(who->user, *id, page.actor());
  if (!removed) {
    if (removed.error().code == Errc::not_found) {
      co_return page.error(404, "YubiKey not found", "That YubiKey is not registered to your account.");
    }
    if (removed.error().code == Errc::conflict) {
      co_return page.error(409, "This is your only second factor", removed.error().message);
    }
    co_return page.server_error(removed.error());
  }
  co_return page.redirect("/profile/security/manage");
}

Reply yubikey_login_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (!signing_in(console, page)) co_return page.redirect("/login");
  CodeView view;
  view.layout = page.layout("Use your YubiKey");
  view.yubikey = true;
  view.has_yubikey = true;
  view.remember_days = static_cast<int>(console.services().devices.lifetime().count());
  co_return page.html(200, render(view));
}

}  // namespace tfa::web::handlers
