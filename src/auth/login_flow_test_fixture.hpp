#pragma once
// The fixture of the sign-in flow's tests (login_flow_test.cpp, login_window_test.cpp,
// login_throttle_test.cpp): alice and bob on a fresh SQLite database, a LoginFlow with the
// given settings, and helpers for codes, sign-in steps and audit events.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "auth/auth_test_db.hpp"
#include "auth/login_flow.hpp"
#include "otp/secret.hpp"

namespace tfa::auth::test {

using namespace std::chrono_literals;
using std::chrono::seconds;

class LoginFlowTest : public AuthDbTest {
 protected:
  void SetUp() override {
    AuthDbTest::SetUp();
    throttle_ = std::make_unique<Throttle>(*throttle_store_, clock_);
    devices_ = std::make_unique<TrustedDevices>(*devices_store_, *audit_, clock_, random_, std::chrono::days(7));
    make_flow({});
    alice_ = accounts_->create_user("alice", "alice@example.com", "password", cli_).value();
    bob_ = accounts_->create_user("bob", "bob@example.com", "bob's password", cli_).value();
  }
  void TearDownServices() override {
    flow_.reset();
    devices_.reset();
    throttle_.reset();
  }

  void make_flow(LoginSettings settings) {
    flow_ = std::make_unique<LoginFlow>(*accounts_, *factors_, *audit_, *throttle_, *devices_, clock_, settings);
  }

  /// Gives `user` a confirmed TOTP factor and returns a generator for its codes, built from
  /// the secret read back through the factor store.
  otp::Totp add_totp(const storage::User& user, int digits = 6) {
    otp::TotpParams params;
    params.digits = digits;
    SecretBytes secret = otp::generate_secret(params.algorithm, random_);
    storage::NewFactor factor;
    factor.user_id = user.id;
    factor.kind = storage::FactorKind::totp;
    factor.label = "phone";
    factor.params = totp_params_json(params);
    factor.secret = &secret;
    factor.status = storage::FactorStatus::confirmed;
    const auto id = factors_->add_factor(factor, now()).value();
    auto stored = factors_->find_factor(id).value();
    EXPECT_TRUE(stored.has_value());
    return otp::Totp::create(parse_totp_params(stored->params).value(), stored->secret).value();
  }

  std::string code(const otp::Totp& totp, seconds offset = 0s) const { return totp.code_at(now() + offset); }

  /// A six-digit code that matches no step in the window around now.
  std::string wrong_code(const otp::Totp& totp) const {
    std::vector<std::string> valid;  // every step a drifted window might accept
    for (int step = -4; step <= 4; ++step) valid.push_back(code(totp, step * 30s));
    for (int n = 0;; ++n) {
      char text[8];
      std::snprintf(text, sizeof text, "%06d", n * 111'111 % 1'000'000);
      if (std::find(valid.begin(), valid.end(), text) == valid.end()) return text;
    }
  }

  PasswordStep password(std::string_view name, std::string_view pw,
                        std::optional<std::string_view> code_field = std::nullopt,
                        std::optional<std::string_view> device = std::nullopt) {
    return flow_->submit_password(name, pw, code_field, device, browser_).value();
  }
  CodeStep submit(const storage::User& user, std::string_view c) {
    return flow_->submit_code(user, c, browser_).value();
  }

  std::vector<storage::AuditEvent> events_of(const storage::User& user) {
    return audit_->list({user.id, std::nullopt, 1000}).value();
  }
  bool has_event(const storage::User& user, std::string_view event, std::string_view outcome) {
    const auto events = events_of(user);
    return std::any_of(events.begin(), events.end(),
                       [&](const auto& e) { return e.event == event && e.outcome == outcome; });
  }

  std::unique_ptr<Throttle> throttle_;
  std::unique_ptr<TrustedDevices> devices_;
  std::unique_ptr<LoginFlow> flow_;
  storage::User alice_;
  storage::User bob_;
};

}  // namespace tfa::auth::test
