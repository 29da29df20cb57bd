#include "config/config.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace tfa::config {

std::string Config::database_url() const {
  if (!database.empty()) return database;
  return "sqlite:" + (data_dir / "tfa.db").string();
}

std::filesystem::path Config::key_file() const {
  if (!server_key_file.empty()) return server_key_file;
  return data_dir / "secret.key";
}

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [text](std::string_view why) {
    return fail(Errc::invalid_argument, "\"" + std::string(text) + "\" " + std::string(why) +
                                            " (expected IPv4:PORT or [IPv6]:PORT, as in "
                                            "127.0.0.1:8080 or [::1]:8080)");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("has no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  const std::string host_z(host);
  unsigned char parsed[16];
  if (bracketed ? inet_pton(AF_INET6, host_z.c_str(), parsed) != 1
                : inet_pton(AF_INET, host_z.c_str(), parsed) != 1) {
    return bad("is not an IP address and port");
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return bad("has no valid port (0 to 65535)");
  }
  return ListenAddress{host_z, static_cast<std::uint16_t>(port)};
}

}  // namespace tfa::config
