#include "auth/notices.hpp"

#include <spdlog/spdlog.h>

#include "core/utf8.hpp"
#include "core/escape_html.hpp"
#include "core/utc_time.hpp"

namespace tfa::auth {
namespace {

std::string origin(const Actor& actor) {
  std::string out = "from address " + (actor.client_address.empty() ? std::string("(unknown)") : actor.client_address);
  if (!actor.user_agent.empty()) out += ", browser or program \"" + core::valid_utf8_prefix(actor.user_agent, 200) + "\"";
  return out;
}

}  // namespace

void Notices::send(const storage::User& user, const std::string& subject,
                   const std::vector<std::string>& paragraphs, const Actor& actor) {
  send_to(user.name, user.email, subject, paragraphs, actor,
          "If this was not you, sign in, change your password and review the security "
          "settings of your account" +
              (settings_.public_url.empty() ? std::string(".")
                                            : " at " + settings_.public_url + "/profile/security."));
}

void Notices::send_to(const std::string& name, const std::string& email, const std::string& subject,
                      const std::vector<std::string>& paragraphs, const Actor& actor,
                      const std::string& closing) {
  std::vector<std::string> all;
  all.push_back("Hello " + name + ",");
  all.insert(all.end(), paragraphs.begin(), paragraphs.end());
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  all.push_back("When: " + format_utc_minute(now) + "; " + origin(actor) + ".");
  all.push_back(closing);
  notify::Message message;
  message.to = email;
  message.subject = settings_.product + ": " + subject;
  message.html = "<!doctype html><html><body style=\"font-family:sans-serif\">";
  for (const auto& paragraph : all) {
    message.text += paragraph + "\n\n";
    message.html += "<p>" + escape_html(paragraph) + "</p>";
  }
  message.html += "</body></html>";
  // A notice that cannot be queued must not undo what it reports; it is logged instead.
  if (auto sent = notifier_.send(message); !sent) {
    spdlog::error("notice \"{}\" for {} not sent: {}", subject, name, sent.error().message);
  }
}

std::string Notices::link(std::string_view path) const {
  return settings_.public_url.empty() ? std::string() : settings_.public_url + std::string(path);
}

void Notices::signup_link(const std::string& name, const std::string& email, const std::string& token,
                          int valid_minutes, const Actor& actor) {
  std::vector<std::string> paragraphs = {
      "Someone, probably you, asked to create the account \"" + name + "\" with this e-mail "
      "address. To finish, open this link and press Create account:"};
  if (const auto url = link("/signup/confirm?token=" + token); !url.empty()) {
    paragraphs.push_back(url);
  } else {
    paragraphs.push_back("Open /signup/confirm on the console and paste this token: " + token);
  }
  paragraphs.push_back("The link works within " + std::to_string(valid_minutes) + " minutes.");
  send_to(name, email, "confirm your new account", paragraphs, actor,
          "If you did not ask for this, ignore this mail: no account is made without the link.");
}

void Notices::signup_name_taken(const std::string& name, const std::string& email, const Actor& actor) {
  const auto signup = link("/signup");
  const auto login = link("/login");
  send_to(name, email, "that username is taken",
          {"Someone, probably you, asked to create the account \"" + name + "\" with this e-mail "
           "address, but that username is taken. No account was created.",
           "Sign up again with another username" + (signup.empty() ? std::string(".") : " at " + signup + "."),
           "If the account is yours, sign in" + (login.empty() ? std::string(".") : " at " + login + ".")},
          actor, "If you did not ask for this, ignore this mail.");
}

void Notices::yubikey_added(const storage::User& user, const std::string& label, const Actor& actor) {
  send(user, "a YubiKey was added",
       {"The YubiKey \"" + label + "\" was added to your account. Touching it now signs you in "
        "after your password, like a code from your authenticator app."},
       actor);
}

void Notices::yubikey_removed(const storage::User& user, const std::string& label, const Actor& actor) {
  send(user, "a YubiKey was removed",
       {"The YubiKey \"" + label + "\" was removed from your account and no longer signs you in."},
       actor);
}

void Notices::two_factor_enabled(const storage::User& user, const Actor& actor) {
  send(user, "two-factor authentication was turned on",
       {"Two-factor authentication is now on for your account. Signing in needs your password "
        "and a code from your authenticator app, or one of your backup codes."},
       actor);
}

void Notices::two_factor_disabled(const storage::User& user, const Actor& actor, std::string_view how) {
  send(user, "two-factor authentication was turned off",
       {"Two-factor authentication is now off for your account (" + std::string(how) +
        "). Your authenticator app, backup codes and trusted devices no longer work for it.",
        "Signing in now needs only your password. We recommend turning two-factor "
        "authentication on again."},
       actor);
}

void Notices::password_known(const storage::User& user, int wrong_codes, const Actor& actor) {
  send(user, "someone knows your password",
       {"Someone signed in to your account with your password, then entered " +
            std::to_string(wrong_codes) +
            " wrong codes in a row for the second step. They did not get in: two-factor "
            "authentication stopped them, and further codes are refused for a while.",
        "If this was not you, someone knows your password. Change it now, and do not use it "
        "anywhere else."},
       actor);
}

void Notices::password_changed(const storage::User& user, const Actor& actor) {
  send(user, "your password was changed",
       {"The password of your account was changed. Every browser that was signed in to your "
        "account has been signed out, and every API token and API key of the account was "
        "revoked: scripts that use one need a new key."},
       actor);
}

void Notices::api_key_created(const storage::User& user, const std::string& name,
                              const std::optional<storage::Time>& expires_at, const Actor& actor) {
  send(user, "a new API key",
       {"An API key named \u201c" + name + "\u201d was made for your account. " +
            (expires_at ? "It works until " + format_utc_minute(*expires_at) + "."
                        : "It does not expire.") +
            " A key signs in to the API without a code.",
        "If you did not make it, revoke it in the API (DELETE /api/v1/keys/ID) and change your "
        "password: changing the password revokes every key of the account."},
       actor);
}

void Notices::backup_codes_regenerated(const storage::User& user, const Actor& actor) {
  send(user, "new backup codes were made",
       {"A new set of backup codes was made for your account. The previous codes no longer work."},
       actor);
}

void Notices::backup_code_used(const storage::User& user, std::int64_t remaining, const Actor& actor) {
  std::vector<std::string> paragraphs = {"A backup code was used to sign in to your account. You have " +
                                         std::to_string(remaining) + " backup codes left."};
  if (remaining <= 3) {
    paragraphs.push_back("You are running out of backup codes: make a new set from Security > "
                         "Manage two-factor authentication > Regenerate backup codes.");
  }
  send(user, "a backup code was used", paragraphs, actor);
}

void Notices::device_trusted(const storage::User& user, const Actor& actor) {
  send(user, "a new trusted device",
       {"A device was trusted for your account: signing in on it will not ask for a code for a "
        "while. You can forget it under Security > Trusted devices."},
       actor);
}

void Notices::recovery_token(const storage::User& user, const std::string& token, int valid_minutes,
                             const Actor& actor) {
  std::vector<std::string> paragraphs = {
      "Someone who knows your password asked to turn off two-factor authentication for your "
      "account, because the device with the authenticator app is lost.",
      "To turn it off and sign in, paste this one-time token into the sign-in page:",
      token};
  if (!settings_.public_url.empty()) {
    paragraphs.push_back("Or open this link: " + settings_.public_url + "/login/recover?token=" + token);
  }
  paragraphs.push_back("The token works once, within " + std::to_string(valid_minutes) +
                       " minutes. If you did not ask for this, someone knows your password: "
                       "do not use the token, and change your password.");
  send(user, "turn off two-factor authentication", paragraphs, actor);
}

}  // namespace tfa::auth
