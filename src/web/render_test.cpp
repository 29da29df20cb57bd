// The console pages: each renders, escapes every value it is given (but the QR code's SVG), and
// carries the names, texts and attributes docs/console.md promises.
#include <gtest/gtest.h>

#include <functional>
#include <regex>

#include "qr/qr_code.hpp"
#include "web/views.hpp"

namespace tfa::web {
namespace {

// Characters that must never reach the page as they are.
constexpr std::string_view kPayload = "<script>alert(1)</script>\"'&";
constexpr std::string_view kEscapedPayload =
    "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;";
constexpr std::string_view kCsrf = "csrf-token-123";

// A value that can be found in the page: a unique tag followed by the payload.
std::string hostile(std::string_view tag) { return std::string(tag) + std::string(kPayload); }
std::string escaped(std::string_view tag) { return std::string(tag) + std::string(kEscapedPayload); }

std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool has(const std::string& text, std::string_view needle) { return text.find(needle) != std::string::npos; }

Layout layout(std::string title, bool signed_in) {
  Layout l;
  l.title = std::move(title);
  l.signed_in = signed_in;
  l.username = signed_in ? "alice" : "";
  l.csrf = std::string(kCsrf);
  return l;
}

std::string qr_svg() {
  return qr::QrCode::encode("otpauth://totp/tfa:alice?secret=JBSWY3DPEHPK3PXP&issuer=tfa")
      .value()
      .to_svg(5, "QR code for tfa: alice");
}

SecurityView security_view(bool on, std::size_t devices) {
  SecurityView view;
  view.layout = layout("Security", true);
  view.two_factor_on = on;
  if (on) view.factors.push_back({"Authenticator app", "2026-11-25 04:52 UTC", ""});
  for (std::size_t i = 0; i < devices; ++i) {
    view.devices.push_back({static_cast<std::int64_t>(41 + i), "Firefox on Linux", "2026-11-25 04:52 UTC",
                            "2026-11-26 08:00 UTC", i == 0});
  }
  return view;
}

EnrollView enroll_view() {
  EnrollView view;
  view.layout = layout("Scan the QR code", true);
  view.qr_svg = qr_svg();
  view.secret_groups = "JBSW Y3DP EHPK 3PXP";
  view.otpauth_uri = "otpauth://totp/tfa:alice?secret=JBSWY3DPEHPK3PXP&issuer=tfa";
  view.issuer = "tfa";
  view.account = "alice";
  return view;
}

// Every page in an ordinary state, by name.
std::vector<std::pair<std::string, std::string>> every_page() {
  LoginView login;
  login.layout = layout("Sign in", false);
  LoginView login_otp = login;
  login_otp.show_otp_field = true;
  login_otp.username = "alice";
  login_otp.error = "That code is not valid.";
  SignupView signup;
  signup.layout = layout("Create your account", false);
  SignupSentView signup_sent;
  signup_sent.layout = layout("Check your e-mail", false);
  signup_sent.email = "alice@example.com";
  SignupConfirmView signup_confirm;
  signup_confirm.layout = layout("Finish creating your account", false);
  signup_confirm.token = "sealed-token";
  CodeView code;
  code.layout = layout("Two-factor authentication", false);
  ConfirmPasswordView confirm;
  confirm.layout = layout("Confirm your password", true);
  EnabledView enabled;
  enabled.layout = layout("Two-factor authentication is enabled", true);
  ErrorView error;
  error.layout = layout("Page not found", false);
  error.heading = "Page not found";
  error.message = "There is no page at this address.";
  return {{"signup", render(signup)},
          {"signup-sent", render(signup_sent)},
          {"signup-confirm", render(signup_confirm)},
          {"login", render(login)},
          {"login-otp", render(login_otp)},
          {"code", render(code)},
          {"security-off", render(security_view(false, 0))},
          {"security-on", render(security_view(true, 2))},
          {"confirm", render(confirm)},
          {"enroll", render(enroll_view())},
          {"enabled", render(enabled)},
          {"error", render(error)}};
}

std::vector<std::string> matches(const std::string& html, const std::regex& pattern, int group = 0) {
  std::vector<std::string> out;
  for (std::sregex_iterator it(html.begin(), html.end(), pattern), end; it != end; ++it) {
    out.push_back((*it)[group].str());
  }
  return out;
}

TEST(Render, EveryPageIsACompleteDocumentWithTheLayout) {
  for (const auto& [name, html] : every_page()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    EXPECT_TRUE(has(html, "<html lang=\"en\">"));
    EXPECT_TRUE(has(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    EXPECT_EQ(count(html, "<link rel=\"stylesheet\" href=\"/static/style.css\">"), 1u);
    EXPECT_EQ(count(html, "<h1"), 1u);
    EXPECT_TRUE(has(html, "<main id=\"main\""));
    EXPECT_TRUE(has(html, "</html>"));
  }
}

TEST(Render, TitleNamesThePageAndTheProduct) {
  LoginView view;
  view.layout = layout("Sign in", false);
  EXPECT_TRUE(has(render(view), "<title>Sign in · tfa</title>"));
}

TEST(Render, NoScriptsInlineStylesOrExternalResources) {
  const std::regex url("https?://[^\"'<> ]*");
  for (const auto& [name, html] : every_page()) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(has(html, "<script"));
    EXPECT_FALSE(has(html, "<style"));
    EXPECT_FALSE(has(html, "style="));
    for (const auto& found : matches(html, url)) EXPECT_EQ(found, "http://www.w3.org/2000/svg");
  }
}

TEST(Render, EveryFormCarriesTheCsrfToken) {
  const std::string hidden = "<input type=\"hidden\" name=\"csrf\" value=\"" + std::string(kCsrf) + "\">";
  for (const auto& [name, html] : every_page()) {
    SCOPED_TRACE(name);
    const std::size_t forms = count(html, "<form");
    EXPECT_EQ(count(html, "</form>"), forms);
    EXPECT_EQ(count(html, hidden), forms);
    EXPECT_EQ(count(html, "name=\"csrf\""), forms);
    EXPECT_EQ(count(html, "method=\"post\""), forms);
  }
}

TEST(Render, EveryVisibleInputHasALabel) {
  const std::regex input("<input\\b[^>]*>");
  const std::regex id(" id=\"([^\"]+)\"");
  for (const auto& [name, html] : every_page()) {
    SCOPED_TRACE(name);
    for (const auto& tag : matches(html, input)) {
      std::smatch m;
      if (std::regex_search(tag, m, id)) {
        EXPECT_EQ(count(html, "<label for=\"" + m[1].str() + "\">"), 1u) << tag;
      } else {
        EXPECT_TRUE(has(tag, "type=\"hidden\"")) << "an input without id or label: " << tag;
      }
    }
  }
}

TEST(Render, SignedInPagesOfferSignOut) {
  const std::string signout = "<form class=\"signout\" method=\"post\" action=\"/logout\">";
  const auto html = render(security_view(false, 0));
  EXPECT_TRUE(has(html, signout));
  EXPECT_TRUE(has(html, ">Sign out</button>"));
  EXPECT_TRUE(has(html, "alice"));
  LoginView login;
  login.layout = layout("Sign in", false);
  EXPECT_FALSE(has(render(login), "Sign out"));
}

TEST(Render, SignupHasItsFieldsAndLinksToSignIn) {
  SignupView view;
  view.layout = layout("Create your account", false);
  const auto html = render(view);
  EXPECT_TRUE(has(html, "action=\"/signup\""));
  EXPECT_TRUE(has(html, "name=\"username\""));
  EXPECT_TRUE(has(html, "autocomplete=\"username\""));
  EXPECT_TRUE(has(html, "name=\"email\""));
  EXPECT_TRUE(has(html, "type=\"email\""));
  EXPECT_TRUE(has(html, "name=\"password\""));
  EXPECT_TRUE(has(html, "autocomplete=\"new-password\""));
  EXPECT_TRUE(has(html, ">Create account</button>"));
  EXPECT_TRUE(has(html, "href=\"/login\""));
}

TEST(Render, LoginHasItsFieldsAndTheSignupLinkOnlyWhenEnabled) {
  LoginView view;
  view.layout = layout("Sign in", false);
  auto html = render(view);
  EXPECT_TRUE(has(html, "action=\"/login\""));
  EXPECT_TRUE(has(html, "autocomplete=\"username\""));
  EXPECT_TRUE(has(html, "autocomplete=\"current-password\""));
  EXPECT_TRUE(has(html, ">Sign in</button>"));
  EXPECT_TRUE(has(html, "<a href=\"/signup\">Create an account</a>"));
  EXPECT_FALSE(has(html, "name=\"otp\""));
  EXPECT_FALSE(has(html, "role=\"alert\""));
  view.signup_enabled = false;
  EXPECT_FALSE(has(render(view), "/signup"));
}

TEST(Render, LoginShowsErrorsNoticesAndTheOtpField) {
  LoginView view;
  view.layout = layout("Sign in", false);
  view.error = "Incorrect username or password.";
  view.notice = "Two-factor authentication is enabled for this account. Enter the code from your authenticator app.";
  view.show_otp_field = true;
  const auto html = render(view);
  EXPECT_TRUE(has(html, "role=\"alert\" id=\"form-error\""));
  EXPECT_TRUE(has(html, "Incorrect username or password."));
  EXPECT_TRUE(has(html, "role=\"status\""));
  EXPECT_TRUE(has(html, view.notice));
  EXPECT_GE(count(html, "aria-describedby=\"form-error\""), 2u);
  EXPECT_TRUE(has(html, "<label for=\"otp\">One-time code</label>"));
  EXPECT_TRUE(has(html, "name=\"otp\""));
  EXPECT_TRUE(has(html, "aria-describedby=\"otp-hint form-error\""));
}

const std::string kCodeInput =
    "name=\"code\" class=\"input-code\" autocomplete=\"one-time-code\" inputmode=\"numeric\" "
    "pattern=\"[0-9 ]*\" maxlength=\"10\" required autofocus";

TEST(Render, CodePageAsksForTheCodeAndOffersToRememberTheDevice) {
  CodeView view;
  view.layout = layout("Two-factor authentication", false);
  view.remember_days = 7;
  auto html = render(view);
  EXPECT_TRUE(has(html, "action=\"/login/code\""));
  EXPECT_TRUE(has(html, "id=\"code\" " + kCodeInput));
  EXPECT_TRUE(has(html, "<input type=\"checkbox\" id=\"remember\" name=\"remember\""));
  EXPECT_TRUE(has(html, "Do not challenge me on this device for the next 7 days</label>"));
  EXPECT_TRUE(has(html, ">Verify</button>"));
  view.remember_days = 30;
  view.error = "That code is not valid. Check that the date and time on your phone are correct.";
  html = render(view);
  EXPECT_TRUE(has(html, "for the next 30 days"));
  EXPECT_TRUE(has(html, view.error));
  EXPECT_TRUE(has(html, "aria-invalid=\"true\" aria-describedby=\"form-error\""));
}

TEST(Render, PagesNameTheCodeLengthTheyAreGiven) {
  // login.totp_digits = 8, or a user whose factor predates a change of it.
  CodeView code;
  code.layout = layout("Two-factor authentication", false);
  EXPECT_TRUE(has(render(code), "enter the 6-digit code it shows"));
  code.code_digits = 8;
  EXPECT_TRUE(has(render(code), "enter the 8-digit code it shows"));
  LoginView login;
  login.layout = layout("Sign in", false);
  login.show_otp_field = true;
  login.code_digits = 8;
  EXPECT_TRUE(has(render(login), "The 8-digit code from your authenticator app"));
  auto enroll = enroll_view();
  enroll.code_digits = 8;
  const auto html = render(enroll);
  EXPECT_TRUE(has(html, "Enter the 8-digit code that the app generates"));
  EXPECT_TRUE(has(html, "has 8 digits"));
  EXPECT_FALSE(has(html, "6-digit"));
  EnabledView enabled;
  enabled.layout = layout("Two-factor authentication is enabled", true);
  enabled.code_digits = 8;
  EXPECT_TRUE(has(render(enabled), "8-digit code"));
  BackupCodesView codes;
  codes.layout = layout("Two-factor authentication is enabled", true);
  codes.just_enabled = true;
  codes.code_digits = 8;
  EXPECT_TRUE(has(render(codes), "8-digit code"));
}

TEST(Render, SecurityWithTwoFactorOffOffersToEnableIt) {
  const auto html = render(security_view(false, 0));
  EXPECT_TRUE(has(html, ">Two-factor authentication is off.<"));
  EXPECT_FALSE(has(html, "is on."));
  EXPECT_TRUE(has(html, "href=\"/profile/security/enable\">Enable two-factor authentication</a>"));
  EXPECT_TRUE(has(html, ">Trusted devices</h2>"));
  EXPECT_TRUE(has(html, ">No trusted devices.<"));
  EXPECT_FALSE(has(html, "Forget"));
}

TEST(Render, SecurityListsFactorsAndDevicesWithForgetButtons) {
  auto view = security_view(true, 3);
  view.factors.push_back({"Authenticator app", "2026-11-27 10:00 UTC", "2026-11-28 09:15 UTC"});
  const auto html = render(view);
  EXPECT_TRUE(has(html, ">Two-factor authentication is on.<"));
  EXPECT_FALSE(has(html, "Enable two-factor authentication"));
  EXPECT_EQ(count(html, "Never"), 1u);  // the factor never used
  EXPECT_TRUE(has(html, "2026-11-28 09:15 UTC"));
  for (const auto* header : {">Browser<", ">Added<", ">Last seen<", ">Last used<"}) EXPECT_TRUE(has(html, header));
  EXPECT_EQ(count(html, "action=\"/profile/security/devices/forget\""), 3u);
  EXPECT_EQ(count(html, ">Forget this device</button>"), 3u);
  for (const auto* id : {"41", "42", "43"}) {
    EXPECT_TRUE(has(html, "<input type=\"hidden\" name=\"device\" value=\"" + std::string(id) + "\">"));
  }
  EXPECT_EQ(count(html, ">This device<"), 1u);
  EXPECT_EQ(count(html, "action=\"/profile/security/devices/forget-all\""), 1u);
  EXPECT_TRUE(has(html, ">Forget all devices</button>"));
  EXPECT_FALSE(has(html, "No trusted devices."));
}

TEST(Render, ConfirmPasswordPostsToEnable) {
  ConfirmPasswordView view;
  view.layout = layout("Confirm your password", true);
  view.error = "Incorrect password.";
  const auto html = render(view);
  EXPECT_TRUE(has(html, "action=\"/profile/security/enable\""));
  EXPECT_TRUE(has(html, "name=\"password\" autocomplete=\"current-password\""));
  EXPECT_TRUE(has(html, ">Confirm</button>"));
  EXPECT_TRUE(has(html, "aria-describedby=\"form-error\""));
}

TEST(Render, EnrollShowsTheQrCodeUnescapedAndTheSecretForManualEntry) {
  const auto view = enroll_view();
  const auto html = render(view);
  EXPECT_TRUE(has(html, view.qr_svg));
  EXPECT_TRUE(has(html, "<figure class=\"qr\">"));
  EXPECT_TRUE(has(html, "<figcaption>"));
  EXPECT_TRUE(has(html, "<details class=\"manual\">"));
  EXPECT_TRUE(has(html, "<summary>Show secret for manual entry</summary>"));
  EXPECT_TRUE(has(html, "<code class=\"secret\">JBSW Y3DP EHPK 3PXP</code>"));
  EXPECT_TRUE(has(html, "<code class=\"uri\">otpauth://totp/tfa:alice?secret=JBSWY3DPEHPK3PXP&amp;issuer=tfa</code>"));
  EXPECT_TRUE(has(html, "Google Authenticator"));
  EXPECT_TRUE(has(html, "FreeOTP"));
  EXPECT_TRUE(has(html, "6-digit code"));
  EXPECT_TRUE(has(html, "action=\"/profile/security/enroll\""));
  EXPECT_TRUE(has(html, "id=\"code\" " + kCodeInput));
  EXPECT_TRUE(has(html, ">Confirm</button>"));
}

TEST(Render, EnabledAndErrorPages) {
  EnabledView enabled;
  enabled.layout = layout("Two-factor authentication is enabled", true);
  auto html = render(enabled);
  EXPECT_TRUE(has(html, ">Two-factor authentication is enabled</h1>"));
  EXPECT_TRUE(has(html, "From now on"));
  EXPECT_TRUE(has(html, "href=\"/profile/security\""));

  ErrorView error;
  error.layout = layout("Sign-up is turned off", false);
  error.status = 404;
  error.heading = "Sign-up is turned off";
  error.message = "Ask your administrator for an account.";
  html = render(error);
  EXPECT_TRUE(has(html, "404"));
  EXPECT_TRUE(has(html, ">Sign-up is turned off</h1>"));
  EXPECT_TRUE(has(html, "Ask your administrator for an account."));
  EXPECT_TRUE(has(html, "href=\"/\""));
}

// Renders a page whose every text value is hostile, and checks each appears only escaped.
void expect_escaped(const std::string& html, const std::vector<std::string>& tags) {
  EXPECT_FALSE(has(html, "<script"));
  EXPECT_FALSE(has(html, kPayload));
  EXPECT_FALSE(has(html, "\"'"));
  for (const auto& tag : tags) EXPECT_TRUE(has(html, escaped(tag))) << tag;
}

Layout hostile_layout() {
  Layout l;
  l.title = hostile("title");
  l.signed_in = true;
  l.username = hostile("user");
  l.csrf = hostile("csrf");
  return l;
}

TEST(Render, EscapesEveryValue) {
  SignupView signup{hostile_layout(), hostile("error"), hostile("name"), hostile("email")};
  expect_escaped(render(signup), {"title", "user", "csrf", "error", "name", "email"});

  SignupSentView sent{hostile_layout(), hostile("email"), 30};
  expect_escaped(render(sent), {"title", "user", "csrf", "email"});

  SignupConfirmView signup_confirm{hostile_layout(), hostile("error"), hostile("token")};
  expect_escaped(render(signup_confirm), {"title", "user", "csrf", "error", "token"});

  LoginView login{hostile_layout(), hostile("error"), hostile("notice"), hostile("name"), true, true};
  expect_escaped(render(login), {"title", "user", "csrf", "error", "notice", "name"});

  CodeView code{hostile_layout(), hostile("error"), 7};
  expect_escaped(render(code), {"title", "user", "csrf", "error"});

  SecurityView security{hostile_layout(), hostile("notice"), true,
                        {{hostile("factor"), hostile("fadded"), hostile("used")}},
                        {{1, hostile("browser"), hostile("dadded"), hostile("seen"), true}}};
  expect_escaped(render(security),
                 {"title", "user", "csrf", "notice", "factor", "fadded", "used", "browser", "dadded", "seen"});

  ConfirmPasswordView confirm{hostile_layout(), hostile("error")};
  expect_escaped(render(confirm), {"title", "user", "csrf", "error"});

  ChangePasswordView password{hostile_layout(), hostile("error"), true, false};
  expect_escaped(render(password), {"title", "user", "csrf", "error"});

  auto enroll = enroll_view();
  enroll.layout = hostile_layout();
  enroll.error = hostile("error");
  enroll.secret_groups = hostile("secret");
  enroll.otpauth_uri = hostile("uri");
  enroll.issuer = hostile("issuer");
  enroll.account = hostile("account");
  expect_escaped(render(enroll), {"title", "user", "csrf", "error", "secret", "uri", "issuer", "account"});

  EnabledView enabled{hostile_layout()};
  expect_escaped(render(enabled), {"title", "user", "csrf"});

  ErrorView error{hostile_layout(), 500, hostile("heading"), hostile("message")};
  expect_escaped(render(error), {"title", "user", "csrf", "heading", "message"});
}

TEST(Render, StylesheetIsEmbedded) {
  const auto css = stylesheet();
  EXPECT_GT(css.size(), 1000u);
  EXPECT_TRUE(has(std::string(css), ":focus-visible"));
  EXPECT_TRUE(has(std::string(css), "@media"));
  EXPECT_FALSE(has(std::string(css), "url("));  // nothing fetched from elsewhere
  EXPECT_FALSE(has(std::string(css), "@import"));
}

}  // namespace
}  // namespace tfa::web
