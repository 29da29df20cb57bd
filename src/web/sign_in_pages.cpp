// Sign-up, sign-in (password, then code), sign-out.
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/signed_in.hpp"

namespace tfa::web::handlers {
namespace {

constexpr std::string_view kCodeInPasswordNotice =
    "Two-factor authentication is enabled for this account. Enter the code from your "
    "authenticator app.";

constexpr std::string_view kPasswordChangedNotice =
    "Your password was changed and every browser was signed out. Sign in with your new password.";

constexpr std::string_view kYubiKeyNotAccepted =
    "That YubiKey one-time password was not accepted. Touch your YubiKey again.";

/// The code page, or with `yubikey` the "Use your YubiKey" page, for the user signing in.
Result<CodeView> code_view(Console& console, Page& page, const storage::User& user, bool yubikey) {
  CodeView view;
  view.layout = page.layout(yubikey ? "Use your YubiKey" : "Two-factor authentication");
  view.yubikey = yubikey;
  view.remember_days = static_cast<int>(console.services().devices.lifetime().count());
  view.code_digits = console.settings().code_digits;
  TFA_TRY(auto factors, console.services().factors.factor_list_of(user.id));
  for (const auto& factor : factors) {
    if (factor.status != storage::FactorStatus::confirmed) continue;
    view.has_yubikey |= factor.kind == storage::FactorKind::yubico;
    // The length of the user's own app's codes, which may predate a change of login.totp_digits.
    if (factor.kind == storage::FactorKind::totp) {
      if (auto params = auth::parse_totp_params(factor.params)) view.code_digits = params->digits;
    }
  }
  return view;
}

http::Response login_page(Console& console, Page& page, unsigned status, LoginView view) {
  view.layout = page.layout("Sign in");
  view.signup_enabled = console.settings().signup;
  view.code_digits = console.settings().code_digits;
  // Seed 002's variant has no second page, so its box for trusting the device is here.
  if (console.services().login.settings().code_in_password) {
    view.remember_days = static_cast<int>(console.services().devices.lifetime().count());
  }
  return page.html(status, render(view));
}

/// The 404 page every sign-up page answers with when the operator turned sign-up off, else
/// nullopt.
std::optional<http::Response> when_signup_is_off(Console& console, Page& page) {
  if (console.settings().signup) return std::nullopt;
  return page.error(404, "Sign-up is turned off", "Ask your administrator for an account.");
}

}  // namespace

Reply home(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto session = page.session();
  const bool signed_in = session && *session != nullptr && (*session)->stage() == auth::Stage::signed_in;
  co_return page.redirect(signed_in ? "/profile/security" : "/login");
}

Reply signup_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (auto off = when_signup_is_off(console, page)) co_return std::move(*off);
  auto session = page.session_or_start();
  if (!session) co_return page.server_error(session.error());
  if ((*session)->stage() == auth::Stage::signed_in) co_return page.redirect("/profile/security");
  SignupView view;
  view.layout = page.layout("Create your account");
  co_return page.html(200, render(view));
}

Reply signup(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (auto off = when_signup_is_off(console, page)) co_return std::move(*off);
  if (!page.csrf_ok()) co_return page.form_expired();
  const std::string username = page.field("username");
  const std::string email = page.field("email");
  const std::string password = page.field("password");
  const auth::Actor actor = page.actor();
  // The same answer whether or not the name is taken; the mail tells (auth/signup.hpp).
  auto& signup = console.services().signup;
  auto requested = co_await console.services().pool.run(
      [&] { return signup.request(username, email, password, actor); });
  if (!requested) {
    if (requested.error().code != Errc::invalid_argument) co_return page.server_error(requested.error());
    SignupView view;
    view.layout = page.layout("Create your account");
    view.username = username;
    view.email = email;
    view.error = requested.error().message;
    co_return page.html(400, render(view));
  }
  if (requested->outcome == auth::SignupRequest::throttled) co_return page.too_many_attempts(requested->retry_after);
  SignupSentView view;
  view.layout = page.layout("Check your e-mail");
  view.email = email;
  view.valid_minutes = static_cast<int>(signup.settings().link_lifetime.count());
  co_return page.html(200, render(view));
}

Reply signup_confirm_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (auto off = when_signup_is_off(console, page)) co_return std::move(*off);
  // The link may be opened in a browser with no session yet; the form needs one for its CSRF
  // token. Opening the link creates nothing: mail scanners fetch links too.
  auto session = page.session_or_start();
  if (!session) co_return page.server_error(session.error());
  if ((*session)->stage() == auth::Stage::signed_in) co_return page.redirect("/profile/security");
  SignupConfirmView view;
  view.layout = page.layout("Finish creating your account");
  view.token = page.query("token");
  co_return page.html(200, render(view));
}

Reply signup_confirm(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (auto off = when_signup_is_off(console, page)) co_return std::move(*off);
  if (!page.csrf_ok()) co_return page.form_expired();
  auto* session = *page.session();
  if (session->stage() == auth::Stage::signed_in) co_return page.redirect("/profile/security");
  auto confirmed = console.services().signup.confirm(page.field("token"), page.actor());
  if (!confirmed) co_return page.server_error(confirmed.error());
  if (confirmed->outcome == auth::SignupConfirm::throttled) co_return page.too_many_attempts(confirmed->retry_after);
  if (confirmed->outcome != auth::SignupConfirm::created) {
    SignupConfirmView view;
    view.layout = page.layout("Finish creating your account");
    switch (confirmed->outcome) {
      case auth::SignupConfirm::expired:
        view.error = "That link has expired: links work for " +
                     std::to_string(console.services().signup.settings().link_lifetime.count()) +
                     " minutes. Sign up again to get a new one.";
        break;
      case auth::SignupConfirm::taken:
        view.error = "The username " + confirmed->name +
                     " is taken: this link was used already, or someone took the name first. Sign in, "
                     "or sign up again with another username.";
        break;
      default: view.error = "That link is not valid. Copy the whole link from the e-mail.";
    }
    co_return page.html(confirmed->outcome == auth::SignupConfirm::taken ? 409 : 400, render(view));
  }
  if (auto failed = page.advance_session(*session, auth::Stage::signed_in, confirmed->user.id)) {
    co_return std::move(*failed);
  }
  co_return page.redirect("/profile/security");
}

