// The pages before sign-in: sign-up, sign-in with password, and the second step with the code.
#include "web/render_page.hpp"

namespace tfa::web {

using detail::mustache::data;
using detail::set_if_present;

std::string render(const SignupView& view) {
  data values;
  set_if_present(values, "error", view.error);
  set_if_present(values, "username", view.username);
  set_if_present(values, "email", view.email);
  return detail::render_page("signup", view.layout, std::move(values));
}

std::string render(const SignupSentView& view) {
  data values;
  values.set("email", view.email);
  values.set("valid_minutes", std::to_string(view.valid_minutes));
  return detail::render_page("signup_sent", view.layout, std::move(values));
}

std::string render(const SignupConfirmView& view) {
  data values;
  set_if_present(values, "error", view.error);
  set_if_present(values, "token", view.token);
  return detail::render_page("signup_confirm", view.layout, std::move(values));
}

std::string render(const LoginView& view) {
  data values;
  set_if_present(values, "error", view.error);
  set_if_present(values, "notice", view.notice);
  set_if_present(values, "username", view.username);
  values.set("show_otp_field", view.show_otp_field);
  values.set("has_yubikey", view.has_yubikey);
  values.set("signup_enabled", view.signup_enabled);
  values.set("show_remember", view.remember_days > 0);
  values.set("remember_days", std::to_string(view.remember_days));
  values.set("code_digits", std::to_string(view.code_digits));
  return detail::render_page("login", view.layout, std::move(values));
}

std::string render(const CodeView& view) {
  data values;
  set_if_present(values, "error", view.error);
  values.set("remember_days", std::to_string(view.remember_days));
  values.set("has_yubikey", view.has_yubikey);
  values.set("code_digits", std::to_string(view.code_digits));
  const char* page = view.backup ? "backup_login" : view.yubikey ? "yubikey_login" : "code";
  return detail::render_page(page, view.layout, std::move(values));
}

std::string render(const RecoverView& view) {
  data values;
  set_if_present(values, "error", view.error);
  set_if_present(values, "notice", view.notice);
  set_if_present(values, "token", view.token);
  return detail::render_page("recover", view.layout, std::move(values));
}

}  // namespace tfa::web
