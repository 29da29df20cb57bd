#include "http/types.hpp"

#include "http/security_headers.hpp"

namespace tfa::http {

Response text_response(unsigned status, std::string body, const Request& request) {
  Response response{static_cast<bhttp::status>(status), request.version()};
  response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  response.body() = std::move(body);
  add_security_headers(response);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

}  // namespace tfa::http
