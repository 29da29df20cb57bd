#include "crypto/sealer.hpp"

#include <cstdio>

#include <sodium.h>

namespace tfa::crypto {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeader = 1 + 4 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

std::uint32_t key_id(const SecretBytes& key) {
  // A keyed hash under a fixed label, so the id says nothing useful about the key itself.
  static constexpr char kLabel[] = "tfa server key id";
  std::uint8_t digest[crypto_generichash_BYTES_MIN];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const std::uint8_t*>(kLabel),
                     sizeof kLabel - 1, key.expose().data(), key.size());
  return (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) |
         (std::uint32_t{digest[2]} << 8) | digest[3];
}

std::uint32_t read_key_id(std::span<const std::uint8_t> sealed) {
  return (std::uint32_t{sealed[1]} << 24) | (std::uint32_t{sealed[2]} << 16) |
         (std::uint32_t{sealed[3]} << 8) | sealed[4];
}

}  // namespace

Result<Sealer> Sealer::create(SecretBytes primary, std::vector<SecretBytes> older) {
  if (sodium_init() < 0) return fail(Errc::internal, "libsodium cannot be initialised");
  std::vector<Key> keys;
  auto add = [&](SecretBytes key) -> Result<void> {
    if (key.size() != kServerKeySize) {
      return fail(Errc::invalid_argument, "a server key must be 32 bytes, not " +
                                              std::to_string(key.size()));
    }
    const auto id = key_id(key);
    keys.push_back(Key{std::move(key), id});
    return {};
  };
  if (auto ok = add(std::move(primary)); !ok) return tl::unexpected(ok.error());
  for (auto& key : older) {
    if (auto ok = add(std::move(key)); !ok) return tl::unexpected(ok.error());
  }
  return Sealer(std::move(keys));
}

std::vector<std::uint8_t> Sealer::seal(std::span<const std::uint8_t> plaintext,
                                       std::string_view context, Random& random) const {
  const Key& key = keys_.front();
  std::vector<std::uint8_t> out(kHeader + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  out[0] = kVersion;
  out[1] = static_cast<std::uint8_t>(key.id >> 24);
  out[2] = static_cast<std::uint8_t>(key.id >> 16);
  out[3] = static_cast<std::uint8_t>(key.id >> 8);
  out[4] = static_cast<std::uint8_t>(key.id);
  std::uint8_t* nonce = out.data() + 5;
  // 24-byte random nonces: collisions are negligible even for billions of values.
  random.fill({nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES});
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kHeader, &written, plaintext.data(), plaintext.size(),
      reinterpret_cast<const std::uint8_t*>(context.data()), context.size(), nullptr, nonce,
      key.bytes.expose().data());
  out.resize(kHeader + written);
  return out;
}

Result<SecretBytes> Sealer::open(std::span<const std::uint8_t> sealed,
                                 std::string_view context) const {
  if (sealed.size() < kHeader + crypto_aead_xchacha20poly1305_ietf_ABYTES || sealed[0] != kVersion) {
    return fail(Errc::internal, "sealed value for " + std::string(context) + " is malformed");
  }
  const std::uint32_t id = read_key_id(sealed);
  for (const Key& key : keys_) {
    if (key.id != id) continue;
    SecretBytes plain(sealed.size() - kHeader - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            plain.expose_mutable().data(), &written, nullptr, sealed.data() + kHeader,
            sealed.size() - kHeader, reinterpret_cast<const std::uint8_t*>(context.data()),
            context.size(), sealed.data() + 5, key.bytes.expose().data()) != 0) {
      return fail(Errc::internal, "sealed value for " + std::string(context) +
                                      " does not authenticate: it was altered or moved from "
                                      "another row");
    }
    return plain;
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", id);
  return fail(Errc::internal, "sealed value for " + std::string(context) +
                                  " was sealed under server key " + hex +
                                  ", which is not loaded (wrong secret.key?)");
}

bool Sealer::sealed_with_primary(std::span<const std::uint8_t> sealed) const noexcept {
  return sealed.size() >= kHeader && read_key_id(sealed) == keys_.front().id;
}

SecretBytes Sealer::derive_key(std::string_view purpose) const {
  SecretBytes derived(kServerKeySize);
  const std::string message = "tfa derived key: " + std::string(purpose);
  crypto_generichash(derived.expose_mutable().data(), derived.size(),
                     reinterpret_cast<const std::uint8_t*>(message.data()), message.size(),
                     keys_.front().bytes.expose().data(), keys_.front().bytes.size());
  return derived;
}

std::string Sealer::primary_key_id() const {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", keys_.front().id);
  return hex;
}

}  // namespace tfa::crypto
