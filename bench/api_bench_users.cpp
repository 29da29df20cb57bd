// Test data for the JSON API load benchmark (bench/run_api_bench), and the Argon2id cost
// figure its sign-in goal is computed from.
//
//   api_bench_users users --config FILE --count N --prefix P --password PW --out users.csv
//     Opens the data folder of FILE (as `tfa serve --config FILE` does) and creates N users
//     P000000, P000001, ... with the password PW, each with a confirmed TOTP factor. The
//     passwords are hashed with FILE's [password] cost, so that the server started on the same
//     file verifies them without rehashing. Writes one line per user:
//       username,password,base32 secret,last accepted step
//     The factor is confirmed with the code of the step before the current one (the window
//     allows it), so the current step is still free for a sign-in; the step recorded by the
//     replay guard is the last column, and a sign-in must use a later one.
//
//   api_bench_users hash-time --config FILE --iterations N
//     Times one Argon2id verification (what a sign-in costs) and one hash at FILE's cost, on
//     one thread, N times each; then N verifications on each of T threads at once (--threads,
//     default the number of cores), for the rate the whole machine gives. Prints one JSON line.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/services.hpp"
#include "config/load.hpp"
#include "core/base32.hpp"
#include "crypto/password_hasher.hpp"
#include "otp/totp.hpp"

namespace {

using namespace tfa;

struct UserLine {
  std::string name;
  std::string secret_base32;
  std::int64_t last_step = 0;
};

std::string user_name(const std::string& prefix, std::size_t index) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%06zu", index);
  return prefix + digits;
}

Result<config::Config> load(const std::string& file) {
  return config::load_config(std::filesystem::path(file), config::process_environment());
}

/// Creates one user with a confirmed TOTP factor.
Result<UserLine> make_user(app::Services& services, auth::Enrollment& enrollment, const std::string& name,
                           const std::string& password) {
  const auth::Actor actor{"127.0.0.1", "api_bench_users"};
  TFA_TRY(auto user, services.accounts->create_user(name, name + "@bench.invalid", password, actor));
  TFA_TRY(auto pending, enrollment.start(user));
  TFA_TRY(auto totp, otp::Totp::create({pending.key.algorithm, pending.key.digits, pending.key.period},
                                       pending.key.secret));
  // The previous step's code, so that the current one is still free for a sign-in. When the
  // clock passes a step boundary between reading it and confirming, that code is two steps
  // old and refused; the next try reads the clock again.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::uint64_t step = totp.step_at(now) - 1;
    TFA_TRY(auto check, enrollment.confirm(user, pending.factor_id, totp.code_at_step(step), actor));
    if (check == auth::CodeCheck::accepted) {
      return UserLine{name, base32_encode(pending.key.secret.expose()), static_cast<std::int64_t>(step)};
    }
  }
  return fail(Errc::internal, "the enrollment of " + name + " refused the previous step's code");
}

