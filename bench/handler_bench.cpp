// The request handlers of `tfa serve` without the network: what GET /healthz and
// GET /api/v1/me cost inside tfa, on the routes the server registers, over a real SQLite data
// folder. The load benchmark (bench/run_api_bench) measures the same requests through TCP,
// where the kernel's share and the machine's noise are larger than the differences a change
// to the handlers makes; this one resolves a few percent.
//
//   build/bench/handler_bench [--benchmark_repetitions=5 ...]
//
// Each iteration runs one request to its response on an io_context of its own thread, so the
// figures include the coroutine machinery but no I/O thread handoffs. /me is preceded by 2000
// other users with a factor each, so its lookups go through B-trees of a realistic depth.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "app/services.hpp"
#include "auth/enrollment.hpp"
#include "cli/serve_routes.hpp"
#include "config/load.hpp"
#include "otp/totp.hpp"

namespace {

using namespace tfa;

[[noreturn]] void die(const std::string& what) {
  std::cerr << "handler_bench: " << what << "\n";
  std::exit(1);
}

template <class T>
T must(Result<T> result, const char* what) {
  if (!result) die(std::string(what) + ": " + result.error().message);
  return std::move(*result);
}

/// A data folder with users who have a confirmed TOTP factor, the server's routes over it,
/// and one signed-in user's bearer token.
class Server {
 public:
  Server() {
    char folder[] = "/tmp/tfa-handler-bench-XXXXXX";
    if (mkdtemp(folder) == nullptr) die("cannot make a temporary folder");
    folder_ = folder;
    const auto file = folder_ / "tfa.toml";
    std::ofstream(file) << "data_dir = \"" << (folder_ / "data").string() << "\"\n"
                        << "[password]\nargon2_ops = 1\nargon2_memory_kib = 8\n";
    const auto config = must(config::load_config(file, config::environment_from({})), "config");
    services_ = must(app::open_services(config), "services");
    auth::EnrollmentSettings settings;
    auth::Enrollment enrollment(*services_->factors, *services_->audit, services_->clock, services_->random,
                                settings, nullptr);
    const auth::Actor actor{"127.0.0.1", "handler_bench"};
    for (int i = 0; i <= 2000; ++i) {
      const std::string name = "user" + std::to_string(i);
      auto user = must(services_->accounts->create_user(name, name + "@bench.invalid", "password", actor), "user");
      auto pending = must(enrollment.start(user), "enrollment");
      auto totp = must(otp::Totp::create({pending.key.algorithm, pending.key.digits, pending.key.period},
                                         pending.key.secret),
                       "totp");
      const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      if (must(enrollment.confirm(user, pending.factor_id, totp.code_at(now), actor), "confirm") !=
          auth::CodeCheck::accepted) {
        die("the enrollment refused its code");
      }
      if (i == 2000) bearer_ = must(services_->api_tokens->sign_in(user, actor), "token").secret;
    }
    routes_ = cli::register_routes(router_, *services_, pool_);
    handler_ = router_.handler();
  }
  ~Server() {
    routes_.reset();
    pool_.join();
    services_.reset();
    std::filesystem::remove_all(folder_);
  }

  /// One request to its response; fails the benchmark on any other status than 200.
  void get(benchmark::State& state, const std::string& target, bool with_token) {
    http::Request request{http::bhttp::verb::get, target, 11};
    request.set(http::bhttp::field::host, "127.0.0.1");
    if (with_token) request.set(http::bhttp::field::authorization, "Bearer " + bearer_);
    const http::ClientInfo client{"127.0.0.1", "handler_bench", false};
    auto answer = boost::asio::co_spawn(io_, handler_(request, client), boost::asio::use_future);
    io_.run();
    io_.restart();
    const auto response = answer.get();
    if (response.result_int() != 200) state.SkipWithError(("status " + std::to_string(response.result_int())).c_str());
    benchmark::DoNotOptimize(response.body().data());
  }

 private:
  std::filesystem::path folder_;
  std::unique_ptr<app::Services> services_;
  http::BlockingPool pool_{2};
  http::Router router_;
  std::shared_ptr<void> routes_;
  http::Handler handler_;
  std::string bearer_;
  boost::asio::io_context io_;
};

Server& server() {
  static Server instance;
  return instance;
}

void BM_Healthz(benchmark::State& state) {
  auto& s = server();
  for (auto _ : state) s.get(state, "/healthz", false);
}
BENCHMARK(BM_Healthz);

void BM_Me(benchmark::State& state) {
  auto& s = server();
  for (auto _ : state) s.get(state, "/api/v1/me", true);
}
BENCHMARK(BM_Me);

}  // namespace

BENCHMARK_MAIN();
