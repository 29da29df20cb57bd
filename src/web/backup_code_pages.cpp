// Backup codes and turning 2FA off (seed 004): signing in with a backup code, "Manage
// two-factor authentication" after the password re-confirmation, "Regenerate backup codes"
// and "Disable two-factor authentication".
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/utc_time.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/signed_in.hpp"

namespace tfa::web {

namespace {

/// The data: URL behind "Download": the codes as a text file, made without a request, so the
/// codes never travel again once the page is shown.
std::string backup_codes_download(const std::vector<std::string>& codes, const std::string& issuer,
                                  const std::string& account) {
  std::string text = "Backup codes for " + account + " at " + issuer + "\r\n";
  text += "Each code works once. Keep them somewhere safe.\r\n\r\n";
  for (const auto& code : codes) text += code + "\r\n";
  return "data:text/plain;charset=utf-8," + boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace

http::Response backup_codes_page(Page& page, const std::string& username,
                                 const std::vector<std::string>& codes, const std::string& issuer,
                                 bool just_enabled, int code_digits) {
  BackupCodesView view;
  view.code_digits = code_digits;
  view.layout = page.layout(just_enabled ? "Two-factor authentication is enabled" : "New backup codes", username);
  view.just_enabled = just_enabled;
  view.codes = codes;
  view.download_href = backup_codes_download(codes, issuer, username);
  page.allow_script();  // Copy and Print
  return page.html(200, render(view));
}

namespace handlers {
namespace {

// Manage two-factor authentication, and what it leads to, need the password from the last few
// minutes; without it they send the user to the password page, which comes back here.
constexpr std::string_view kReconfirmForManage = "/profile/security/enable?next=manage";

bool reconfirmed(Console& console, const SignedIn& who) {
  return console.services().sessions.recently_reauthenticated(*who.session);
}

constexpr std::string_view kWrongBackupCode = "That backup code is not valid, or it has been used already.";

http::Response backup_login_page(Page& page, unsigned status, std::string error) {
  CodeView view;
  view.layout = page.layout("Use a backup code");
  view.backup = true;
  view.error = std::move(error);
  return page.html(status, render(view));
}

http::Response manage_page(Console& console, Page& page, const SignedIn& who, unsigned status,
                           std::string error) {
  auto left = console.services().backup_codes.remaining(who.user.id);
  if (!left) return page.server_error(left.error());
  ManageView view;
  view.layout = page.layout("Manage two-factor authentication", who.user.name);
  view.error = std::move(error);
  view.backup_codes_left = *left;
  auto factors = console.services().factors.factor_list_of(who.user.id);
  if (!factors) return page.server_error(factors.error());
  for (const auto& factor : *factors) {
    if (factor.kind != storage::FactorKind::yubico || factor.status != storage::FactorStatus::confirmed) continue;
    view.yubikeys.push_back({factor.id, factor.label, factor.public_id.value_or(""), format_utc_minute(factor.created_at),
                             factor.last_used_at ? format_utc_minute(*factor.last_used_at) : ""});
  }
  return page.html(status, render(view));
}

}  // namespace

Reply backup_login_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (!signing_in(console, page)) co_return page.redirect("/login");
  co_return backup_login_page(page, 200, "");
}

Reply backup_login(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signing_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  const std::string code = page.field("code");
  // Only backup codes here: a TOTP code typed into this form is refused like a wrong one,
  // and counts towards the backup-code throttle.
  auto used = console.services().backup_codes.use(who->user, code, page.actor());
  if (!used) co_return page.server_error(used.error());
  if (used->outcome == auth::BackupCodeUse::throttled) co_return page.too_many_attempts(used->retry_after);
  if (used->outcome == auth::BackupCodeUse::rejected) {
    co_return backup_login_page(page, 401, std::string(kWrongBackupCode));
  }
  if (auto failed = page.advance_session(*who->session, auth::Stage::signed_in, who->user.id)) {
    co_return std::move(*failed);
  }
  co_return page.redirect("/profile/security");
}

Reply manage(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!reconfirmed(console, *who)) co_return page.redirect(kReconfirmForManage);
  co_return manage_page(console, page, *who, 200, "");
}

Reply regenerate_backup_codes(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  if (!reconfirmed(console, *who)) co_return page.redirect(kReconfirmForManage);
  auto on = console.services().login.has_second_factor(who->user.id);
  if (!on) co_return page.server_error(on.error());
  if (!*on) co_return page.error(409, "Two-factor authentication is off", "Backup codes come with two-factor authentication: turn it on first.");
  auto codes = console.services().backup_codes.generate(who->user, true, page.actor());
  if (!codes) co_return page.server_error(codes.error());
  co_return backup_codes_page(page, who->user.name, *codes, console.settings().issuer, false,
                              console.settings().code_digits);
}

Reply disable(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  if (!reconfirmed(console, *who)) co_return page.redirect(kReconfirmForManage);
  const std::string code = page.field("code");
  const storage::User user = who->user;
  const auth::Actor actor = page.actor();
  auto& disabler = console.services().disable_two_factor;
  // A YubiKey OTP may be checked by a remote validation server: off the I/O threads.
  auto step = co_await console.services().pool.run([&] { return disabler.disable(user, code, actor); });
  if (!step) co_return page.server_error(step.error());
  if (step->outcome == auth::CodeStep::throttled) co_return page.too_many_attempts(step->retry_after);
  if (step->outcome == auth::CodeStep::rejected) {
    co_return manage_page(console, page, *who, 401,
                          "That code is not valid. Enter the current code from your authenticator "
                          "app, one of your unused backup codes, or touch your YubiKey.");
  }
  co_return page.redirect("/profile/security");
}

}  // namespace handlers
}  // namespace tfa::web
