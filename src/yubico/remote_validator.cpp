#include "yubico/remote_validator.hpp"

#include <algorithm>
#include <memory>
#include <mutex>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "core/constant_time.hpp"
#include "otp/modhex.hpp"
#include "otp/yubico_otp.hpp"
#include "yubico/validation_protocol.hpp"

namespace tfa::yubico {
namespace {

constexpr std::size_t kMaxAnswer = 4096;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* target) {
  auto& body = *static_cast<std::string*>(target);
  if (body.size() + size * count > kMaxAnswer) return 0;  // aborts the transfer
  body.append(data, size * count);
  return size * count;
}

std::string new_nonce(Random& random) {
  std::array<std::uint8_t, 16> bytes{};
  random.fill(bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string nonce;
  for (std::uint8_t b : bytes) {
    nonce += kHex[b >> 4];
    nonce += kHex[b & 0x0f];
  }
  return nonce;
}

std::string escaped(CURL* curl, const std::string& value) {
  std::unique_ptr<char, decltype(&curl_free)> out(
      curl_easy_escape(curl, value.c_str(), static_cast<int>(value.size())), &curl_free);
  return out ? std::string(out.get()) : std::string();
}

Result<std::string> fetch(const RemoteSettings& settings, const Parameters& request) {
  // curl_global_init is not safe to race with other libcurl calls; once, before the first use.
  static std::once_flag initialised;
  std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return fail(Errc::validation_unavailable, "cannot start an HTTP request");
  std::string url = settings.url;
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : request) {
    url += separator + name + "=" + escaped(curl.get(), value);
    separator = '&';
  }
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "tfa");
  if (!settings.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_file.c_str());
  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    return fail(Errc::validation_unavailable, std::string("the validation server did not answer: ") +
                                       (error[0] != '\0' ? error : curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return fail(Errc::validation_unavailable, "the validation server answered HTTP " + std::to_string(status));
  }
  return body;
}

std::optional<std::int64_t> number(const Parameters& answer, const char* name) {
  auto it = answer.find(name);
  if (it == answer.end() || it->second.empty() || it->second.size() > 9) return std::nullopt;
  std::int64_t value = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Result<auth::YubicoVerdict> RemoteValidator::verify(std::string_view otp) {
  auto verdict = ask(otp);
  // The operator needs to know: until this is fixed, nobody signs in with a YubiKey.
  // Not the URL: it may carry credentials.
  if (!verdict) spdlog::warn("YubiKey validation failed: {}", verdict.error().message);
  return verdict;
}

Result<auth::YubicoVerdict> RemoteValidator::ask(std::string_view otp) {
  auth::YubicoVerdict verdict;
  auto parts = otp::split_yubico_otp(otp);
  if (!parts) {
    verdict.detail = parts.error().message;
    return verdict;  // not worth a request
  }
  verdict.public_id = parts->public_id;
  const std::string typed = parts->public_id + otp::modhex_encode(parts->token);  // trimmed, lower case
  Parameters request{{"id", settings_.client_id}, {"otp", typed}, {"nonce", new_nonce(random_)},
                     {"timestamp", "1"}};
  request["h"] = signature(request, settings_.api_key);
  TFA_TRY(auto body, fetch(settings_, request));
  const auto parsed = parse_answer(body);
  if (!parsed) return fail(Errc::validation_unavailable, "the validation server's answer is malformed");
  const Parameters& answer = *parsed;
  if (!signature_ok(answer, settings_.api_key)) {
    return fail(Errc::validation_unavailable, "the validation server's answer is not signed with our API key");
  }
  auto field = [&](const char* name) {
    auto it = answer.find(name);
    return it == answer.end() ? std::string() : it->second;
  };
  const std::string status = field("status");
  // An answer about another OTP or another request would be a replayed or forged answer.
  if (status == status::ok || status == status::replayed_otp || status == status::bad_otp) {
    if (!constant_time_equal(field("otp"), typed) || !constant_time_equal(field("nonce"), request["nonce"])) {
      return fail(Errc::validation_unavailable, "the validation server's answer is not about our request");
    }
  }
  if (status == status::ok) {
    verdict.status = auth::YubicoVerdict::ok;
    auto usage = number(answer, "sessioncounter");
    auto session = number(answer, "sessionuse");
    if (usage && session) verdict.counter = (*usage & 0x7fff) << 8 | (*session & 0xff);
    return verdict;
  }
  if (status == status::replayed_otp) {
    verdict.status = auth::YubicoVerdict::replayed;
    verdict.detail = "the validation server saw this OTP before";
    return verdict;
  }
  if (status == status::bad_otp) {
    verdict.detail = "the validation server refused the OTP";
    return verdict;
  }
  const bool word = !status.empty() && status.size() <= 32 &&
                    std::all_of(status.begin(), status.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; });
  return fail(Errc::validation_unavailable, "the validation server answered " + (word ? status : std::string("an unknown status")));
}

}  // namespace tfa::yubico
