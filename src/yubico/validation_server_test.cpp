#include "yubico/validation_server.hpp"

#include "storage/sql/sql_throttle_store.hpp"
#include "yubico/yubico_test_fixture.hpp"

namespace tfa::yubico {
namespace {

class ValidationServerTest : public test::YubicoTest {
 protected:
  void SetUp() override {
    YubicoTest::SetUp();
    client_key_ = SecretBytes(20);
    random_.fill(client_key_.expose_mutable());
    client_id_ = keys_->add_client("test", client_key_, now()).value();
    validator_ = std::make_unique<LocalValidator>(*keys_);
    throttle_ = std::make_unique<auth::Throttle>(*throttle_store_, clock_);
    server_ = std::make_unique<ValidationServer>(*keys_, *validator_, *throttle_, clock_);
  }
  void TearDownServices() override {
    server_.reset();
    throttle_.reset();
    validator_.reset();
    YubicoTest::TearDownServices();
  }

  http::FormFields signed_request(const std::string& one_time_password) {
    Parameters p{{"id", std::to_string(client_id_)}, {"otp", one_time_password},
                 {"nonce", "aaaabbbbccccdddd1234"}, {"timestamp", "1"}};
    p["h"] = signature(p, client_key_.expose());
    return {p.begin(), p.end()};
  }
  Answer ask(const http::FormFields& query) { return server_->answer(query, "192.0.2.1").value(); }

  SecretBytes client_key_;
  std::int64_t client_id_ = 0;
  std::unique_ptr<LocalValidator> validator_;
  std::unique_ptr<auth::Throttle> throttle_;
  std::unique_ptr<ValidationServer> server_;
};

TEST_F(ValidationServerTest, AnswersOkSignedAndEchoingTheRequest) {
  const std::string token = otp(3, 7);
  auto answer = ask(signed_request(token));
  EXPECT_EQ(answer.parameters.at("status"), "OK");
  EXPECT_EQ(answer.parameters.at("otp"), token);
  EXPECT_EQ(answer.parameters.at("nonce"), "aaaabbbbccccdddd1234");
  EXPECT_EQ(answer.parameters.at("sessioncounter"), "3");
  EXPECT_EQ(answer.parameters.at("sessionuse"), "7");
  EXPECT_TRUE(signature_ok(answer.parameters, client_key_.expose()));
  EXPECT_FALSE(answer.retry_after);
}

TEST_F(ValidationServerTest, AnswersReplayedOtpTheSecondTime) {
  const std::string token = otp(3, 7);
  ASSERT_EQ(ask(signed_request(token)).parameters.at("status"), "OK");
  auto again = ask(signed_request(token));
  EXPECT_EQ(again.parameters.at("status"), "REPLAYED_OTP");
  EXPECT_TRUE(signature_ok(again.parameters, client_key_.expose()));
}

TEST_F(ValidationServerTest, AnswersBadOtpForAForgedOne) {
  std::string forged = otp(3, 7);
  forged[20] = forged[20] == 'c' ? 'b' : 'c';
  EXPECT_EQ(ask(signed_request(forged)).parameters.at("status"), "BAD_OTP");
}

TEST_F(ValidationServerTest, AnswersBadSignatureAndDoesNotUseUpTheOtp) {
  const std::string token = otp(3, 7);
  auto query = signed_request(token);
  query["nonce"] = "zzzzbbbbccccdddd1234";  // signed for another nonce
  EXPECT_EQ(ask(query).parameters.at("status"), "BAD_SIGNATURE");
  EXPECT_EQ(ask(signed_request(token)).parameters.at("status"), "OK");
}

// An attacker who saw a request (client id and nonce) must not get an answer signed for it
// that reads "OK": neither by a bad-signature request whose OTP smuggles "&status=OK" into
// the signed text, nor by one with such an OTP and a good signature (he has no key, but a
// client might be careless).
TEST_F(ValidationServerTest, SignsNothingAnAttackerCanTurnIntoAnotherAnswer) {
  auto query = signed_request(otp(1, 1) + "&status=OK&t=x");
  query["h"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  auto answer = ask(query);
  EXPECT_EQ(answer.parameters.at("status"), "BAD_OTP");
  EXPECT_FALSE(answer.parameters.contains("h"));
  EXPECT_FALSE(answer.parameters.contains("otp"));

  auto bad_signature = signed_request(otp(1, 1));
  bad_signature["h"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  answer = ask(bad_signature);
  EXPECT_EQ(answer.parameters.at("status"), "BAD_SIGNATURE");
  EXPECT_FALSE(answer.parameters.contains("h")) << "an answer to a forged request is not signed";
  EXPECT_FALSE(answer.parameters.contains("otp"));

  auto smuggled = signed_request(otp(1, 2) + "&status=OK");  // signed with the real key
  EXPECT_EQ(ask(smuggled).parameters.at("status"), "BAD_OTP");
}

TEST_F(ValidationServerTest, TakesAnUnescapedPlusInTheSignatureAsAPlus) {
  for (int session = 1; session < 60; ++session) {
    auto query = signed_request(otp(2, static_cast<std::uint8_t>(session)));
    if (query["h"].find('+') == std::string::npos) continue;
    std::replace(query["h"].begin(), query["h"].end(), '+', ' ');  // as a form decoder reads it
    EXPECT_EQ(ask(query).parameters.at("status"), "OK");
    return;
  }
  GTEST_SKIP() << "no signature with a '+' among 59";
}

TEST_F(ValidationServerTest, AnswersNoSuchClientUnsignedForUnknownAndRevokedClients) {
  auto query = signed_request(otp(1, 1));
  query["id"] = "999";
  auto answer = ask(query);
  EXPECT_EQ(answer.parameters.at("status"), "NO_SUCH_CLIENT");
  EXPECT_FALSE(answer.parameters.contains("h"));
  ASSERT_TRUE(keys_->revoke_client(client_id_, now()));
  EXPECT_EQ(ask(signed_request(otp(1, 2))).parameters.at("status"), "NO_SUCH_CLIENT");
}

TEST_F(ValidationServerTest, AnswersMissingParameter) {
  auto query = signed_request(otp(1, 1));
  query.erase("nonce");
  EXPECT_EQ(ask(query).parameters.at("status"), "MISSING_PARAMETER");
  query = signed_request(otp(1, 1));
  query.erase("h");
  EXPECT_EQ(ask(query).parameters.at("status"), "MISSING_PARAMETER");
}

TEST_F(ValidationServerTest, BlocksAnAddressAfterManyRefusedRequests) {
  auto query = signed_request(otp(1, 1));
  query["id"] = "999";
  for (int i = 0; i < ValidationServer::kFailuresPerAddress.free_failures + 1; ++i) ask(query);
  auto blocked = ask(signed_request(otp(1, 2)));
  EXPECT_TRUE(blocked.retry_after);
  EXPECT_EQ(blocked.parameters.at("status"), "OPERATION_NOT_ALLOWED");
  // Another address is not affected.
  EXPECT_EQ(server_->answer(signed_request(otp(1, 3)), "192.0.2.2").value().parameters.at("status"), "OK");
}

}  // namespace
}  // namespace tfa::yubico
