#include "auth/backup_codes.hpp"

#include <array>

#include "crypto/hmac.hpp"

namespace tfa::auth {
namespace {

// Crockford's Base32 alphabet, lower case.
constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

std::optional<char> canonical_symbol(char c) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (c == 'o') return '0';
  if (c == 'i' || c == 'l') return '1';
  if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
  return c;
}

}  // namespace

std::optional<std::string> normalize_backup_code(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    auto symbol = canonical_symbol(c);
    if (!symbol || out.size() == kBackupCodeLength) return std::nullopt;
    out += *symbol;
  }
  if (out.size() != kBackupCodeLength) return std::nullopt;
  return out;
}

std::string format_backup_code(std::string_view normalized) {
  const std::size_t half = normalized.size() / 2;
  return std::string(normalized.substr(0, half)) + "-" + std::string(normalized.substr(half));
}

storage::Time BackupCodes::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

storage::CodeHash BackupCodes::hash(std::string_view normalized) const {
  const auto digest = crypto::hmac(
      crypto::HashAlgorithm::sha256, hash_key_.expose(),
      {reinterpret_cast<const std::uint8_t*>(normalized.data()), normalized.size()});
  return storage::CodeHash(digest.view().begin(), digest.view().end());
}

Result<std::vector<std::string>> BackupCodes::generate(const storage::User& user, bool regenerated,
                                                       const Actor& actor) {
  std::vector<std::string> codes;
  std::vector<storage::CodeHash> hashes;
  for (int i = 0; i < settings_.count; ++i) {
    // 32 symbols divide 256 evenly, so the low five bits of a random byte are uniform.
    std::array<std::uint8_t, kBackupCodeLength> bytes;
    random_.fill(bytes);
    std::string code;
    for (auto b : bytes) code += kAlphabet[b & 31];
    hashes.push_back(hash(code));
    codes.push_back(format_backup_code(code));
  }
  TFA_CHECK(store_.replace_backup_codes(user.id, hashes, now()));
  (void)audit_.append({0, now(), user.id, user.name,
                       regenerated ? "backup_codes.regenerated" : "backup_codes.created", "success",
                       actor.client_address, actor.user_agent, std::to_string(codes.size()) + " codes"});
  if (regenerated) notices_.backup_codes_regenerated(user, actor);
  return codes;
}

Result<BackupCodeUse> BackupCodes::use(const storage::User& user, std::string_view typed, const Actor& actor) {
  BackupCodeUse result;
  // A blank form is no guess: refused without a failure counted, as on the code step.
  if (typed.find_first_not_of(" \t\r\n") == std::string_view::npos) return result;  // rejected
  const std::string key = account_key(user.id, "backup");
  TFA_TRY(auto wait, throttle_.retry_after(key));
  if (wait) {
    result.outcome = BackupCodeUse::throttled;
    result.retry_after = *wait;
    (void)audit_.append({0, now(), user.id, user.name, "signin.backup_code", "throttled",
                         actor.client_address, actor.user_agent, ""});
    return result;
  }
  const auto normalized = normalize_backup_code(typed);
  bool spent = false;
  if (normalized) {
    TFA_TRY(spent, store_.use_backup_code(user.id, hash(*normalized), now()));
  }
  if (!spent) {
    TFA_TRY(auto blocked, throttle_.failure(key, settings_.per_account));
    if (blocked) result.retry_after = *blocked;
    (void)audit_.append({0, now(), user.id, user.name, "signin.backup_code", "failure",
                         actor.client_address, actor.user_agent, ""});
    return result;
  }
  (void)throttle_.success(key);
  TFA_TRY(result.remaining, store_.unused_backup_codes(user.id));
  result.outcome = BackupCodeUse::accepted;
  (void)audit_.append({0, now(), user.id, user.name, "signin.backup_code", "success",
                       actor.client_address, actor.user_agent,
                       std::to_string(result.remaining) + " left"});
  notices_.backup_code_used(user, result.remaining, actor);
  return result;
}

Result<std::int64_t> BackupCodes::remaining(std::int64_t user_id) {
  return store_.unused_backup_codes(user_id);
}

}  // namespace tfa::auth
