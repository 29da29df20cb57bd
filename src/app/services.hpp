#pragma once
// Wiring: turns a Config into the running parts of tfa. The server and the command line both
// start here; this folder is the one place that names concrete classes.
#include <memory>

#include "auth/account_service.hpp"
#include "auth/api_tokens.hpp"
#include "auth/backup_codes.hpp"
#include "auth/disable_two_factor.hpp"
#include "auth/notices.hpp"
#include "auth/password_change.hpp"
#include "auth/password_reconfirmation.hpp"
#include "auth/recovery.hpp"
#include "auth/enrollment.hpp"
#include "auth/login_flow.hpp"
#include "auth/session_service.hpp"
#include "auth/signup.hpp"
#include "auth/throttle.hpp"
#include "auth/trusted_devices.hpp"
#include "auth/yubikeys.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "crypto/os_random.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/sealer.hpp"
#include "storage/sql/database.hpp"
#include "notify/mail_queue.hpp"
#include "notify/transport.hpp"
#include "notify/notifier.hpp"
#include "storage/sql/sql_api_token_store.hpp"
#include "storage/sql/sql_audit_log.hpp"
#include "storage/sql/sql_backup_code_store.hpp"
#include "storage/sql/sql_email_token_store.hpp"
#include "storage/sql/sql_expiry_store.hpp"
#include "storage/sql/sql_factor_store.hpp"
#include "storage/sql/sql_session_store.hpp"
#include "storage/sql/sql_throttle_store.hpp"
#include "storage/sql/sql_trusted_device_store.hpp"
#include "storage/sql/sql_user_store.hpp"
#include "storage/sql/sql_yubikey_store.hpp"
#include "yubico/local_validator.hpp"

namespace tfa::app {

struct OpenOptions {
  bool migrate = true;  // apply pending migrations; false for `tfa db status`
};

/// Everything a command or the server needs. Members refer to each other, so it is never
/// moved or copied once built.
struct Services {
  config::Config config;
  crypto::OsRandom random;
  SystemClock clock;
  std::unique_ptr<storage::sql::Database> database;
  std::unique_ptr<crypto::Sealer> sealer;
  std::unique_ptr<crypto::PasswordHasher> hasher;
  std::unique_ptr<storage::sql::SqlUserStore> users;
  std::unique_ptr<storage::sql::SqlFactorStore> factors;
  std::unique_ptr<storage::sql::SqlAuditLog> audit;
  std::unique_ptr<storage::sql::SqlSessionStore> session_store;
  std::unique_ptr<storage::sql::SqlTrustedDeviceStore> device_store;
  std::unique_ptr<storage::sql::SqlThrottleStore> throttle_store;
  std::unique_ptr<storage::sql::SqlBackupCodeStore> backup_code_store;
  std::unique_ptr<storage::sql::SqlEmailTokenStore> email_token_store;
  std::unique_ptr<storage::sql::SqlExpiryStore> expiry_store;
  std::unique_ptr<storage::sql::SqlApiTokenStore> api_token_store;
  std::unique_ptr<storage::sql::SqlYubiKeyStore> yubikey_store;
  /// Checks OTPs with the keys imported here: tfa's validation server, and sign-in in local mode.
  std::unique_ptr<yubico::LocalValidator> local_yubico;
  /// What sign-in and registration ask: local_yubico, or a remote validation server.
  std::unique_ptr<auth::YubicoValidator> remote_yubico;
  auth::YubicoValidator* yubico = nullptr;
  /// The configured transport (SMTP or the outbox folder), and the queue in front of it that
  /// every service sends through; the queue is declared second so that it stops first.
  std::unique_ptr<notify::Notifier> mail_transport;
  std::unique_ptr<notify::MailQueue> mail;
  std::unique_ptr<auth::Notices> notices;
  std::unique_ptr<auth::AccountService> accounts;
  std::unique_ptr<auth::Throttle> throttle;
  std::unique_ptr<auth::SessionService> sessions;
  std::unique_ptr<auth::TrustedDevices> devices;
  std::unique_ptr<auth::Enrollment> enrollment;
  std::unique_ptr<auth::BackupCodes> backup_codes;
  std::unique_ptr<auth::YubiKeys> yubikeys;
  std::unique_ptr<auth::LoginFlow> login;
  /// The JSON API's sign-in: the same flow, except that the code may always be appended to
  /// the password (seed 002), whatever login.code_in_password says for the console.
  std::unique_ptr<auth::LoginFlow> api_login;
  std::unique_ptr<auth::ApiTokens> api_tokens;
  std::unique_ptr<auth::Recovery> recovery;
  std::unique_ptr<auth::Signup> signup;
  std::unique_ptr<auth::DisableTwoFactor> disable_two_factor;
  std::unique_ptr<auth::PasswordChanger> password_changer;
  std::unique_ptr<auth::PasswordReconfirmation> reconfirmation;
};

/// The [mail] settings as the notify library takes them: SMTP when mail.smtp_url is set,
/// otherwise the outbox folder <data_dir>/outbox.
notify::MailTransportSettings mail_transport_settings(const config::Config& config);

/// The address users reach the console at, for links in mail: server.public_url, or else
/// http:// and the listen address.
std::string public_url(const config::Config& config);

/// Creates the data folder (mode 0700) when missing, opens the database, applies pending
/// migrations, and loads the server key, creating it on first start.
Result<std::unique_ptr<Services>> open_services(const config::Config& config, OpenOptions options = {});

/// Creates `folder` (and its parents) with mode 0700 when it does not exist.
Result<void> ensure_private_folder(const std::filesystem::path& folder);

}  // namespace tfa::app
