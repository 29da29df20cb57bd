// Uses OpenSSL's low-level SHA*_Transform functions, which OpenSSL 3 marks deprecated in
// favour of EVP. EVP cannot start from a saved mid-hash state without duplicating a context,
// which allocates and costs more than the two compressions an HMAC of a counter needs; the
// low-level contexts are plain structs that copy for free. Both run the same SHA-NI/AVX2
// assembly. See docs/PERFORMANCE.md for the measurement.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/counter_hmac.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/constant_time.hpp"

namespace tfa::crypto {
namespace {

// Per-algorithm facts: block size, the context type and its transform function, and how to
// read the chaining value out as big-endian digest bytes.
struct Sha1Traits {
  using Ctx = SHA_CTX;
  static constexpr std::size_t kBlock = 64, kDigest = 20;
  static void init(Ctx* c) { SHA1_Init(c); }
  static void update(Ctx* c, const void* d, std::size_t n) { SHA1_Update(c, d, n); }
  static void transform(Ctx* c, const std::uint8_t* block) { SHA1_Transform(c, block); }
  static void final(std::uint8_t* out, Ctx* c) { SHA1_Final(out, c); }
  static void chaining_value(const Ctx& c, std::uint8_t* out) {
    const std::uint32_t h[5] = {c.h0, c.h1, c.h2, c.h3, c.h4};
    for (int i = 0; i < 5; ++i) store_be32(h[i], out + 4 * i);
  }
  static void store_be32(std::uint32_t v, std::uint8_t* out) {
    out[0] = static_cast<std::uint8_t>(v >> 24);
    out[1] = static_cast<std::uint8_t>(v >> 16);
    out[2] = static_cast<std::uint8_t>(v >> 8);
    out[3] = static_cast<std::uint8_t>(v);
  }
};

struct Sha256Traits {
  using Ctx = SHA256_CTX;
  static constexpr std::size_t kBlock = 64, kDigest = 32;
  static void init(Ctx* c) { SHA256_Init(c); }
  static void update(Ctx* c, const void* d, std::size_t n) { SHA256_Update(c, d, n); }
  static void transform(Ctx* c, const std::uint8_t* block) { SHA256_Transform(c, block); }
  static void final(std::uint8_t* out, Ctx* c) { SHA256_Final(out, c); }
  static void chaining_value(const Ctx& c, std::uint8_t* out) {
    for (int i = 0; i < 8; ++i) Sha1Traits::store_be32(c.h[i], out + 4 * i);
  }
};

struct Sha512Traits {
  using Ctx = SHA512_CTX;
  static constexpr std::size_t kBlock = 128, kDigest = 64;
  static void init(Ctx* c) { SHA512_Init(c); }
  static void update(Ctx* c, const void* d, std::size_t n) { SHA512_Update(c, d, n); }
  static void transform(Ctx* c, const std::uint8_t* block) { SHA512_Transform(c, block); }
  static void final(std::uint8_t* out, Ctx* c) { SHA512_Final(out, c); }
  static void chaining_value(const Ctx& c, std::uint8_t* out) {
    for (int i = 0; i < 8; ++i) {
      Sha1Traits::store_be32(static_cast<std::uint32_t>(c.h[i] >> 32), out + 8 * i);
      Sha1Traits::store_be32(static_cast<std::uint32_t>(c.h[i]), out + 8 * i + 4);
    }
  }
};

// Hashes key^pad (RFC 2104 §2), with keys longer than a block first replaced by their hash.
template <class T>
typename T::Ctx pad_state(std::span<const std::uint8_t> key, std::uint8_t pad) {
  std::array<std::uint8_t, T::kBlock> block{};
  if (key.size() > T::kBlock) {
    typename T::Ctx c;
    T::init(&c);
    T::update(&c, key.data(), key.size());
    T::final(block.data(), &c);
    secure_wipe({reinterpret_cast<std::uint8_t*>(&c), sizeof c});
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  for (auto& b : block) b ^= pad;
  typename T::Ctx state;
  T::init(&state);
  T::update(&state, block.data(), block.size());
  secure_wipe(block);
  return state;
}

void store_be64(std::uint64_t v, std::uint8_t* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

// Completes the final block of a message whose last `kLength` bytes already start `block`:
// 0x80, zeros, then the total length in bits (key block + message) big-endian (FIPS 180-4
// §5.1; SHA-512's 128-bit length field has its upper half in the zeros). The sizes are
// compile-time constants, so this is a handful of stores.
template <class T, std::size_t kLength>
void finish_block(std::uint8_t* block) {
  static_assert(kLength + 1 + 8 <= T::kBlock);
  block[kLength] = 0x80;
  std::memset(block + kLength + 1, 0, T::kBlock - kLength - 1 - 8);
  store_be64((T::kBlock + kLength) * 8, block + T::kBlock - 8);
}

// HMAC(key, counter) = H(key^opad || H(key^ipad || counter)), each H one compression from
// the saved pad state. One stack block serves both: the inner hash is written over the
// counter block as the outer message.
template <class T, class States>
Digest mac_counter(const States& states, std::uint64_t counter) {
  alignas(16) std::uint8_t block[T::kBlock];
  store_be64(counter, block);
  finish_block<T, 8>(block);
  typename T::Ctx ctx = states.inner;
  T::transform(&ctx, block);

  T::chaining_value(ctx, block);
  finish_block<T, T::kDigest>(block);
  ctx = states.outer;
  T::transform(&ctx, block);

  Digest out;
  out.size = T::kDigest;
  T::chaining_value(ctx, out.bytes.data());
  return out;
}

}  // namespace

Result<CounterHmac> CounterHmac::create(HashAlgorithm algorithm,
                                        std::span<const std::uint8_t> key) {
  if (key.empty()) return fail(Errc::invalid_argument, "the HMAC key is empty");
  constexpr std::uint8_t kIpad = 0x36, kOpad = 0x5c;
  switch (algorithm) {
    case HashAlgorithm::sha1:
      return CounterHmac(algorithm, PadStates<SHA_CTX>{pad_state<Sha1Traits>(key, kIpad),
                                                       pad_state<Sha1Traits>(key, kOpad)});
    case HashAlgorithm::sha256:
      return CounterHmac(algorithm, PadStates<SHA256_CTX>{pad_state<Sha256Traits>(key, kIpad),
                                                          pad_state<Sha256Traits>(key, kOpad)});
    case HashAlgorithm::sha512:
      return CounterHmac(algorithm, PadStates<SHA512_CTX>{pad_state<Sha512Traits>(key, kIpad),
                                                          pad_state<Sha512Traits>(key, kOpad)});
  }
  return fail(Errc::invalid_argument, "unknown hash algorithm");
}

CounterHmac::CounterHmac(CounterHmac&& other) noexcept
    : algorithm_(other.algorithm_), states_(other.states_) {
  other.wipe();
}

CounterHmac& CounterHmac::operator=(CounterHmac&& other) noexcept {
  if (this != &other) {
    algorithm_ = other.algorithm_;
    states_ = other.states_;
    other.wipe();
  }
  return *this;
}

CounterHmac::~CounterHmac() { wipe(); }

void CounterHmac::wipe() noexcept {
  std::visit(
      [](auto& s) { secure_wipe({reinterpret_cast<std::uint8_t*>(&s), sizeof s}); }, states_);
}

Digest CounterHmac::mac(std::uint64_t counter) const noexcept {
  switch (states_.index()) {
    case 0: return mac_counter<Sha1Traits>(*std::get_if<0>(&states_), counter);
    case 1: return mac_counter<Sha256Traits>(*std::get_if<1>(&states_), counter);
    default: return mac_counter<Sha512Traits>(*std::get_if<2>(&states_), counter);
  }
}

}  // namespace tfa::crypto
