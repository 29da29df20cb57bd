#pragma once
// Security notices mailed to the user after each change to how their account is protected,
// so that a change the owner did not make is noticed. Sending goes through a Notifier, in
// the server a queue, so no request waits for the mail to leave.
#include <string>

#include "auth/actor.hpp"
#include "core/clock.hpp"
#include "notify/notifier.hpp"
#include "storage/user_store.hpp"

namespace tfa::auth {

struct NoticeSettings {
  std::string product = "tfa";  // the issuer name users know, in subjects and greetings
  std::string public_url;       // "https://console.example.com"; "" leaves links out
};

class Notices {
 public:
  Notices(notify::Notifier& notifier, const Clock& clock, NoticeSettings settings)
      : notifier_(notifier), clock_(clock), settings_(std::move(settings)) {}

  void two_factor_enabled(const storage::User& user, const Actor& actor);
  void two_factor_disabled(const storage::User& user, const Actor& actor, std::string_view how);
  void backup_codes_regenerated(const storage::User& user, const Actor& actor);
  void backup_code_used(const storage::User& user, std::int64_t remaining, const Actor& actor);
  void device_trusted(const storage::User& user, const Actor& actor);
  /// A YubiKey was added to, or removed from, an account that already had two-factor on.
  void yubikey_added(const storage::User& user, const std::string& label, const Actor& actor);
  void yubikey_removed(const storage::User& user, const std::string& label, const Actor& actor);
  /// Someone gave the right password and then `wrong_codes` wrong codes in a row: they know
  /// the password. Sent once per series of failures, when the code step is first blocked.
  void password_known(const storage::User& user, int wrong_codes, const Actor& actor);
  /// The owner changed the password from the console; every session was signed out.
  void password_changed(const storage::User& user, const Actor& actor);
  /// A new API key, which signs in without a code: its name and expiry.
  void api_key_created(const storage::User& user, const std::string& name,
                       const std::optional<storage::Time>& expires_at, const Actor& actor);
  /// The mail that carries the one-time token for turning 2FA off (seed 001), which is also
  /// the notice that someone asked for it.
  void recovery_token(const storage::User& user, const std::string& token, int valid_minutes,
                      const Actor& actor);

  /// Sign-up, confirmed by e-mail (docs/security.md, "No enumeration"): the mail with the
  /// link that creates the account, and the mail sent instead when the name is taken. Both go
  /// to the address typed into the form; only its owner learns which one it was.
  void signup_link(const std::string& name, const std::string& email, const std::string& token,
                   int valid_minutes, const Actor& actor);
  void signup_name_taken(const std::string& name, const std::string& email, const Actor& actor);

  const NoticeSettings& settings() const { return settings_; }
  /// For `tfa serve` on port 0: the address is known only once the server listens. Call it
  /// before any notice can be sent (it is not synchronised).
  void set_public_url(std::string url) { settings_.public_url = std::move(url); }

 private:
  /// `paragraphs` are plain text; they are escaped for the HTML part.
  void send(const storage::User& user, const std::string& subject,
            const std::vector<std::string>& paragraphs, const Actor& actor);
  /// The same to any name and address, ending with `closing` (the advice for the case that
  /// the reader did not do this).
  void send_to(const std::string& name, const std::string& email, const std::string& subject,
               const std::vector<std::string>& paragraphs, const Actor& actor,
               const std::string& closing);
  /// public_url + path, or "" when the public address is not known.
  std::string link(std::string_view path) const;

  notify::Notifier& notifier_;
  const Clock& clock_;
  NoticeSettings settings_;
};

}  // namespace tfa::auth
