#pragma once
// Known-answer vectors from the RFCs, shared by unit tests and benchmarks.
#include <cstdint>
#include <string_view>

#include "crypto/hash_algorithm.hpp"

namespace tfa::testing {

/// RFC 4226 Appendix D: the secret is the ASCII string "12345678901234567890".
inline constexpr std::string_view kRfc4226Secret = "12345678901234567890";
/// RFC 4226 Appendix D: HOTP values for counters 0..9, 6 digits, HMAC-SHA-1.
inline constexpr const char* kRfc4226Codes[10] = {"755224", "287082", "359152", "969429",
                                                  "338314", "254676", "287922", "162583",
                                                  "399871", "520489"};
/// RFC 4226 Appendix D: the truncated 31-bit values (decimal) for counters 0..9.
inline constexpr std::uint32_t kRfc4226Truncated[10] = {
    1284755224, 1094287082, 137359152, 1726969429, 1640338314,
    868254676,  1918287922, 82162583,  673399871,  645520489};

/// RFC 6238 Appendix B: the seeds per algorithm (the errata's full-length keys).
inline constexpr std::string_view kRfc6238SeedSha1 = "12345678901234567890";
inline constexpr std::string_view kRfc6238SeedSha256 = "12345678901234567890123456789012";
inline constexpr std::string_view kRfc6238SeedSha512 =
    "1234567890123456789012345678901234567890123456789012345678901234";

struct Rfc6238Vector {
  std::int64_t unix_time;
  crypto::HashAlgorithm algorithm;
  std::string_view code;  // 8 digits, period 30 s
};

/// RFC 6238 Appendix B, all 18 rows.
inline constexpr Rfc6238Vector kRfc6238Vectors[] = {
    {59, crypto::HashAlgorithm::sha1, "94287082"},
    {59, crypto::HashAlgorithm::sha256, "46119246"},
    {59, crypto::HashAlgorithm::sha512, "90693936"},
    {1111111109, crypto::HashAlgorithm::sha1, "07081804"},
    {1111111109, crypto::HashAlgorithm::sha256, "68084774"},
    {1111111109, crypto::HashAlgorithm::sha512, "25091201"},
    {1111111111, crypto::HashAlgorithm::sha1, "14050471"},
    {1111111111, crypto::HashAlgorithm::sha256, "67062674"},
    {1111111111, crypto::HashAlgorithm::sha512, "99943326"},
    {1234567890, crypto::HashAlgorithm::sha1, "89005924"},
    {1234567890, crypto::HashAlgorithm::sha256, "91819424"},
    {1234567890, crypto::HashAlgorithm::sha512, "93441116"},
    {2000000000, crypto::HashAlgorithm::sha1, "69279037"},
    {2000000000, crypto::HashAlgorithm::sha256, "90698825"},
    {2000000000, crypto::HashAlgorithm::sha512, "38618901"},
    {20000000000, crypto::HashAlgorithm::sha1, "65353130"},
    {20000000000, crypto::HashAlgorithm::sha256, "77737706"},
    {20000000000, crypto::HashAlgorithm::sha512, "47863826"},
};

inline std::string_view rfc6238_seed(crypto::HashAlgorithm algorithm) {
  switch (algorithm) {
    case crypto::HashAlgorithm::sha1: return kRfc6238SeedSha1;
    case crypto::HashAlgorithm::sha256: return kRfc6238SeedSha256;
    case crypto::HashAlgorithm::sha512: return kRfc6238SeedSha512;
  }
  return kRfc6238SeedSha1;
}

}  // namespace tfa::testing
