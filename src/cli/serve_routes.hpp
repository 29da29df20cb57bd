#pragma once
// The routes `tfa serve` answers, gathered in one function so that a new part of the server
// (the web console, the JSON API) joins with one line.
#include <memory>

#include "app/services.hpp"
#include "http/blocking_pool.hpp"
#include "http/router.hpp"

namespace tfa::cli {

/// Adds every route of the server to `router`. `services` and `pool` outlive the server, and
/// so must the returned object, which the routes refer to.
std::shared_ptr<void> register_routes(http::Router& router, app::Services& services,
                                      http::BlockingPool& pool);

}  // namespace tfa::cli
