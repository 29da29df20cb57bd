// Profile -> Security: the settings page, the password re-confirmation, enrolling an
// authenticator app and the success page.
#include "web/render_page.hpp"

namespace tfa::web {

using detail::mustache::data;
using detail::set_if_present;

std::string render(const SecurityView& view) {
  data values;
  set_if_present(values, "notice", view.notice);
  values.set("two_factor_on", view.two_factor_on);
  values.set("backup_codes_left", std::to_string(view.backup_codes_left));
  values.set("backup_codes_low", view.backup_codes_low);

  data factors{data::type::list};
  for (const auto& factor : view.factors) {
    data row;
    row.set("description", factor.description);
    row.set("added", factor.added);
    set_if_present(row, "last_used", factor.last_used);  // absent shows "Never"
    factors.push_back(row);
  }
  values.set("factors", factors);
  values.set("has_factors", !view.factors.empty());

  data devices{data::type::list};
  for (const auto& device : view.devices) {
    data row;
    row.set("id", std::to_string(device.id));
    row.set("browser", device.browser);
    row.set("added", device.added);
    row.set("last_seen", device.last_seen);
    row.set("current", device.current);
    devices.push_back(row);
  }
  values.set("devices", devices);
  values.set("has_devices", !view.devices.empty());

  data activity{data::type::list};
  for (const auto& row : view.activity) {
    data item;
    item.set("when", row.when);
    item.set("what", row.what);
    set_if_present(item, "address", row.address);
    item.set("browser", row.browser);
    item.set("warning", row.warning);
    activity.push_back(item);
  }
  values.set("activity", activity);
  values.set("has_activity", !view.activity.empty());
  return detail::render_page("security", view.layout, std::move(values));
}

std::string render(const ConfirmPasswordView& view) {
  data values;
  set_if_present(values, "error", view.error);
  values.set("next", view.next);
  return detail::render_page("confirm", view.layout, std::move(values));
}

std::string render(const ChangePasswordView& view) {
  data values;
  set_if_present(values, "error", view.error);
  values.set("wrong_current", view.wrong_current);
  values.set("bad_new", view.bad_new);
  return detail::render_page("password", view.layout, std::move(values));
}

std::string render(const EnrollView& view) {
  data values;
  set_if_present(values, "error", view.error);
  values.set("qr_svg", view.qr_svg);  // the one value the templates insert unescaped
  values.set("secret_groups", view.secret_groups);
  values.set("otpauth_uri", view.otpauth_uri);
  values.set("issuer", view.issuer);
  values.set("account", view.account);
  values.set("code_digits", std::to_string(view.code_digits));
  return detail::render_page("enroll", view.layout, std::move(values));
}

std::string render(const EnabledView& view) {
  data values;
  values.set("code_digits", std::to_string(view.code_digits));
  return detail::render_page("enabled", view.layout, std::move(values));
}

std::string render(const BackupCodesView& view) {
  data values;
  values.set("just_enabled", view.just_enabled);
  values.set("code_digits", std::to_string(view.code_digits));
  data codes{data::type::list};
  for (const auto& code : view.codes) codes.push_back(data(code));
  values.set("codes", codes);
  values.set("download_href", view.download_href);
  return detail::render_page("backup_codes", view.layout, std::move(values));
}

std::string render(const ManageView& view) {
  data values;
  set_if_present(values, "error", view.error);
  values.set("backup_codes_left", std::to_string(view.backup_codes_left));
  data keys{data::type::list};
  for (const auto& key : view.yubikeys) {
    data row;
    row.set("id", std::to_string(key.id));
    row.set("label", key.label);
    row.set("public_id", key.public_id);
    row.set("added", key.added);
    set_if_present(row, "last_used", key.last_used);
    keys.push_back(row);
  }
  values.set("yubikeys", keys);
  values.set("has_yubikeys", !view.yubikeys.empty());
  return detail::render_page("manage", view.layout, std::move(values));
}

std::string render(const YubiKeyView& view) {
  data values;
  set_if_present(values, "error", view.error);
  set_if_present(values, "label", view.label);
  values.set("first_factor", view.first_factor);
  return detail::render_page("yubikey", view.layout, std::move(values));
}

}  // namespace tfa::web
