#include "web/event_text.hpp"

#include <array>

namespace tfa::web {
namespace {

struct Wording {
  std::string_view event;
  std::string_view outcome;  // "" matches any outcome
  std::string_view text;
};

constexpr std::array kWordings{
    Wording{"signin.password", "success", "Password accepted at sign-in"},
    Wording{"signin.password", "failure", "Wrong password at sign-in"},
    Wording{"signin.password", "throttled", "Sign-in paused after too many wrong passwords"},
    Wording{"signin.code", "success", "Signed in with an authentication code"},
    Wording{"signin.code", "failure", "Wrong authentication code"},
    Wording{"signin.code", "replayed", "An authentication code used twice was refused"},
    Wording{"signin.code", "throttled", "Codes paused after too many wrong ones"},
    Wording{"signin.backup_code", "success", "Signed in with a backup code"},
    Wording{"signin.backup_code", "failure", "Wrong backup code"},
    Wording{"signin.backup_code", "throttled", "Backup codes paused after too many wrong ones"},
    Wording{"signin.trusted_device", "", "Signed in on a trusted device"},
    Wording{"signin.yubikey", "success", "Signed in with a YubiKey"},
    Wording{"signin.yubikey", "failure", "YubiKey one-time password refused"},
    Wording{"signin.yubikey", "replayed", "A YubiKey one-time password used twice was refused"},
    Wording{"signin.yubikey", "throttled", "YubiKey paused after too many refused passwords"},
    Wording{"yubikey.added", "", "YubiKey added"},
    Wording{"yubikey.removed", "", "YubiKey removed"},
    Wording{"yubikey.add", "", "YubiKey not added: its one-time password was refused"},
    Wording{"2fa.enabled", "", "Two-factor authentication turned on"},
    Wording{"2fa.enable", "", "Wrong code while turning on two-factor authentication"},
    Wording{"2fa.disabled", "", "Two-factor authentication turned off"},
    Wording{"2fa.reset_by_admin", "", "Two-factor authentication reset by an administrator"},
    Wording{"backup_codes.created", "", "Backup codes made"},
    Wording{"backup_codes.regenerated", "", "Backup codes regenerated"},
    Wording{"device.trusted", "", "Device trusted"},
    Wording{"device.forgotten", "", "Trusted device forgotten"},
    Wording{"device.forgotten_all", "", "All trusted devices forgotten"},
    Wording{"recovery.requested", "success", "Recovery e-mail sent"},
    Wording{"recovery.requested", "throttled", "Recovery e-mail refused: too many asked for"},
    Wording{"recovery.redeemed", "", "Recovery token refused"},
    Wording{"user.created", "", "Account created"},
    Wording{"user.password_changed", "", "Password changed"},
    Wording{"user.password_change", "failure", "Wrong current password when changing the password"},
    Wording{"user.password_change", "throttled", "Password change paused after too many wrong passwords"},
    Wording{"user.reauth", "failure", "Wrong password when confirming it for a 2FA change"},
    Wording{"user.reauth", "throttled", "Password confirmation paused after too many wrong passwords"},
    Wording{"user.disabled", "", "Account disabled by an administrator"},
    Wording{"user.enabled", "", "Account enabled by an administrator"},
};

}  // namespace

std::string describe_event(std::string_view event, std::string_view outcome) {
  for (const auto& wording : kWordings) {
    if (wording.event == event && (wording.outcome.empty() || wording.outcome == outcome)) {
      return std::string(wording.text);
    }
  }
  return std::string(event) + " (" + std::string(outcome) + ")";
}

bool is_warning(std::string_view outcome) {
  return outcome == "failure" || outcome == "replayed" || outcome == "throttled";
}

}  // namespace tfa::web
