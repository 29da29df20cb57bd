// Worst-case TOTP verification, side by side: SHA-1, 20-byte key, 6 digits, 30 s period, one
// step either side of now, and a code that matches the last step an implementation tries.
//
//   BM_Reference  the least work such a check can do (see ReferenceVerifier).
//   BM_Engine     tfa::otp::Totp::verify.
//   BM_Liboath    liboath's oath_totp_validate, on its own worst case.
// bench/run_totp_bench runs these with pyotp beside them and prints the ratios.
//
// Uses OpenSSL's low-level SHA1_Transform for the reference; OpenSSL 3 marks it deprecated.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <benchmark/benchmark.h>
#include <oath.h>
#include <openssl/sha.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "core/secret_bytes.hpp"
#include "otp/totp.hpp"
#include "testing/rfc_vectors.hpp"

namespace {

using tfa::crypto::HashAlgorithm;

// RFC 6238 Appendix B's time 1111111109 s: step 37037036.
constexpr std::int64_t kNow = 1111111109;
constexpr tfa::otp::TotpWindow kWindow{1, 1};
// Totp::verify tries offsets 0, -1, +1 (and computes all three whatever matches).
constexpr int kEngineLastOffset = +1;
// liboath 2.6 tries 0, +1, -1 and returns at the first match; BM_LiboathAtOffset confirms it.
constexpr int kLiboathLastOffset = -1;

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

tfa::otp::Totp make_totp(HashAlgorithm algorithm) {
  const auto key = tfa::SecretBytes::copy_of(bytes_of(tfa::testing::rfc6238_seed(algorithm)));
  return *tfa::otp::Totp::create({algorithm, 6, std::chrono::seconds{30}}, key);
}

const std::chrono::sys_seconds kNowTime{std::chrono::seconds{kNow}};

// The three codes of the window differ at kNow, so a match identifies its step.
bool window_codes_distinct(const tfa::otp::Totp& totp) {
  const std::uint64_t step = totp.step_at(kNowTime);
  const std::string a = totp.code_at_step(step - 1), b = totp.code_at_step(step),
                    c = totp.code_at_step(step + 1);
  return a != b && b != c && a != c;
}

std::string code_at_offset(const tfa::otp::Totp& totp, int offset) {
  return totp.code_at_step(totp.step_at(kNowTime) + static_cast<std::uint64_t>(offset));
}

void store_be32(std::uint32_t v, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// HMAC-SHA-1 TOTP verification stripped to what cannot be avoided: the key's inner and outer
// pad states are hashed once, up front, and each step then costs two SHA-1 compressions on
// blocks whose padding is already in place, a dynamic truncation and a comparison. 6 digits,
// keys of at most 64 bytes.
class ReferenceVerifier {
 public:
  explicit ReferenceVerifier(std::span<const std::uint8_t> key) {
    std::uint8_t pad[64] = {};
    std::memcpy(pad, key.data(), key.size());
    for (auto& b : pad) b ^= 0x36;
    SHA1_Init(&inner_);
    SHA1_Update(&inner_, pad, sizeof pad);
    for (auto& b : pad) b ^= 0x36 ^ 0x5c;
    SHA1_Init(&outer_);
    SHA1_Update(&outer_, pad, sizeof pad);
    // Final blocks: message, 0x80, zeros, total length in bits (64-byte pad + message).
    inner_block_[8] = 0x80;
    store_be32((64 + 8) * 8, inner_block_ + 60);
    outer_block_[20] = 0x80;
    store_be32((64 + 20) * 8, outer_block_ + 60);
  }

  // The offset (-1, 0 or +1) whose code is `code`, or 2 when none is. All three are computed.
  int verify(const char* code, std::uint64_t current) {
    std::uint32_t given = 0;
    for (int i = 0; i < 6; ++i) given = given * 10 + static_cast<std::uint32_t>(code[i] - '0');
    int found = 2;
    for (int offset = -1; offset <= 1; ++offset) {
      const std::uint32_t value = truncated(current + static_cast<std::uint64_t>(offset));
      if (value % 1000000 == given) found = offset;
    }
    return found;
  }

 private:
  std::uint32_t truncated(std::uint64_t counter) {
    store_be32(static_cast<std::uint32_t>(counter >> 32), inner_block_);
    store_be32(static_cast<std::uint32_t>(counter), inner_block_ + 4);
    SHA_CTX ctx = inner_;
    SHA1_Transform(&ctx, inner_block_);
    const std::uint32_t inner_hash[5] = {ctx.h0, ctx.h1, ctx.h2, ctx.h3, ctx.h4};
    for (int i = 0; i < 5; ++i) store_be32(inner_hash[i], outer_block_ + 4 * i);
    ctx = outer_;
    SHA1_Transform(&ctx, outer_block_);
    std::uint8_t mac[20];
    const std::uint32_t outer_hash[5] = {ctx.h0, ctx.h1, ctx.h2, ctx.h3, ctx.h4};
    for (int i = 0; i < 5; ++i) store_be32(outer_hash[i], mac + 4 * i);
    const int at = mac[19] & 0x0f;
    return (static_cast<std::uint32_t>(mac[at] & 0x7f) << 24) |
           (static_cast<std::uint32_t>(mac[at + 1]) << 16) |
           (static_cast<std::uint32_t>(mac[at + 2]) << 8) | mac[at + 3];
  }

  SHA_CTX inner_{}, outer_{};
  std::uint8_t inner_block_[64] = {}, outer_block_[64] = {};
};

void BM_Reference(benchmark::State& state) {
  const auto totp = make_totp(HashAlgorithm::sha1);
  const std::string code = code_at_offset(totp, kEngineLastOffset);
  ReferenceVerifier reference(bytes_of(tfa::testing::kRfc6238SeedSha1));
  const std::uint64_t current = totp.step_at(kNowTime);
  if (!window_codes_distinct(totp) || reference.verify(code.c_str(), current) != +1) {
    state.SkipWithError("the reference does not match the expected step");
    return;
  }
  for (auto _ : state) {
    int found = reference.verify(code.c_str(), current);
    benchmark::DoNotOptimize(found);
  }
}

void run_engine(benchmark::State& state, HashAlgorithm algorithm) {
  const auto totp = make_totp(algorithm);
  const std::string code = code_at_offset(totp, kEngineLastOffset);
  const auto check = totp.verify(code, kNowTime, kWindow);
  if (!window_codes_distinct(totp) || !check || check->offset != kEngineLastOffset) {
    state.SkipWithError("Totp::verify does not match the expected step");
    return;
  }
  for (auto _ : state) {
    auto match = totp.verify(code, kNowTime, kWindow);
    benchmark::DoNotOptimize(match);
  }
}

void BM_Engine(benchmark::State& state) { run_engine(state, HashAlgorithm::sha1); }

// Secondary figures for the other hashes, with RFC 6238's 32- and 64-byte seeds.
void BM_EngineHash(benchmark::State& state, HashAlgorithm algorithm) {
  run_engine(state, algorithm);
}

void run_liboath(benchmark::State& state, int offset) {
  static const int init = oath_init();
  const auto totp = make_totp(HashAlgorithm::sha1);
  const std::string code = code_at_offset(totp, offset);
  const std::string_view secret = tfa::testing::kRfc6238SeedSha1;
  int position = 99;
  const int rc = oath_totp_validate2(secret.data(), secret.size(), kNow, 30, 0, 1, &position,
                                     code.c_str());
  if (init != OATH_OK || !window_codes_distinct(totp) || rc < 0 || position != offset) {
    state.SkipWithError("liboath does not match the expected step");
    return;
  }
  for (auto _ : state) {
    int result = oath_totp_validate(secret.data(), secret.size(), kNow, 30, 0, 1, code.c_str());
    benchmark::DoNotOptimize(result);
  }
}

void BM_Liboath(benchmark::State& state) { run_liboath(state, kLiboathLastOffset); }

// liboath stops at the first match, so its time grows with the position of the matching step
// in its search order; the slowest offset is the one it tries last.
void BM_LiboathAtOffset(benchmark::State& state) {
  run_liboath(state, static_cast<int>(state.range(0)));
}

}  // namespace

BENCHMARK(BM_Reference);
BENCHMARK(BM_Engine);
BENCHMARK(BM_Liboath);
BENCHMARK(BM_LiboathAtOffset)->ArgName("offset")->DenseRange(-1, 1);
BENCHMARK_CAPTURE(BM_EngineHash, sha256, HashAlgorithm::sha256);
BENCHMARK_CAPTURE(BM_EngineHash, sha512, HashAlgorithm::sha512);
