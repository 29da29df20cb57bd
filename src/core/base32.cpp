#include "core/base32.hpp"

#include <cstdio>

#include "core/constant_time.hpp"

namespace tfa {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Maps a character to its 5-bit value, or -1 when it is not part of the alphabet.
int symbol_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '-'; }

std::string describe(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", byte);
  return buf;
}

}  // namespace

std::string base32_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
  return out;
}

Result<SecretBytes> base32_decode(std::string_view text) {
  // First pass: validate and count symbols, so the output can be sized exactly once.
  std::size_t symbols = 0;
  std::size_t padding_at = 0;  // 1-based position of the first '=', 0 while none seen
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_separator(c)) continue;
    if (c == '=') {
      if (padding_at == 0) padding_at = i + 1;
      continue;
    }
    if (symbol_value(c) < 0) {
      return fail(Errc::invalid_argument,
                  "invalid character " + describe(c) + " at position " + std::to_string(i + 1) +
                      " (Base32 uses the letters A-Z and the digits 2-7)");
    }
    if (padding_at != 0) {
      return fail(Errc::invalid_argument, "padding '=' at position " + std::to_string(padding_at) +
                                              " is followed by more characters");
    }
    ++symbols;
  }
  if (symbols == 0) return fail(Errc::invalid_argument, "the secret is empty");
  // RFC 4648 §6: the last group of 8 symbols carries 1..5 bytes in 2, 4, 5, 7 or 8 symbols.
  switch (symbols % 8) {
    case 1:
    case 3:
    case 6:
      return fail(Errc::invalid_argument,
                  "the secret has " + std::to_string(symbols) +
                      " characters, a length no whole number of bytes encodes to; "
                      "a character may be missing");
    default:
      break;
  }

  SecretBytes out(symbols * 5 / 8);
  auto bytes = out.expose_mutable();
  std::size_t written = 0;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = symbol_value(c);
    if (value < 0) continue;  // separators and padding, validated above
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[written++] = static_cast<std::uint8_t>(buffer >> bits);
    }
  }
  secure_wipe({reinterpret_cast<std::uint8_t*>(&buffer), sizeof buffer});  // held key bits
  return out;
}

}  // namespace tfa
