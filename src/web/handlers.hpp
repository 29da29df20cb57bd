#pragma once
// The console's request handlers, one function per page and method.
#include "http/types.hpp"
#include "web/console.hpp"

namespace tfa::web::handlers {

using Reply = http::net::awaitable<http::Response>;

Reply home(Console&, http::Request&, const http::ClientInfo&);
Reply signup_form(Console&, http::Request&, const http::ClientInfo&);
Reply signup(Console&, http::Request&, const http::ClientInfo&);
Reply signup_confirm_form(Console&, http::Request&, const http::ClientInfo&);
Reply signup_confirm(Console&, http::Request&, const http::ClientInfo&);
Reply login_form(Console&, http::Request&, const http::ClientInfo&);
Reply login(Console&, http::Request&, const http::ClientInfo&);
Reply code_form(Console&, http::Request&, const http::ClientInfo&);
Reply code(Console&, http::Request&, const http::ClientInfo&);
Reply logout(Console&, http::Request&, const http::ClientInfo&);

Reply security(Console&, http::Request&, const http::ClientInfo&);
Reply confirm_password_form(Console&, http::Request&, const http::ClientInfo&);
Reply confirm_password(Console&, http::Request&, const http::ClientInfo&);
Reply enroll_form(Console&, http::Request&, const http::ClientInfo&);
Reply enroll(Console&, http::Request&, const http::ClientInfo&);
Reply enabled(Console&, http::Request&, const http::ClientInfo&);
Reply forget_device(Console&, http::Request&, const http::ClientInfo&);
Reply forget_all_devices(Console&, http::Request&, const http::ClientInfo&);

// Backup codes (backup_code_pages.cpp) and recovery by e-mail (recovery_pages.cpp).
Reply backup_login_form(Console&, http::Request&, const http::ClientInfo&);
Reply backup_login(Console&, http::Request&, const http::ClientInfo&);
Reply manage(Console&, http::Request&, const http::ClientInfo&);
Reply regenerate_backup_codes(Console&, http::Request&, const http::ClientInfo&);
Reply disable(Console&, http::Request&, const http::ClientInfo&);
Reply send_recovery_mail(Console&, http::Request&, const http::ClientInfo&);
Reply recover_form(Console&, http::Request&, const http::ClientInfo&);
Reply recover(Console&, http::Request&, const http::ClientInfo&);

// YubiKeys (yubikey_pages.cpp).
Reply yubikey_form(Console&, http::Request&, const http::ClientInfo&);
Reply add_yubikey(Console&, http::Request&, const http::ClientInfo&);
Reply remove_yubikey(Console&, http::Request&, const http::ClientInfo&);
Reply yubikey_login_form(Console&, http::Request&, const http::ClientInfo&);

// The password (password_pages.cpp).
Reply change_password_form(Console&, http::Request&, const http::ClientInfo&);
Reply change_password(Console&, http::Request&, const http::ClientInfo&);

}  // namespace tfa::web::handlers
