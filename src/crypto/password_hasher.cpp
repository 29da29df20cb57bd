#include "crypto/password_hasher.hpp"

#include <sodium.h>

namespace tfa::crypto {

Result<PasswordHasher> PasswordHasher::create(Argon2Params params, int at_once) {
  if (sodium_init() < 0) return fail(Errc::internal, "libsodium cannot be initialised");
  if (params.ops < crypto_pwhash_argon2id_OPSLIMIT_MIN) {
    return fail(Errc::invalid_argument, "Argon2id needs at least 1 iteration");
  }
  if (params.memory_kib * 1024 < crypto_pwhash_argon2id_MEMLIMIT_MIN) {
    return fail(Errc::invalid_argument, "Argon2id needs at least 8 KiB of memory");
  }
  if (at_once < 0) return fail(Errc::invalid_argument, "the number of hashes at once cannot be negative");
  if (at_once == 0) return PasswordHasher(params, nullptr, nullptr);
  if (params.ops * params.memory_kib >= kLongHash) {
    return PasswordHasher(params, nullptr, std::make_shared<core::WorkerThreads>(at_once, "tfa-hash"));
  }
  return PasswordHasher(params, std::make_shared<core::ConcurrencyLimit>(at_once), nullptr);
}

void PasswordHasher::run(const std::function<void()>& hash) const {
  if (threads_) return threads_->run(hash);
  const core::ConcurrencyLimit::Turn turn(limit_.get());
  hash();
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  int made = -1;
  run([&] {
    made = crypto_pwhash_str_alg(out, password.data(), password.size(), params_.ops,
                                 static_cast<std::size_t>(params_.memory_kib * 1024),
                                 crypto_pwhash_ALG_ARGON2ID13);
  });
  if (made != 0) return fail(Errc::unavailable, "out of memory while hashing a password");
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view phc_hash, std::string_view password) const {
  // libsodium wants a NUL-terminated string no longer than crypto_pwhash_STRBYTES.
  if (phc_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(phc_hash);
  bool right = false;
  run([&] { right = crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0; });
  return right;
}

bool PasswordHasher::needs_rehash(std::string_view phc_hash) const {
  if (phc_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(phc_hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), params_.ops,
                                        static_cast<std::size_t>(params_.memory_kib * 1024)) != 0;
}

}  // namespace tfa::crypto
