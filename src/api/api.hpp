#pragma once
// The JSON API under /api/v1: the console's accounts, flows and rules for programs. Signing in
// returns a bearer token; with 2FA on, the same second factor is required as in the console
// (seed 002: "Activating TFA also activates it for the API"). API keys let scripts call the
// API without a code, but cannot manage 2FA or create keys. docs/api.md describes every call;
// src/api/openapi.json is the machine-readable contract, served at /api/v1/openapi.json.
#include <string>

#include "auth/account_service.hpp"
#include "auth/api_tokens.hpp"
#include "auth/backup_codes.hpp"
#include "auth/disable_two_factor.hpp"
#include "auth/enrollment.hpp"
#include "auth/login_flow.hpp"
#include "auth/password_reconfirmation.hpp"
#include "auth/throttle.hpp"
#include "auth/trusted_devices.hpp"
#include "auth/yubikeys.hpp"
#include "http/blocking_pool.hpp"
#include "http/router.hpp"
#include "storage/transactions.hpp"

namespace tfa::api {

/// What the API's handlers use. All references outlive the Api.
struct ApiServices {
  auth::AccountService& accounts;
  auth::LoginFlow& login;  // with the code allowed after the password
  auth::ApiTokens& tokens;
  auth::Enrollment& enrollment;
  auth::BackupCodes& backup_codes;
  auth::DisableTwoFactor& disable_two_factor;
  auth::TrustedDevices& devices;
  auth::Throttle& throttle;
  storage::FactorStore& factors;
  storage::Transactions& transactions;  // to group a request's store calls
  http::BlockingPool& pool;  // Argon2id runs here, off the I/O threads
  auth::YubiKeys& yubikeys;
  auth::PasswordReconfirmation& reconfirmation;  // the password in requests that change 2FA
};

struct ApiSettings {
  std::string issuer = "tfa";
};

class Api {
 public:
  Api(ApiServices services, ApiSettings settings) : s_(services), settings_(std::move(settings)) {}

  /// Registers every /api/v1 route and JSON 404/405 answers for anything else under /api/.
  void add_routes(http::Router& router);

  ApiServices& services() { return s_; }
  const ApiSettings& settings() const { return settings_; }

 private:
  ApiServices s_;
  ApiSettings settings_;
};

/// The response for a request the server could not read (400, 413, 431): JSON for paths under
/// /api/, plain text elsewhere. For http::ServerSettings::unreadable_request.
http::Response unreadable_request(const http::Request& partial, unsigned status);

}  // namespace tfa::api
