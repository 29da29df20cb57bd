#include "http/security_headers.hpp"

namespace tfa::http {

void add_security_headers(Response& response, SecurityHeaderOptions options) {
  // 'none' as the default denies everything not listed: connect, font, media, object, worker.
  // data: images are for the enrollment QR code, which is inlined so the secret it encodes
  // never travels in a URL.
  std::string policy =
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
      "frame-ancestors 'none'; base-uri 'none'";
  if (options.allow_scripts) policy += "; script-src 'self'";
  response.set("Content-Security-Policy", policy);
  response.set(bhttp::field::x_frame_options, "DENY");  // for browsers without frame-ancestors
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  if (response.find(bhttp::field::cache_control) == response.end()) {
    response.set(bhttp::field::cache_control, "no-store");
  }
}

}  // namespace tfa::http
