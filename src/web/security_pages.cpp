// Profile -> Security: the 2FA status, enabling TOTP (password re-confirmation, QR code,
// confirmation), and the trusted devices.
#include <charconv>
#include <ctime>

#include "core/base32.hpp"
#include "core/utc_time.hpp"
#include "crypto/tokens.hpp"
#include "otp/key_uri.hpp"
#include "qr/qr_code.hpp"
#include "web/browser_name.hpp"
#include "web/event_text.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/signed_in.hpp"

namespace tfa::web::handlers {
namespace {

constexpr std::string_view kEnrollKey = "enroll_factor";
/// A confirmation that finds 2FA on already: turned on in another tab, or by this page's own
/// first click, whose answer (with the backup codes) the browser may not have shown.
constexpr std::string_view kAlreadyOnMessage =
    "It was turned on while this page was open, in another tab or by a second click. Your backup "
    "codes have not changed: if you have not saved them, regenerate them under Manage two-factor "
    "authentication.";

/// Where the password re-confirmation leads: only these pages, so `next` cannot redirect
/// anywhere else.
std::string next_after_password(const std::string& next) {
  return next == "manage" || next == "yubikey" ? next : "enroll";
}

std::string grouped(const std::string& secret) {
  std::string out;
  for (std::size_t i = 0; i < secret.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += secret[i];
  }
  return out;
}

http::Response enroll_page(Page& page, const SignedIn& who, const auth::PendingTotp& pending,
                           unsigned status, std::string error) {
  EnrollView view;
  view.layout = page.layout("Scan the QR code", who.user.name);
  view.error = std::move(error);
  auto uri = otp::build_key_uri(pending.key);
  if (!uri) return page.server_error(uri.error());
  auto qr = qr::QrCode::encode(*uri);
  if (!qr) return page.server_error(qr.error());
  view.qr_svg = qr->to_svg(5, "QR code for " + pending.key.issuer + ": " + pending.key.account);
  view.secret_groups = grouped(base32_encode(pending.key.secret.expose()));
  view.otpauth_uri = *uri;
  view.issuer = pending.key.issuer;
  view.account = pending.key.account;
  view.code_digits = pending.key.digits;
  return page.html(status, render(view));
}

}  // namespace

Reply security(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  SecurityView view;
  view.layout = page.layout("Security", who->user.name);
  auto factors = console.services().factors.factor_list_of(who->user.id);
  if (!factors) co_return page.server_error(factors.error());
  for (const auto& factor : *factors) {
    if (factor.status != storage::FactorStatus::confirmed) continue;
    view.two_factor_on = true;
    std::string description = factor.label;
    if (factor.kind == storage::FactorKind::yubico) {
      description = "YubiKey \u201c" + factor.label + "\u201d (" + factor.public_id.value_or("") + ")";
    }
    view.factors.push_back({description, format_utc_minute(factor.created_at),
                            factor.last_used_at ? format_utc_minute(*factor.last_used_at) : ""});
  }
  if (view.two_factor_on) {
    auto left = console.services().backup_codes.remaining(who->user.id);
    if (!left) co_return page.server_error(left.error());
    view.backup_codes_left = *left;
    view.backup_codes_low = *left <= console.services().backup_codes.settings().low_mark;
  }
  auto devices = console.services().devices.list(who->user.id);
  if (!devices) co_return page.server_error(devices.error());
  const auto cookie = page.cookie(kDeviceCookie);
  const auto current_hash = cookie ? crypto::token_hash(*cookie) : std::vector<std::uint8_t>{};
  for (const auto& device : *devices) {
    view.devices.push_back({device.id, browser_name(device.user_agent), format_utc_minute(device.created_at),
                            format_utc_minute(device.last_seen_at), device.token_hash == current_hash});
  }
  auto events = console.services().audit.list({who->user.id, std::nullopt, 10});
  if (!events) co_return page.server_error(events.error());
  for (const auto& event : *events) {
    view.activity.push_back({format_utc_minute(event.at), describe_event(event.event, event.outcome),
                             event.client_address, browser_name(event.user_agent),
                             is_warning(event.outcome)});
  }
  co_return page.html(200, render(view));
}

Reply confirm_password_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  const std::string next = next_after_password(page.query("next"));
  if (console.services().sessions.recently_reauthenticated(*who->session)) {
    co_return page.redirect("/profile/security/" + next);
  }
  ConfirmPasswordView view;
  view.layout = page.layout("Confirm your password", who->user.name);
  view.next = next;
  co_return page.html(200, render(view));
}

Reply confirm_password(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  const std::string password = page.field("password");
  const std::string next = next_after_password(page.field("next"));
  auto& reconfirmation = console.services().reconfirmation;
  const storage::User& user = who->user;
  const auth::Actor actor = page.actor();
  auto checked = co_await console.services().pool.run([&] { return reconfirmation.confirm(user, password, actor); });
  if (!checked) co_return page.server_error(checked.error());
  if (checked->outcome == auth::Reconfirmation::throttled) co_return page.too_many_attempts(checked->retry_after);
  if (checked->outcome == auth::Reconfirmation::wrong_password) {
    ConfirmPasswordView view;
    view.layout = page.layout("Confirm your password", who->user.name);
    view.error = "Incorrect password.";
    view.next = next;
    co_return page.html(401, render(view));
  }
  auto& sessions = console.services().sessions;
  sessions.mark_reauthenticated(*who->session);
  auto saved = sessions.save(*who->session);
  if (!saved) co_return page.server_error(saved.error());
  co_return page.redirect("/profile/security/" + next);
}

