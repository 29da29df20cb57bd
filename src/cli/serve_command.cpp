// tfa serve: the HTTP server, until SIGTERM or SIGINT.
#include <algorithm>
#include <iostream>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <memory>
#include <optional>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command.hpp"
#include "cli/global_options.hpp"
#include "app/sweeper.hpp"
#include "cli/serve_routes.hpp"
#include "http/blocking_pool.hpp"
#include "http/router.hpp"
#include "api/api.hpp"
#include "http/server.hpp"

namespace tfa::cli {
namespace {

http::ServerSettings server_settings(const config::ServerConfig& server,
                                     const config::ListenAddress& listen) {
  http::ServerSettings settings;
  settings.address = listen.host;
  settings.port = listen.port;
  settings.threads = server.threads;
  settings.header_limit = server.header_limit_kib * 1024;
  settings.body_limit = server.body_limit_kib * 1024;
  settings.read_timeout = std::chrono::seconds(server.read_timeout_seconds);
  settings.idle_timeout = std::chrono::seconds(server.idle_timeout_seconds);
  settings.shutdown_grace = std::chrono::seconds(server.shutdown_grace_seconds);
  settings.trusted_proxy = server.trusted_proxy;
  settings.unreadable_request = api::unreadable_request;  // JSON under /api/, text elsewhere
  return settings;
}

/// glibc hands freed memory at the top of a thread's heap back to the kernel once 128 KiB
/// are free there. The writer's thread frees that much at every savepoint it releases, and
/// each return (madvise) stops every other core for a TLB flush, then costs page faults to
/// take the memory again. Keeping up to 64 MiB free instead costs no extra peak memory.
void keep_freed_memory() {
#ifdef __GLIBC__
  (void)mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

/// Log lines (the access log among them) go to stderr, one per line with a UTC time stamp,
/// so that stdout carries only the "listening" line a supervisor or test may wait for.
void log_to_stderr() {
  auto logger = std::make_shared<spdlog::logger>(
      "tfa", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

int serve(const GlobalOptions& globals, const std::optional<std::string>& listen_flag) {
  if (listen_flag) {
    if (auto parsed = config::parse_listen_address(*listen_flag); !parsed) {
      return usage_error("--listen: " + parsed.error().message);
    }
  }
  auto config = globals.load();
  if (!config) return report(config.error());
  if (listen_flag) config->server.listen = *listen_flag;
  auto listen = config::parse_listen_address(config->server.listen);
  if (!listen) return report(listen.error());

  log_to_stderr();
  keep_freed_memory();
  auto services = app::open_services(*config);
  if (!services) return report(services.error());

  app::Sweeper sweeper(*(*services)->expiry_store, (*services)->clock, std::chrono::minutes(10));
  // Declared in this order so that the server goes first: its handlers use the rest.
  // Sign-ins wait here for the hash, the database's writer and a remote YubiKey validation
  // server; hash_workers of them hash at once (the hasher counts), the others wait.
  http::BlockingPool pool(std::max(config->server.worker_threads, config->server.hash_workers));
  http::Router router;
  const auto routes = register_routes(router, **services, pool);
  auto server = http::Server::create(server_settings(config->server, *listen), router.handler());
  if (!server) return report(server.error());

  if (config->server.public_url.empty()) {
    // Links in mail point at the address this server answers on.
    (*services)->notices->set_public_url("http://" + http::format_endpoint(listen->host, (*server)->port()));
  }
  std::cout << "tfa listening on http://" << http::format_endpoint(listen->host, (*server)->port())
            << std::endl;
  (*server)->run();
  pool.join();  // work still in the pool resumes on the server's executor: finish it first
  // Notices of the last requests may still be queued: give them the same grace as requests.
  (*services)->mail->stop(std::chrono::seconds(config->server.shutdown_grace_seconds));
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace

Command add_serve_command(CLI::App& app, Globals globals) {
  CLI::App* serve_app = app.add_subcommand("serve", "Run the HTTP server until SIGTERM or SIGINT");
  auto listen = std::make_shared<std::optional<std::string>>();
  serve_app->add_option("--listen", *listen,
                        "ADDRESS:PORT to listen on, as 127.0.0.1:8080 or [::1]:8080; port 0 "
                        "takes any free port (overrides server.listen)");
  return {serve_app, [globals, listen] { return serve(*globals, *listen); }};
}

}  // namespace tfa::cli
