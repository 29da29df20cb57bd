#include "otp/key_uri.hpp"

#include <charconv>
#include <optional>

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url_view.hpp>

#include "core/base32.hpp"
#include "otp/hotp.hpp"
#include "otp/totp.hpp"

namespace tfa::otp {
namespace {

namespace urls = boost::urls;

// Characters left as they are in a label part: RFC 3986 unreserved plus '@', which is legal in a
// path and keeps e-mail addresses readable in apps that show the raw label.
constexpr auto kLabelSafe = urls::unreserved_chars + '@';

std::string encode_label_part(std::string_view text) {
  return urls::encode(text, kLabelSafe);
}

std::string encode_value(std::string_view text) {
  return urls::encode(text, urls::unreserved_chars);
}

Result<std::uint64_t> parse_unsigned(std::string_view name, std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    return fail(Errc::invalid_argument,
                "parameter " + std::string(name) + ": '" + std::string(text) +
                    "' is not a whole number");
  }
  return value;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Result<void> check_ranges(const KeyUri& key) {
  if (key.digits < kMinDigits || key.digits > kMaxDigits) {
    return fail(Errc::invalid_argument,
                "digits must be 6, 7 or 8, not " + std::to_string(key.digits));
  }
  if (key.kind == OtpKind::totp && (key.period < kMinPeriod || key.period > kMaxPeriod)) {
    return fail(Errc::invalid_argument, "period must be between 15 and 300 seconds, not " +
                                            std::to_string(key.period.count()));
  }
  return {};
}

// The label's "issuer:" prefix, and the account after it (RFC-less, but the Key URI format
// allows optional spaces after the colon).
void split_label(const std::string& label, std::string& issuer, std::string& account) {
  const auto colon = label.find(':');
  if (colon == std::string::npos) {
    account = label;
    return;
  }
  issuer = label.substr(0, colon);
  std::size_t start = colon + 1;
  while (start < label.size() && label[start] == ' ') ++start;
  account = label.substr(start);
}

}  // namespace

Result<std::string> build_key_uri(const KeyUri& key) {
  if (key.account.empty()) return fail(Errc::invalid_argument, "the account name is empty");
  if (key.issuer.find(':') != std::string::npos) {
    return fail(Errc::invalid_argument,
                "the issuer may not contain ':' (it separates issuer and account in the label)");
  }
  if (key.issuer.empty() && key.account.find(':') != std::string::npos) {
    return fail(Errc::invalid_argument,
                "an account name containing ':' needs an issuer, or apps would read the part "
                "before ':' as the issuer");
  }
  if (!key.issuer.empty() && key.account.front() == ' ') {
    return fail(Errc::invalid_argument,
                "an account name after an issuer may not begin with a space (apps drop spaces "
                "after the ':' that ends the issuer)");
  }
  if (key.secret.empty()) return fail(Errc::invalid_argument, "the secret is empty");
  if (auto ok = check_ranges(key); !ok) return tl::unexpected(ok.error());

  std::string uri = key.kind == OtpKind::totp ? "otpauth://totp/" : "otpauth://hotp/";
  if (!key.issuer.empty()) uri += encode_label_part(key.issuer) + ":";
  uri += encode_label_part(key.account);
  uri += "?secret=" + base32_encode(key.secret.expose());
  if (!key.issuer.empty()) uri += "&issuer=" + encode_value(key.issuer);
  uri += "&algorithm=" + std::string(crypto::to_string(key.algorithm));
  uri += "&digits=" + std::to_string(key.digits);
  if (key.kind == OtpKind::totp) {
    uri += "&period=" + std::to_string(key.period.count());
  } else {
    uri += "&counter=" + std::to_string(key.counter);
  }
  return uri;
}

Result<KeyUri> parse_key_uri(std::string_view text) {
  auto parsed = urls::parse_uri(text);
  if (!parsed) {
    return fail(Errc::invalid_argument, "not a valid URI: " + parsed.error().message());
  }
  const urls::url_view& uri = *parsed;
  if (!iequals(uri.scheme(), "otpauth")) {
    return fail(Errc::invalid_argument,
                "the scheme is '" + std::string(uri.scheme()) + "', not 'otpauth'");
  }

  KeyUri key;
  const std::string type = uri.host();
  if (iequals(type, "totp")) {
    key.kind = OtpKind::totp;
  } else if (iequals(type, "hotp")) {
    key.kind = OtpKind::hotp;
  } else {
    return fail(Errc::invalid_argument,
                "the type is '" + type + "', expected otpauth://totp/ or otpauth://hotp/");
  }

  std::string label = uri.path();
  if (!label.empty() && label.front() == '/') label.erase(0, 1);
  if (label.empty()) return fail(Errc::invalid_argument, "the label (account name) is missing");
  std::string label_issuer;
  split_label(label, label_issuer, key.account);
  if (key.account.empty()) return fail(Errc::invalid_argument, "the account name is empty");

  std::optional<std::string> secret, issuer, algorithm, digits, period, counter;
  // Boost.URL 1.81 counts two parameters in an empty query followed by a fragment ("?#") and
  // iterates past the end of the text (boostorg/url#864). An empty query holds no parameters.
  const auto params = uri.encoded_query().empty() ? urls::params_view() : uri.params();
  for (const auto& param : params) {
    std::optional<std::string>* slot = nullptr;
    if (param.key == "secret") slot = &secret;
    else if (param.key == "issuer") slot = &issuer;
    else if (param.key == "algorithm") slot = &algorithm;
    else if (param.key == "digits") slot = &digits;
    else if (param.key == "period") slot = &period;
    else if (param.key == "counter") slot = &counter;
    if (slot == nullptr) continue;  // e.g. image=, which some apps add
    if (slot->has_value()) {
      return fail(Errc::invalid_argument, "parameter " + param.key + " is given twice");
    }
    *slot = param.value;
  }

  if (!secret) return fail(Errc::invalid_argument, "the secret parameter is missing");
  auto decoded = base32_decode(*secret);
  if (!decoded) return fail(Errc::invalid_argument, "parameter secret: " + decoded.error().message);
  key.secret = std::move(*decoded);

  if (issuer && !label_issuer.empty() && *issuer != label_issuer) {
    return fail(Errc::invalid_argument, "the issuer in the label ('" + label_issuer +
                                            "') differs from the issuer parameter ('" + *issuer +
                                            "')");
  }
  key.issuer = issuer ? *issuer : label_issuer;

  if (algorithm) {
    auto parsed_algorithm = crypto::parse_hash_algorithm(*algorithm);
    if (!parsed_algorithm) {
      return fail(Errc::invalid_argument, "parameter algorithm: " + parsed_algorithm.error().message);
    }
    key.algorithm = *parsed_algorithm;
  }
  if (digits) {
    auto value = parse_unsigned("digits", *digits);
    if (!value) return tl::unexpected(value.error());
    if (*value > 100) return fail(Errc::invalid_argument, "digits must be 6, 7 or 8, not " + *digits);
    key.digits = static_cast<int>(*value);
  }
  if (period) {
    auto value = parse_unsigned("period", *period);
    if (!value) return tl::unexpected(value.error());
    if (*value > 1'000'000) {
      return fail(Errc::invalid_argument, "period must be between 15 and 300 seconds, not " + *period);
    }
    key.period = std::chrono::seconds(static_cast<std::int64_t>(*value));
  }
  if (key.kind == OtpKind::hotp) {
    if (!counter) return fail(Errc::invalid_argument, "a hotp URI needs a counter parameter");
    auto value = parse_unsigned("counter", *counter);
    if (!value) return tl::unexpected(value.error());
    key.counter = *value;
  }
  if (auto ok = check_ranges(key); !ok) return tl::unexpected(ok.error());
  return key;
}

}  // namespace tfa::otp
