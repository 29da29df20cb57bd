#include "http/server_failure.hpp"

#include <spdlog/spdlog.h>

#include "http/form.hpp"

namespace tfa::http {

void log_server_failure(const Request& request, const Error& cause) {
  spdlog::error("{} {}: {}", std::string_view(request.method_string()), query_path(request.target()), cause.message);
}

}  // namespace tfa::http
