#include "http/server_failure.hpp"

#include <spdlog/spdlog.h>

namespace tfa::http {

void log_server_failure(const Request& request, const Error& cause) {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  spdlog::error("{} {}: {}", std::string_view(request.method_string()), path, cause.message);
}

}  // namespace tfa::http