Reply login_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto session = page.session_or_start();
  if (!session) co_return page.server_error(session.error());
  if ((*session)->stage() == auth::Stage::signed_in) co_return page.redirect("/profile/security");
  LoginView view;
  // After "Change password", which signed every browser out (password_pages.cpp).
  if (page.query("changed") == "password") view.notice = std::string(kPasswordChangedNotice);
  co_return login_page(console, page, 200, std::move(view));
}

Reply login(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (!page.csrf_ok()) co_return page.form_expired();
  const std::string username = page.field("username");
  const std::string password = page.field("password");
  const std::string otp = page.field("otp");
  const auto device = page.cookie(kDeviceCookie);
  const auth::Actor actor = page.actor();
  auto& flow = console.services().login;
  std::optional<std::string_view> code;
  if (!otp.empty()) code = otp;
  std::optional<std::string_view> device_token;
  if (device) device_token = *device;
  auto step = co_await console.services().pool.run(
      [&] { return flow.submit_password(username, password, code, device_token, actor); });
  if (!step) {
    // A YubiKey OTP in the code-in-password variant's field, and no validator to trust.
    co_return page.server_error(step.error());
  }

  auto* session = *page.session();
  auto& sessions = console.services().sessions;
  switch (step->outcome) {
    case auth::PasswordOutcome::throttled:
      co_return page.too_many_attempts(step->retry_after);
    case auth::PasswordOutcome::rejected: {
      LoginView view;
      view.username = username;
      view.error = "Incorrect username or password.";
      co_return login_page(console, page, 401, std::move(view));
    }
    case auth::PasswordOutcome::signed_in: {
      if (step->by_code && page.field("remember") == "on") {
        if (auto token = console.services().devices.trust(*step->user, actor)) {
          page.set_device_cookie(*token, std::chrono::duration_cast<std::chrono::seconds>(
                                             console.services().devices.lifetime()));
        }
      }
      if (auto failed = page.advance_session(*session, auth::Stage::signed_in, step->user->id)) {
        co_return std::move(*failed);
      }
      co_return page.redirect("/profile/security");
    }
    case auth::PasswordOutcome::needs_code:
      break;
  }
  // The password was right: the session moves to the code step, so that the other ways in
  // (a backup code, a YubiKey, "Lost your device?") are open in either variant.
  if (auto failed = page.advance_session(*session, auth::Stage::second_factor, step->user->id)) {
    co_return std::move(*failed);
  }
  if (flow.settings().code_in_password) {
    // Seed 002: show the sign-in form again with the extra code field, and the links of the
    // code page, since a backup code or a YubiKey OTP does not fit the field.
    auto factors = code_view(console, page, *step->user, false);
    if (!factors) co_return page.server_error(factors.error());
    LoginView view;
    view.username = username;
    view.show_otp_field = true;
    view.has_yubikey = factors->has_yubikey;
    view.notice = std::string(kCodeInPasswordNotice);
    if (step->code_was_wrong) view.error = std::string(kWrongCodeMessage);
    co_return login_page(console, page, step->code_was_wrong ? 401 : 200, std::move(view));
  }
  co_return page.redirect("/login/code");
}

Reply code_form(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signing_in(console, page);
  if (!who) co_return page.redirect("/login");
  auto view = code_view(console, page, who->user, false);
  if (!view) co_return page.server_error(view.error());
  co_return page.html(200, render(*view));
}

Reply code(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  auto who = signing_in(console, page);
  if (!who) co_return page.redirect("/login");
  if (!page.csrf_ok()) co_return page.form_expired();
  const auth::Actor actor = page.actor();
  const std::string code = page.field("code");
  const storage::User user = who->user;
  auto& flow = console.services().login;
  // A YubiKey OTP may be checked by a remote validation server: off the I/O threads.
  auto step = co_await console.services().pool.run([&] { return flow.submit_code(user, code, actor); });
  if (!step) co_return page.server_error(step.error());
  if (step->outcome == auth::CodeStep::throttled) co_return page.too_many_attempts(step->retry_after);
  if (step->outcome == auth::CodeStep::rejected) {
    const bool yubikey = step->by_yubikey || page.field("via") == "yubikey";
    auto view = code_view(console, page, who->user, yubikey);
    if (!view) co_return page.server_error(view.error());
    view->error = yubikey ? std::string(kYubiKeyNotAccepted) : std::string(kWrongCodeMessage);
    co_return page.html(401, render(*view));
  }
  if (page.field("remember") == "on" || page.field("remember") == "1") {
    auto token = console.services().devices.trust(who->user, actor);
    if (token) {
      page.set_device_cookie(*token, std::chrono::duration_cast<std::chrono::seconds>(
                                         console.services().devices.lifetime()));
    }
  }
  if (auto failed = page.advance_session(*who->session, auth::Stage::signed_in, who->user.id)) {
    co_return std::move(*failed);
  }
  co_return page.redirect("/profile/security");
}

Reply logout(Console& console, http::Request& request, const http::ClientInfo& client) {
  Page page(console.services().sessions, request, client);
  if (!page.csrf_ok()) co_return page.form_expired();
  page.end_session();
  co_return page.redirect("/login");
}

}  // namespace tfa::web::handlers