Reply enroll_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  auto& enrollment = console.services().enrollment;
  // The secret and the factor it makes are only for minutes after the password: a pending
  // enrollment lives longer than that, and a browser left open must not hand it out.
  if (!console.services().sessions.recently_reauthenticated(*who->session)) {
    co_return page.redirect("/profile/security/enable");
  }
  // A pending enrollment of this session is shown again, so a reload keeps the QR code.
  if (auto id = who->session->number(kEnrollKey)) {
    auto pending = enrollment.pending(who->user, *id);
    if (!pending) co_return page.server_error(pending.error());
    if (*pending) co_return enroll_page(page, *who, **pending, 200, "");
  }
  auto started = enrollment.start(who->user);
  if (!started) co_return page.server_error(started.error());
  who->session->set_number(kEnrollKey, started->factor_id);
  auto saved = console.services().sessions.save(*who->session);
  if (!saved) co_return page.server_error(saved.error());
  co_return enroll_page(page, *who, *started, 200, "");
}

Reply enroll(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  // Past the re-confirmation's minutes, the password again; the same QR code follows it.
  if (!console.services().sessions.recently_reauthenticated(*who->session)) {
    co_return page.redirect("/profile/security/enable");
  }
  const auto id = who->session->number(kEnrollKey);
  if (!id) co_return page.redirect("/profile/security/enable");
  auto& enrollment = console.services().enrollment;
  auto pending = enrollment.pending(who->user, *id);
  if (!pending) co_return page.server_error(pending.error());
  if (!*pending) co_return page.redirect("/profile/security/enable");  // expired: start again

  auto& throttle = console.services().throttle;
  const std::string key = auth::account_key(who->user.id, "enroll");
  auto wait = throttle.retry_after(key);
  if (!wait) co_return page.server_error(wait.error());
  if (*wait) co_return page.too_many_attempts(**wait);

  auto check = enrollment.confirm(who->user, *id, page.field("code"), page.actor());
  if (!check && check.error().code == Errc::conflict) {
    who->session->set_number(kEnrollKey, std::nullopt);
    auto saved = console.services().sessions.save(*who->session);
    if (!saved) co_return page.server_error(saved.error());
    co_return page.error(409, "Two-factor authentication is already on",
                         std::string(kAlreadyOnMessage));
  }
  if (!check && check.error().code == Errc::not_found) {
    // The enrollment is gone: confirmed a moment ago by another request of this browser (a
    // second click), whose page had the backup codes, or replaced by a newer one.
    auto on = console.services().login.has_second_factor(who->user.id);
    if (!on) co_return page.server_error(on.error());
    if (!*on) co_return page.redirect("/profile/security/enable");
    co_return page.error(409, "Two-factor authentication is already on", std::string(kAlreadyOnMessage));
  }
  if (!check) co_return page.server_error(check.error());
  if (*check != auth::CodeCheck::accepted) {
    (void)throttle.failure(key, console.services().login.settings().code_when_signed_in);
    co_return enroll_page(page, *who, **pending, 400,
                          std::string(kWrongCodeMessage));
  }
  (void)throttle.success(key);
  who->session->set_number(kEnrollKey, std::nullopt);
  auto saved = console.services().sessions.save(*who->session);
  if (!saved) co_return page.server_error(saved.error());
  // Seed 004: the backup codes come with the success page, shown this once.
  auto codes = console.services().backup_codes.generate(who->user, false, page.actor());
  if (!codes) co_return page.server_error(codes.error());
  co_return backup_codes_page(page, who->user.name, *codes, (*pending)->key.issuer, true, (*pending)->key.digits);
}

Reply enabled(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  EnabledView view;
  view.layout = page.layout("Two-factor authentication is enabled", who->user.name);
  view.code_digits = console.settings().code_digits;
  co_return page.html(200, render(view));
}

Reply forget_device(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  const auto parsed = parse_id(page.field("device"));
  if (!parsed) co_return page.error(400, "Bad request", "The device to forget is missing.");
  const std::int64_t device = *parsed;
  auto& devices = console.services().devices;
  // Clear this browser's cookie when it is the device being forgotten.
  if (auto cookie = page.cookie(kDeviceCookie)) {
    auto mine = devices.list(who->user.id);
    if (mine) {
      const auto hash = crypto::token_hash(*cookie);
      for (const auto& d : *mine) {
        if (d.id == device && d.token_hash == hash) page.clear_device_cookie();
      }
    }
  }
  auto forgotten = devices.forget(who->user, device, page.actor());
  if (!forgotten) {
    if (forgotten.error().code == Errc::not_found) {
      co_return page.error(404, "Device not found", "That device is not in your list.");
    }
    co_return page.server_error(forgotten.error());
  }
  co_return page.redirect("/profile/security");
}

Reply forget_all_devices(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signed_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  auto forgotten = console.services().devices.forget_all(who->user, page.actor());
  if (!forgotten) co_return page.server_error(forgotten.error());
  page.clear_device_cookie();
  co_return page.redirect("/profile/security");
}

}  // namespace tfa::web::handlers
