// "Lost your device? Disable two-factor authentication" (seed 001): after the password step,
// a one-time token by e-mail; pasting it, or opening the link that carries it, and pressing
// the button turns 2FA off and signs the user in.
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/signed_in.hpp"

namespace tfa::web::handlers {
namespace {

/// "alice@example.com" -> "a•••@example.com": enough for the owner to recognise the address,
/// too little to give it away to someone who only knows the password.
std::string masked(const std::string& email) {
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0) return "your address";
  return email.substr(0, 1) + "\u2022\u2022\u2022" + email.substr(at);
}

http::Response recover_page(Page& page, unsigned status, RecoverView view) {
  view.layout = page.layout("Disable two-factor authentication");
  return page.html(status, render(view));
}

std::string refusal(auth::RecoveryRedeem::Outcome outcome) {
  switch (outcome) {
    case auth::RecoveryRedeem::expired:
      return "That token has expired: tokens work for 15 minutes. Sign in again to get a new one.";
    case auth::RecoveryRedeem::used: return "That token has been used already.";
    case auth::RecoveryRedeem::other_user: return "That token belongs to another account.";
    default: return "That token is not valid. Copy the whole token from the e-mail.";
  }
}

}  // namespace

Reply send_recovery_mail(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signing_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  auto sent = console.services().recovery.request_disable(who->user, page.actor());
  if (!sent) co_return page.server_error(sent.error());
  if (sent->outcome == auth::RecoveryRequest::throttled) co_return page.too_many_attempts(sent->retry_after);
  RecoverView view;
  view.notice = "We sent an e-mail with a one-time token to " + masked(who->user.email) +
                ". It works once, within " +
                std::to_string(console.services().recovery.settings().token_lifetime.count()) + " minutes.";
  co_return recover_page(page, 200, std::move(view));
}

Reply recover_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  // The link in the mail may be opened in a browser that has no session yet; the form needs
  // one for its CSRF token. Opening the link changes nothing: mail scanners fetch links too.
  auto started = page.session_or_start();
  if (!started) co_return page.server_error(started.error());
  RecoverView view;
  view.token = page.query("token");
  co_return recover_page(page, 200, std::move(view));
}

Reply recover(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (!page.csrf_ok()) co_return page.form_expired();
  auto* session = *page.session();
  std::optional<std::int64_t> signing_in;
  if (session->stage() == auth::Stage::second_factor) signing_in = session->user_id();
  auto redeemed = console.services().recovery.redeem_disable(page.field("token"), signing_in, page.actor());
  if (!redeemed) co_return page.server_error(redeemed.error());
  if (redeemed->outcome == auth::RecoveryRedeem::throttled) co_return page.too_many_attempts(redeemed->retry_after);
  if (redeemed->outcome != auth::RecoveryRedeem::disabled) {
    RecoverView view;
    view.error = refusal(redeemed->outcome);
    co_return recover_page(page, 400, std::move(view));
  }
  if (auto failed = page.advance_session(*session, auth::Stage::signed_in, redeemed->user_id)) {
    co_return std::move(*failed);
  }
  co_return page.redirect("/profile/security");
}

}  // namespace tfa::web::handlers
