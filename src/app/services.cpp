#include "app/services.hpp"

#include <system_error>

#include "app/open_database.hpp"
#include "app/server_key.hpp"
#include "storage/sql/migrator.hpp"
#include "yubico/remote_validator.hpp"
#include "yubico/validation_protocol.hpp"

namespace tfa::app {

Result<void> ensure_private_folder(const std::filesystem::path& folder) {
  std::error_code error;
  if (std::filesystem::is_directory(folder, error)) return {};
  std::filesystem::create_directories(folder, error);
  if (!error) {
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, error);
  }
  if (error) {
    return fail(Errc::unavailable, "cannot create folder " + folder.string() + ": " + error.message());
  }
  return {};
}

notify::MailTransportSettings mail_transport_settings(const config::Config& config) {
  notify::MailTransportSettings settings;
  settings.from = config.mail.from;
  settings.outbox = config.data_dir / "outbox";
  settings.smtp.url = config.mail.smtp_url;
  settings.smtp.username = config.mail.smtp_username;
  settings.smtp.password = config.mail.smtp_password;
  settings.smtp.starttls = config.mail.smtp_starttls;
  settings.smtp.ca_file = config.mail.smtp_ca_file;
  return settings;
}

std::string public_url(const config::Config& config) {
  std::string url = config.server.public_url;
  if (url.empty()) url = "http://" + config.server.listen;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Result<std::unique_ptr<Services>> open_services(const config::Config& config, OpenOptions options) {
  auto services = std::make_unique<Services>();
  services->config = config;
  TFA_CHECK(ensure_private_folder(config.data_dir));

  // The key first: a key file that is unsafe or damaged stops tfa before it touches the database.
  TFA_TRY(auto sealer, load_server_key(config.key_file(), /*create=*/true, services->random));
  services->sealer = std::make_unique<crypto::Sealer>(std::move(sealer));
  TFA_TRY(services->database, open_database(config.database_url(), config.database_pool_size));
  if (options.migrate) {
    TFA_TRY(auto applied, storage::sql::migrate(*services->database, services->clock.now()));
    (void)applied;
  }
  TFA_TRY(auto hasher, crypto::PasswordHasher::create(
                           {config.password.argon2_ops, config.password.argon2_memory_kib},
                           config.server.hash_workers));
  services->hasher = std::make_unique<crypto::PasswordHasher>(std::move(hasher));

  auto& database = *services->database;
  services->users = std::make_unique<storage::sql::SqlUserStore>(database);
  services->factors =
      std::make_unique<storage::sql::SqlFactorStore>(database, *services->sealer, services->random);
  services->audit = std::make_unique<storage::sql::SqlAuditLog>(database);
  TFA_TRY(auto accounts, auth::AccountService::create(
                             {*services->users, *services->factors, *services->audit},
                             *services->hasher, services->clock, config.password.min_length));
  services->accounts = std::make_unique<auth::AccountService>(std::move(accounts));

  services->session_store = std::make_unique<storage::sql::SqlSessionStore>(database);
  services->device_store = std::make_unique<storage::sql::SqlTrustedDeviceStore>(database);
  services->throttle_store = std::make_unique<storage::sql::SqlThrottleStore>(database);
  services->throttle = std::make_unique<auth::Throttle>(*services->throttle_store, services->clock);
  services->backup_code_store = std::make_unique<storage::sql::SqlBackupCodeStore>(database);
  services->email_token_store = std::make_unique<storage::sql::SqlEmailTokenStore>(database);
  services->expiry_store = std::make_unique<storage::sql::SqlExpiryStore>(database);
  services->api_token_store = std::make_unique<storage::sql::SqlApiTokenStore>(database);
  services->yubikey_store =
      std::make_unique<storage::sql::SqlYubiKeyStore>(database, *services->sealer, services->random);
  services->local_yubico = std::make_unique<yubico::LocalValidator>(*services->yubikey_store);
  services->yubico = services->local_yubico.get();
  if (config.yubikey.mode == "remote") {
    yubico::RemoteSettings remote;
    remote.url = config.yubikey.remote_url;
    remote.client_id = config.yubikey.remote_client_id;
    remote.api_key = yubico::base64_decode(config.yubikey.remote_api_key);
    remote.timeout = std::chrono::milliseconds(config.yubikey.remote_timeout_ms);
    remote.ca_file = config.yubikey.remote_ca_file;
    if (remote.api_key.empty()) return fail(Errc::invalid_argument, "yubikey.remote_api_key is not base64");
    services->remote_yubico = std::make_unique<yubico::RemoteValidator>(std::move(remote), services->random);
    services->yubico = services->remote_yubico.get();
  }

  TFA_TRY(services->mail_transport, notify::make_transport(mail_transport_settings(config)));
  notify::MailQueueOptions queue;
  queue.attempts = config.mail.retry_attempts;
  queue.first_delay = std::chrono::seconds(config.mail.retry_first_delay_seconds);
  services->mail = std::make_unique<notify::MailQueue>(*services->mail_transport, queue);
  services->notices = std::make_unique<auth::Notices>(
      *services->mail, services->clock, auth::NoticeSettings{config.issuer, public_url(config)});
  services->backup_codes = std::make_unique<auth::BackupCodes>(
      *services->backup_code_store, *services->audit, *services->throttle, *services->notices,
      services->clock, services->random, services->sealer->derive_key("backup-codes"));
  services->sessions = std::make_unique<auth::SessionService>(
      *services->session_store, services->clock, services->random,
      services->sealer->derive_key("csrf"));
  services->devices = std::make_unique<auth::TrustedDevices>(
      *services->device_store, *services->audit, services->clock, services->random,
      std::chrono::days(config.login.trusted_device_days), services->notices.get());
  const unsigned window = static_cast<unsigned>(config.login.totp_window_steps);
  auth::EnrollmentSettings enrollment;
  enrollment.issuer = config.issuer;
  enrollment.totp.window = {window, window};
  enrollment.totp.max_drift_steps = static_cast<unsigned>(config.login.totp_max_drift_steps);
  enrollment.params.digits = config.login.totp_digits;
  services->enrollment = std::make_unique<auth::Enrollment>(
      *services->factors, *services->audit, services->clock, services->random, enrollment,
      services->notices.get());
  services->yubikeys = std::make_unique<auth::YubiKeys>(*services->factors, *services->audit, *services->yubico,
                                                        services->clock, services->notices.get());
  auth::LoginSettings login;
  login.code_in_password = config.login.code_in_password;
  login.totp = enrollment.totp;
  login.totp_digits = config.login.totp_digits;
  services->login = std::make_unique<auth::LoginFlow>(*services->accounts, *services->factors,
                                                      *services->audit, *services->throttle,
                                                      *services->devices, services->clock, login,
                                                      services->backup_codes.get(), *services->database,
                                                      services->notices.get(), services->yubikeys.get());
  auth::LoginSettings api_login = login;
  api_login.code_in_password = true;
  services->api_login = std::make_unique<auth::LoginFlow>(*services->accounts, *services->factors,
                                                          *services->audit, *services->throttle,
                                                          *services->devices, services->clock, api_login,
                                                          services->backup_codes.get(), *services->database,
                                                          services->notices.get(), services->yubikeys.get());
  services->api_tokens = std::make_unique<auth::ApiTokens>(*services->api_token_store, *services->audit,
                                                           services->clock, services->random,
                                                           auth::ApiTokenSettings{}, *services->database,
                                                           services->notices.get());
  services->recovery = std::make_unique<auth::Recovery>(
      *services->email_token_store, *services->users, *services->audit, *services->throttle,
      *services->notices, services->clock, services->random);
  auth::SignupSettings signup;
  signup.per_address = config.signup_per_address;
  services->signup = std::make_unique<auth::Signup>(
      auth::SignupStores{*services->users, *services->audit}, *services->accounts, *services->throttle,
      *services->notices, *services->sealer, services->clock, services->random, signup);
  services->disable_two_factor = std::make_unique<auth::DisableTwoFactor>(
      *services->factors, *services->login, *services->notices, services->clock);
  services->password_changer = std::make_unique<auth::PasswordChanger>(
      *services->accounts, *services->throttle,
      auth::PasswordChangeStores{*services->users, *services->session_store, *services->api_token_store,
                                 *services->email_token_store, *services->audit, *services->database},
      services->clock, services->notices.get(), login.password_per_account);
  services->reconfirmation = std::make_unique<auth::PasswordReconfirmation>(
      *services->accounts, *services->throttle, *services->audit, *services->database, services->clock,
      login.password_per_account);
  return services;
}

}  // namespace tfa::app
