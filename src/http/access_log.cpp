#include "http/access_log.hpp"

#include <cstdio>

#include <spdlog/spdlog.h>

#include "http/form.hpp"

namespace tfa::http {
namespace {

constexpr std::size_t kMaxPath = 1000;
constexpr std::size_t kMaxUserAgent = 200;

/// Appends `text`, cut at `limit` input bytes, without control characters and with '"' and
/// '\' escaped.
void append_clean(std::string& out, std::string_view text, std::size_t limit) {
  if (text.size() > limit) text = text.substr(0, limit);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
}

}  // namespace

std::string format_access_line(const AccessRecord& record) {
  std::string line;
  line.reserve(128 + record.user_agent.size());
  append_clean(line, record.client, 64);
  line += " \"";
  append_clean(line, record.method, 32);
  line += ' ';
  append_clean(line, query_path(record.target), kMaxPath);
  line += "\" ";
  line += std::to_string(record.status);
  line += ' ';
  line += std::to_string(record.bytes);
  const double ms = std::chrono::duration<double, std::milli>(record.duration).count();
  char duration[32];
  std::snprintf(duration, sizeof duration, " %.1fms \"", ms);
  line += duration;
  append_clean(line, record.user_agent, kMaxUserAgent);
  line += '"';
  return line;
}

void log_access(const AccessRecord& record) { spdlog::info("{}", format_access_line(record)); }

}  // namespace tfa::http
