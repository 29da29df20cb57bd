// GET /api/v1/openapi.json: the API's contract, as embedded at build time.
#include "api/endpoints.hpp"
#include "http/security_headers.hpp"

namespace tfa::api {
extern const std::string_view kOpenApiDocument;
}

namespace tfa::api::endpoints {

Reply openapi(Api&, http::Request& request, const http::ClientInfo&) {
  http::Response response{http::bhttp::status::ok, request.version()};
  response.set(http::bhttp::field::content_type, "application/json");
  response.body() = std::string(kOpenApiDocument);
  http::add_security_headers(response);
  response.set(http::bhttp::field::cache_control, "public, max-age=300");
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  co_return response;
}

}  // namespace tfa::api::endpoints
