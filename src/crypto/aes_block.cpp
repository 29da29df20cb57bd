#include "crypto/aes_block.hpp"

#include <memory>

#include <openssl/evp.h>

namespace tfa::crypto {
namespace {

Result<AesBlock> run(std::span<const std::uint8_t> key, const AesBlock& in, bool encrypt) {
  if (key.size() != kAes128KeySize) return fail(Errc::invalid_argument, "an AES-128 key is 16 bytes");
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                       &EVP_CIPHER_CTX_free);
  AesBlock out{};
  int written = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &written, in.data(), static_cast<int>(in.size())) != 1 ||
      written != static_cast<int>(kAesBlockSize)) {
    return fail(Errc::internal, "AES-128 failed");
  }
  return out;
}

}  // namespace

Result<AesBlock> aes128_decrypt_block(std::span<const std::uint8_t> key, const AesBlock& block) {
  return run(key, block, false);
}

Result<AesBlock> aes128_encrypt_block(std::span<const std::uint8_t> key, const AesBlock& block) {
  return run(key, block, true);
}

}  // namespace tfa::crypto
