#pragma once
// Helpers for the notify tests: a small reader of the messages compose_rfc5322() writes.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <sodium.h>

namespace tfa::notify::test {

/// Decodes standard base64, skipping CR and LF; "" on malformed input.
inline std::string base64_decode(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), "\r\n", &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<bad base64>";
  }
  out.resize(length);
  return out;
}

/// True when every CR is followed by LF and every LF preceded by CR.
inline bool only_crlf(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return false;
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
  }
  return true;
}

struct Part {
  std::map<std::string, std::string> headers;
  std::string body;  // as transmitted (still base64)
};

/// A message split into unfolded headers (by name as written) and, for multipart, its parts.
struct Parsed {
  std::map<std::string, std::string> headers;
  std::vector<std::string> header_lines;  // raw physical lines, for length checks
  std::string body;
  std::vector<Part> parts;
};

inline std::map<std::string, std::string> parse_headers(std::string_view block,
                                                       std::vector<std::string>* lines) {
  std::map<std::string, std::string> headers;
  std::string last;
  std::size_t at = 0;
  while (at < block.size()) {
    auto end = block.find("\r\n", at);
    if (end == std::string_view::npos) end = block.size();
    const std::string line(block.substr(at, end - at));
    at = end + 2;
    if (lines) lines->push_back(line);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      headers[last] += line.substr(1);  // unfold: drop the CRLF, keep one space's worth
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    last = line.substr(0, colon);
    headers[last] = line.substr(colon + 1 + (line.size() > colon + 1 && line[colon + 1] == ' '));
  }
  return headers;
}

inline Parsed parse(std::string_view text) {
  Parsed out;
  const auto split = text.find("\r\n\r\n");
  out.headers = parse_headers(text.substr(0, split), &out.header_lines);
  out.body = std::string(text.substr(split + 4));
  const std::string& type = out.headers["Content-Type"];
  const auto b = type.find("boundary=\"");
  if (b == std::string::npos) return out;
  const std::string boundary = type.substr(b + 10, type.find('"', b + 10) - b - 10);
  const std::string delimiter = "\r\n--" + boundary;
  std::string body = "\r\n" + out.body;
  std::size_t at = body.find(delimiter);
  while (at != std::string::npos) {
    const std::size_t start = at + delimiter.size();
    if (body.compare(start, 2, "--") == 0) break;  // the close delimiter
    const std::size_t next = body.find(delimiter, start);
    const std::string part = body.substr(start + 2, next - start - 2);
    const auto hsplit = part.find("\r\n\r\n");
    Part p;
    p.headers = parse_headers(std::string_view(part).substr(0, hsplit), nullptr);
    p.body = hsplit == std::string::npos ? "" : part.substr(hsplit + 4);
    out.parts.push_back(std::move(p));
    at = next;
  }
  return out;
}

/// "=?UTF-8?B?...?= =?UTF-8?B?...?=" -> the decoded text; other text comes back unchanged.
inline std::string decode_words(std::string_view value) {
  std::string out;
  std::size_t at = 0;
  if (value.find("=?") == std::string_view::npos) return std::string(value);
  while ((at = value.find("=?UTF-8?B?", at)) != std::string_view::npos) {
    const auto end = value.find("?=", at + 10);
    out += base64_decode(value.substr(at + 10, end - at - 10));
    at = end + 2;
  }
  return out;
}

}  // namespace tfa::notify::test