int create_users(const std::string& config_file, std::size_t count, const std::string& prefix,
                 const std::string& password, const std::string& out_file, int threads) {
  auto config = load(config_file);
  if (!config) {
    std::cerr << config.error().message << "\n";
    return 1;
  }
  if (config->login.totp_window_steps < 1) {
    std::cerr << "login.totp_window_steps must be at least 1 for the benchmark's users\n";
    return 1;
  }
  auto services = app::open_services(*config);
  if (!services) {
    std::cerr << services.error().message << "\n";
    return 1;
  }
  auto& s = **services;
  // An Enrollment of its own, without notices: the "2FA was turned on" mails of the set-up
  // are not part of what is measured and would only fill the outbox.
  auth::EnrollmentSettings settings;
  settings.issuer = config->issuer;
  const auto window = static_cast<unsigned>(config->login.totp_window_steps);
  settings.totp.window = {window, window};
  auth::Enrollment enrollment(*s.factors, *s.audit, s.clock, s.random, settings, nullptr);

  std::vector<UserLine> lines(count);
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::string first_error;
  auto work = [&] {
    for (;;) {
      const std::size_t index = next.fetch_add(1);
      if (index >= count) return;
      auto line = make_user(s, enrollment, user_name(prefix, index), password);
      if (!line) {
        std::lock_guard lock(error_mutex);
        if (first_error.empty()) first_error = line.error().message;
        next = count;  // stop everyone
        return;
      }
      lines[index] = std::move(*line);
    }
  };
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int i = 0; i < std::max(1, threads); ++i) pool.emplace_back(work);
  for (auto& thread : pool) thread.join();
  if (!first_error.empty()) {
    std::cerr << "creating users: " << first_error << "\n";
    return 1;
  }
  std::ofstream out(out_file, std::ios::trunc);
  for (const auto& line : lines) {
    out << line.name << ',' << password << ',' << line.secret_base32 << ',' << line.last_step << '\n';
  }
  out.close();
  if (!out) {
    std::cerr << "cannot write " << out_file << "\n";
    return 1;
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  std::cerr << "created " << count << " users (argon2 ops=" << config->password.argon2_ops
            << ", memory=" << config->password.argon2_memory_kib << " KiB) in " << took.count() << " s\n";
  // The mail queue and the rest stop with the Services.
  return 0;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int hash_time(const std::string& config_file, int iterations, int threads) {
  auto config = load(config_file);
  if (!config) {
    std::cerr << config.error().message << "\n";
    return 1;
  }
  auto hasher = crypto::PasswordHasher::create({config->password.argon2_ops, config->password.argon2_memory_kib});
  if (!hasher) {
    std::cerr << hasher.error().message << "\n";
    return 1;
  }
  const std::string password = "bench-password-for-timing";
  auto stored = hasher->hash(password);
  if (!stored) {
    std::cerr << stored.error().message << "\n";
    return 1;
  }
  using Clock = std::chrono::steady_clock;
  std::vector<double> verify_ms, hash_ms;
  for (int i = 0; i < iterations; ++i) {
    const auto t0 = Clock::now();
    const bool ok = hasher->verify(*stored, password);
    const auto t1 = Clock::now();
    if (!ok) {
      std::cerr << "verification of a fresh hash failed\n";
      return 1;
    }
    auto again = hasher->hash(password);
    const auto t2 = Clock::now();
    if (!again) {
      std::cerr << again.error().message << "\n";
      return 1;
    }
    verify_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    hash_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  // Then `threads` threads verifying at once, as the server's hash workers do: how many
  // verifications per second the machine gives when all of them run.
  std::atomic<bool> all_ok{true};
  const auto parallel_start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < iterations; ++i) {
        if (!hasher->verify(*stored, password)) all_ok = false;
      }
    });
  }
  for (auto& thread : pool) thread.join();
  const double parallel_s = std::chrono::duration<double>(Clock::now() - parallel_start).count();
  if (!all_ok) {
    std::cerr << "verification of a fresh hash failed\n";
    return 1;
  }
  std::printf("{\"argon2_ops\":%llu,\"argon2_memory_kib\":%llu,\"iterations\":%d,"
              "\"verify_median_ms\":%.3f,\"hash_median_ms\":%.3f,\"verify_min_ms\":%.3f,"
              "\"parallel_threads\":%d,\"parallel_verify_per_s\":%.2f}\n",
              static_cast<unsigned long long>(config->password.argon2_ops),
              static_cast<unsigned long long>(config->password.argon2_memory_kib), iterations,
              median(verify_ms), median(hash_ms), *std::min_element(verify_ms.begin(), verify_ms.end()),
              threads, threads * iterations / parallel_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Users and Argon2id timings for the JSON API load benchmark");
  app.require_subcommand(1);

  std::string config_file, prefix = "u", password = "bench-password", out_file;
  std::size_t count = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto* users = app.add_subcommand("users", "Create users with a confirmed TOTP factor");
  users->add_option("--config", config_file, "The tfa config file (TOML) the server will run on")->required();
  users->add_option("--count", count, "How many users")->required()->check(CLI::Range(1, 10000000));
  users->add_option("--prefix", prefix, "Start of every user name");
  users->add_option("--password", password, "Every user's password");
  users->add_option("--out", out_file, "CSV to write: username,password,base32 secret,last step")->required();
  users->add_option("--threads", threads, "Threads creating users")->check(CLI::Range(1, 64));

  int iterations = 20;
  std::string hash_config;
  auto* timing = app.add_subcommand("hash-time", "Time one Argon2id verification and hash at the config's cost");
  timing->add_option("--config", hash_config, "The tfa config file (TOML)")->required();
  timing->add_option("--iterations", iterations, "Timed calls of each")->check(CLI::Range(1, 10000));
  int hash_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  timing->add_option("--threads", hash_threads, "Threads for the parallel run (default: the cores)")
      ->check(CLI::Range(1, 64));

  CLI11_PARSE(app, argc, argv);
  if (users->parsed()) return create_users(config_file, count, prefix, password, out_file, threads);
  return hash_time(hash_config, iterations, hash_threads);
}
