#pragma once
// The response headers that make a browser treat tfa's pages strictly: no framing, no
// foreign resources, no referrer leaking a URL, no caching of pages that show secrets.
#include "http/types.hpp"

namespace tfa::http {

struct SecurityHeaderOptions {
  /// Adds `script-src 'self'` to the Content-Security-Policy. Off by default: every page works
  /// without JavaScript, and a policy without scripts makes injected markup inert.
  bool allow_scripts = false;
};

/// Sets Content-Security-Policy, X-Frame-Options, Referrer-Policy, X-Content-Type-Options and
/// Cross-Origin-Opener-Policy, replacing any values already there, and Cache-Control: no-store
/// unless the response already has a Cache-Control (e.g. a stylesheet's max-age).
void add_security_headers(Response& response, SecurityHeaderOptions options = {});

}  // namespace tfa::http
