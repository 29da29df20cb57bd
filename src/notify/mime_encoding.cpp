#include "notify/mime_encoding.hpp"

#include <sodium.h>

namespace tfa::notify::detail {
namespace {

std::string base64(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

/// Length of the UTF-8 sequence that starts with `lead`; 1 for a stray continuation byte or
/// invalid lead, so that bad input is still cut somewhere and never loops.
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc2) return 2;
  return 1;
}

}  // namespace

std::string base64_lines(std::string_view bytes) {
  constexpr std::size_t kLine = 76;
  const std::string encoded = base64(bytes);
  std::string out;
  out.reserve(encoded.size() + (encoded.size() / kLine + 1) * 2);
  for (std::size_t at = 0; at < encoded.size(); at += kLine) {
    out.append(encoded, at, kLine);
    out += "\r\n";
  }
  return out;
}

std::string to_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

bool is_plain_header_text(std::string_view text, std::size_t max) {
  if (text.size() > max || text.find("=?") != std::string_view::npos) return false;
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\t') || c >= 0x7f) return false;
  }
  return true;
}

std::string encoded_words(std::string_view text) {
  // 39 bytes are 52 base64 characters; with "=?UTF-8?B?" and "?=" a word is 64 characters,
  // under RFC 2047's limit of 75 and short enough for "Subject: " on the same line.
  constexpr std::size_t kChunk = 39;
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = at;
    while (end < text.size()) {
      const std::size_t next =
          end + sequence_length(static_cast<unsigned char>(text[end]));
      if (next - at > kChunk) break;
      end = next;
    }
    if (end > text.size()) end = text.size();  // a sequence cut short at the end of the text
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

}  // namespace tfa::notify::detail
