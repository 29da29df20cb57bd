#pragma once
// What each console page shows, as plain values. Handlers fill these; render() turns them into
// HTML through templates that escape every value, except the QR code's SVG, which tfa makes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tfa::web {

/// The frame every page shares: the title, and the signed-in user with the Sign out button.
struct Layout {
  std::string title;
  bool signed_in = false;
  std::string username;
  std::string csrf;  // the token every form carries
};

struct SignupView {
  Layout layout;
  std::string error;
  std::string username;  // kept after an error; the password never is
  std::string email;
};

/// "Check your e-mail": the one answer to a sign-up, whether or not the name was taken.
struct SignupSentView {
  Layout layout;
  std::string email;  // as typed, so that a mistyped address is noticed
  int valid_minutes = 30;
};

/// "Finish creating your account": the link from the sign-up mail, and its button.
struct SignupConfirmView {
  Layout layout;
  std::string error;
  std::string token;  // from the link, filled in
};

struct LoginView {
  Layout layout;
  std::string error;
  std::string notice;          // e.g. "You have been signed out."
  std::string username;
  bool show_otp_field = false; // the code-in-password variant asks for the code separately,
                               // with the other ways in: backup code, YubiKey, lost device
  bool has_yubikey = false;    // with show_otp_field: link to "Use your YubiKey"
  bool signup_enabled = true;  // shows the "Create an account" link
  int remember_days = 0;       // > 0: the code-in-password variant's "Do not challenge me" box
  int code_digits = 6;         // "The 6-digit code from your authenticator app"
};

struct CodeView {
  Layout layout;
  std::string error;
  int remember_days = 7;  // "Do not challenge me on this device for the next 7 days"
  bool backup = false;    // the "Use a backup code" form instead of the authenticator code
  bool yubikey = false;   // the "Use your YubiKey" form (seed 003)
  bool has_yubikey = false;  // the user has one: link to that form
  int code_digits = 6;       // of the user's authenticator app: "enter the 6-digit code"
};

/// "Lost your device? Disable two-factor authentication" (seed 001): paste the mailed token.
struct RecoverView {
  Layout layout;
  std::string error;
  std::string notice;  // "We sent an e-mail to a...@example.com ..."
  std::string token;   // from the link, filled in
};

/// The backup codes, shown once: after 2FA is turned on, and after "Regenerate backup codes".
struct BackupCodesView {
  Layout layout;
  bool just_enabled = false;       // the success page of enrollment
  int code_digits = 6;             // of the factor just enabled
  std::vector<std::string> codes;  // "7kq2m-x9d4t"
  std::string download_href;       // a data: URL of the codes as a .txt file
};

struct YubiKeyRow {
  std::int64_t id = 0;
  std::string label;      // "Work key"
  std::string public_id;  // "vvcccchnrhbr", printed on no key but shown by every OTP it types
  std::string added;
  std::string last_used;  // "" when never used
};

/// "Manage two-factor authentication" (seed 004), after the password re-confirmation.
struct ManageView {
  Layout layout;
  std::string error;
  std::int64_t backup_codes_left = 0;
  std::vector<YubiKeyRow> yubikeys;
};

/// Registering a YubiKey: a name and a touch into the field (seed 003).
struct YubiKeyView {
  Layout layout;
  std::string error;
  std::string label;  // kept after an error
  bool first_factor = true;  // this turns two-factor authentication on
};

struct DeviceRow {
  std::int64_t id = 0;
  std::string browser;    // a short description of the user agent, e.g. "Chrome on Linux"
  std::string added;      // "2026-11-25 04:52 UTC"
  std::string last_seen;
  bool current = false;   // the device this page is viewed on
};

struct FactorRow {
  std::string description;  // e.g. "Authenticator app"
  std::string added;
  std::string last_used;    // "" when never used
};

struct ActivityRow {
  std::string when;      // "2026-11-25 04:52 UTC"
  std::string what;      // "Wrong authentication code"
  std::string address;   // client address, "" for the command line
  std::string browser;   // "Chrome on Linux", "tfa-cli"
  bool warning = false;  // a failure, a replay or a block
};

struct SecurityView {
  Layout layout;
  std::string notice;
  bool two_factor_on = false;
  std::vector<FactorRow> factors;
  std::vector<DeviceRow> devices;
  std::int64_t backup_codes_left = 0;
  bool backup_codes_low = false;  // 3 or fewer left: warn
  std::vector<ActivityRow> activity{};  // "Recent security activity", newest first
};

struct ConfirmPasswordView {
  Layout layout;
  std::string error;
  std::string next = "enroll";  // what comes after: "enroll", "manage" or "yubikey"
};

/// "Change password": the current password, then the new one twice.
struct ChangePasswordView {
  Layout layout;
  std::string error;
  bool wrong_current = false;  // the error is about the current password field
  bool bad_new = false;        // ... or about the new ones
};

struct EnrollView {
  Layout layout;
  std::string error;
  std::string qr_svg;         // inline SVG made by qr::QrCode::to_svg (trusted, not escaped)
  std::string secret_groups;  // "JBSW Y3DP EHPK 3PXP"
  std::string otpauth_uri;
  std::string issuer;
  std::string account;
  int code_digits = 6;  // of the factor being enrolled
};

struct EnabledView {
  Layout layout;
  int code_digits = 6;  // of the factor just enabled
};

struct ErrorView {
  Layout layout;
  unsigned status = 404;
  std::string heading;  // "Page not found"
  std::string message;
};

std::string render(const SignupView& view);
std::string render(const SignupSentView& view);
std::string render(const SignupConfirmView& view);
std::string render(const LoginView& view);
std::string render(const CodeView& view);
std::string render(const SecurityView& view);
std::string render(const ConfirmPasswordView& view);
std::string render(const ChangePasswordView& view);
std::string render(const EnrollView& view);
std::string render(const EnabledView& view);
std::string render(const RecoverView& view);
std::string render(const BackupCodesView& view);
std::string render(const ManageView& view);
std::string render(const YubiKeyView& view);
std::string render(const ErrorView& view);

/// The one stylesheet, served at /static/style.css.
std::string_view stylesheet();
/// The one script, served at /static/console.js.
std::string_view script();

}  // namespace tfa::web
