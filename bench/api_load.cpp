// api_load: a closed-loop HTTP/1.1 load generator for tfa's JSON API (bench/run_api_bench).
// A fixed number of keep-alive connections, each sending its next request as soon as the
// previous response is in, for a fixed time; every latency is kept, so the percentiles are
// exact. One thread, so that on a small machine it takes as little as possible from the server.
//
// Scenarios, run one after the other in the order given:
//   healthz  GET /healthz, the HTTP ceiling;
//   me       GET /api/v1/me with "Authorization: Bearer TOKEN", one token per connection
//            (signed in just before, with users from --users);
//   login    POST /api/v1/auth/login with a user's password and a fresh TOTP code.
//
// A TOTP code is accepted once per user and step, and never for a step older than the last one
// accepted, so `login` takes the users of --users round robin and never sends a user twice in
// the same step (nor before the step the CSV says was last used). When every user has signed
// in during the current step, connections wait for the next one; that time is reported as
// user_pool_exhausted_s and means the CSV holds too few users for the rate reached.
//
// Any response other than 200 (and a 200 to a sign-in without a token in it) is an error; so is
// a connection that fails. Each scenario prints one JSON line to stdout, with the CPU time that
// the server (--server-pid), this process and the whole machine used during its window.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <CLI/CLI.hpp>

#include "core/base32.hpp"
#include "otp/totp.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

struct LoadUser {
  std::string name;
  std::string password;
  tfa::otp::Totp totp;
  std::int64_t last_step;  // the last step signed in with (or confirmed at); only later ones work
};

std::vector<LoadUser> read_users(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::vector<LoadUser> users;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream split(line);
    for (std::string field; std::getline(split, field, ',');) fields.push_back(field);
    if (fields.size() != 4) throw std::runtime_error(file + ": expected username,password,secret,step: " + line);
    auto secret = tfa::base32_decode(fields[2]);
    if (!secret) throw std::runtime_error(file + ": " + secret.error().message);
    // SHA-1, 6 digits, 30 s: the parameters Enrollment gives every factor by default.
    auto totp = tfa::otp::Totp::create({}, *secret);
    if (!totp) throw std::runtime_error(file + ": " + totp.error().message);
    users.push_back({fields[0], fields[1], std::move(*totp), std::stoll(fields[3])});
  }
  return users;
}

std::int64_t current_step(const LoadUser& user) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return static_cast<std::int64_t>(user.totp.step_at(now));
}

/// Users round robin, each at most once per step.
class UserPicker {
 public:
  explicit UserPicker(std::vector<LoadUser>& users) : users_(users) {}

  /// The next user whose last sign-in was before `step`, marked as used at `step`; nullptr when
  /// every user already signed in at `step`.
  LoadUser* pick(std::int64_t step) {
    for (std::size_t tried = 0; tried < users_.size(); ++tried) {
      LoadUser& user = users_[cursor_];
      cursor_ = (cursor_ + 1) % users_.size();
      if (user.last_step < step) {
        user.last_step = step;
        ++picked_;
        return &user;
      }
    }
    return nullptr;
  }
  std::int64_t picked() const { return picked_; }

 private:
  std::vector<LoadUser>& users_;
  std::size_t cursor_ = 0;
  std::int64_t picked_ = 0;
};

std::string login_body(const LoadUser& user, std::int64_t step) {
  return json::serialize(json::object{{"username", user.name},
                                      {"password", user.password},
                                      {"otp", user.totp.code_at_step(static_cast<std::uint64_t>(step))}});
}

struct Target {
  std::string host;
  std::string port;
  tcp::endpoint endpoint;
};

bhttp::request<bhttp::string_body> base_request(const Target& target, bhttp::verb method, const char* path) {
  bhttp::request<bhttp::string_body> request{method, path, 11};
  request.set(bhttp::field::host, target.host + ":" + target.port);
  request.set(bhttp::field::user_agent, "api_load");
  request.keep_alive(true);
  return request;
}

struct Stats {
  std::vector<std::uint32_t> latencies_us;  // of responses completed inside the window
  std::int64_t ok = 0;
  std::map<unsigned, std::int64_t> statuses;  // non-200
  std::int64_t bad_body = 0;                  // a 200 sign-in without a token
  std::int64_t io_errors = 0;
  std::string error_sample;
  double exhausted_seconds = 0;  // summed over connections
};

struct Run {
  std::string scenario;
  Target target;
  Clock::time_point measure_from;  // after the warm-up
  Clock::time_point end;
  std::vector<std::string> tokens;  // for "me"
  UserPicker* picker = nullptr;     // for "login"
  Stats stats;
};

/// CPU time of the server, of this process and of the whole machine, for telling how much of
/// the machine the server had and how much went elsewhere (a noisy neighbour).
struct CpuSample {
  double server_s = 0;   // utime + stime of --server-pid, all threads
  double self_s = 0;     // this process
  double machine_busy_s = 0;  // every CPU, everything but idle and iowait
};

double process_cpu_seconds(const std::string& stat_path) {
  std::ifstream in(stat_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stod(field);
    if (index == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double machine_busy_seconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;  // the "cpu" line: the sum over every CPU
  double busy = 0, value = 0;
  for (int index = 0; index < 8 && in >> value; ++index) {
    if (index != 3 && index != 4) busy += value;  // not idle, not iowait
  }
  return busy / static_cast<double>(sysconf(_SC_CLK_TCK));
}

CpuSample cpu_sample(int server_pid) {
  CpuSample sample;
  if (server_pid > 0) sample.server_s = process_cpu_seconds("/proc/" + std::to_string(server_pid) + "/stat");
  sample.self_s = process_cpu_seconds("/proc/self/stat");
  sample.machine_busy_s = machine_busy_seconds();
  return sample;
}

/// Samples the CPU counters at the start and at the end of the measured window.
net::awaitable<void> sample_cpu(const Run& run, int server_pid, CpuSample& from, CpuSample& to) {
  net::steady_timer timer(co_await net::this_coro::executor);
  timer.expires_at(run.measure_from);
  co_await timer.async_wait(kTuple);
  from = cpu_sample(server_pid);
  timer.expires_at(run.end);
  co_await timer.async_wait(kTuple);
  to = cpu_sample(server_pid);
}

std::int64_t step_now(const std::vector<LoadUser>& users) { return current_step(users.front()); }

/// Time until the step after `step` begins, by the system clock (the server's too).
Clock::duration until_step_after(std::int64_t step) {
  const auto next = std::chrono::system_clock::time_point(std::chrono::seconds((step + 1) * 30));
  return std::chrono::duration_cast<Clock::duration>(next - std::chrono::system_clock::now()) +
         std::chrono::milliseconds(5);
}

/// One keep-alive connection until the run's end. Reconnects after an error.
net::awaitable<void> connection_loop(Run& run, std::vector<LoadUser>* users, std::size_t index) {
  auto executor = co_await net::this_coro::executor;
  beast::tcp_stream stream(executor);
  beast::flat_buffer buffer;
  bool connected = false;
  net::steady_timer timer(executor);
  Stats& stats = run.stats;
  auto note = [&stats](std::string what) {
    if (stats.error_sample.empty()) stats.error_sample = std::move(what);
  };
  while (Clock::now() < run.end) {
    if (!connected) {
      stream.expires_after(std::chrono::seconds(10));
      auto [ec] = co_await stream.async_connect(run.target.endpoint, kTuple);
      if (ec) {
        ++stats.io_errors;
        note("connect: " + ec.message());
        stream.close();
        timer.expires_after(std::chrono::milliseconds(100));
        co_await timer.async_wait(kTuple);
        continue;
      }
      stream.socket().set_option(tcp::no_delay(true));
      buffer.clear();
      connected = true;
    }

    bhttp::request<bhttp::string_body> request;
    const bool login = run.scenario == "login";
    if (run.scenario == "healthz") {
      request = base_request(run.target, bhttp::verb::get, "/healthz");
    } else if (run.scenario == "me") {
      request = base_request(run.target, bhttp::verb::get, "/api/v1/me");
      request.set(bhttp::field::authorization, "Bearer " + run.tokens[index % run.tokens.size()]);
    } else {
      const std::int64_t step = step_now(*users);
      const LoadUser* user = run.picker->pick(step);
      if (user == nullptr) {
        // Every user has signed in during this step: wait for the next one.
        const auto wait = std::min(until_step_after(step), run.end - Clock::now());
        if (wait > Clock::duration::zero()) {
          const auto from = Clock::now();
          timer.expires_after(wait);
          co_await timer.async_wait(kTuple);
          stats.exhausted_seconds += std::chrono::duration<double>(Clock::now() - from).count();
        }
        continue;
      }
      request = base_request(run.target, bhttp::verb::post, "/api/v1/auth/login");
      request.set(bhttp::field::content_type, "application/json");
      request.body() = login_body(*user, step);
    }
    request.prepare_payload();

    const auto started = Clock::now();
    stream.expires_after(std::chrono::seconds(30));
    auto [write_ec, written] = co_await bhttp::async_write(stream, request, kTuple);
    bhttp::response<bhttp::string_body> response;
    beast::error_code read_ec;
    if (!write_ec) {
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, response, kTuple);
      read_ec = ec;
    }
    const auto finished = Clock::now();
    const bool counted = started >= run.measure_from && finished <= run.end;
    if (write_ec || read_ec) {
      if (counted) ++stats.io_errors;
      note((write_ec ? "write: " + write_ec.message() : "read: " + read_ec.message()));
      stream.close();
      connected = false;
      continue;
    }
    if (counted) {
      stats.latencies_us.push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(finished - started).count()));
      const unsigned status = response.result_int();
      if (status != 200) {
        ++stats.statuses[status];
        note(std::to_string(status) + " " + response.body().substr(0, 200));
      } else if (login && response.body().find("\"token\"") == std::string::npos) {
        ++stats.bad_body;
        note("200 without a token: " + response.body().substr(0, 200));
      } else {
        ++stats.ok;
      }
    }
    if (!response.keep_alive()) {
      stream.close();
      connected = false;
    }
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.close();
}

/// Signs in `count` users one after the other and returns their tokens.
net::awaitable<std::vector<std::string>> sign_in(const Target& target, std::vector<LoadUser>& users,
                                                 UserPicker& picker, std::size_t count) {
  beast::tcp_stream stream(co_await net::this_coro::executor);
  stream.expires_after(std::chrono::seconds(30));
  co_await stream.async_connect(target.endpoint, net::use_awaitable);
  beast::flat_buffer buffer;
  std::vector<std::string> tokens;
  while (tokens.size() < count) {
    const std::int64_t step = step_now(users);
    const LoadUser* user = picker.pick(step);
    if (user == nullptr) throw std::runtime_error("too few users to sign in " + std::to_string(count));
    auto request = base_request(target, bhttp::verb::post, "/api/v1/auth/login");
    request.set(bhttp::field::content_type, "application/json");
    request.body() = login_body(*user, step);
    request.prepare_payload();
    stream.expires_after(std::chrono::seconds(30));
    co_await bhttp::async_write(stream, request, net::use_awaitable);
    bhttp::response<bhttp::string_body> response;
    co_await bhttp::async_read(stream, buffer, response, net::use_awaitable);
    if (response.result_int() != 200) {
      throw std::runtime_error("signing in " + user->name + ": " + std::to_string(response.result_int()) + " " +
                               response.body());
    }
    tokens.push_back(std::string(json::parse(response.body()).as_object().at("token").as_string()));
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  co_return tokens;
}

double percentile_ms(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1] / 1000.0;
}

json::object report(Run& run, std::size_t connections, double seconds, std::int64_t users_used,
                    const CpuSample& from, const CpuSample& to, int server_pid) {
  Stats& stats = run.stats;
  std::sort(stats.latencies_us.begin(), stats.latencies_us.end());
  std::int64_t errors = stats.io_errors + stats.bad_body;
  json::object statuses;
  for (const auto& [status, count] : stats.statuses) {
    statuses[std::to_string(status)] = count;
    errors += count;
  }
  const auto completed = static_cast<std::int64_t>(stats.latencies_us.size());
  json::object out{{"scenario", run.scenario},
                   {"connections", connections},
                   {"seconds", seconds},
                   {"completed", completed},
                   {"ok", stats.ok},
                   {"ok_per_s", static_cast<double>(stats.ok) / seconds},
                   {"completed_per_s", static_cast<double>(completed) / seconds},
                   {"p50_ms", percentile_ms(stats.latencies_us, 0.50)},
                   {"p90_ms", percentile_ms(stats.latencies_us, 0.90)},
                   {"p99_ms", percentile_ms(stats.latencies_us, 0.99)},
                   {"max_ms", stats.latencies_us.empty() ? 0.0 : stats.latencies_us.back() / 1000.0},
                   {"errors", errors},
                   {"non_200", statuses},
                   {"io_errors", stats.io_errors},
                   {"bad_body", stats.bad_body},
                   {"error_sample", stats.error_sample},
                   {"user_pool_exhausted_s", stats.exhausted_seconds}};
  if (users_used >= 0) out["sign_ins_sent"] = users_used;
  // In cores (CPU seconds per second) over the window, and server CPU per request.
  const double machine = (to.machine_busy_s - from.machine_busy_s) / seconds;
  const double client = (to.self_s - from.self_s) / seconds;
  out["client_cores"] = client;
  out["machine_busy_cores"] = machine;
  if (server_pid > 0) {
    const double server = (to.server_s - from.server_s) / seconds;
    out["server_cores"] = server;
    out["other_cores"] = std::max(0.0, machine - server - client);
    out["server_cpu_us_per_request"] =
        completed > 0 ? (to.server_s - from.server_s) * 1e6 / static_cast<double>(completed) : 0.0;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Closed-loop keep-alive load on tfa's JSON API");
  std::string host = "127.0.0.1", users_file, token_out;
  unsigned port = 0;
  std::vector<std::string> scenarios;
  std::size_t connections = 16;
  double duration = 10, warmup = 1, pause = 1;
  app.add_option("--host", host, "Server address (an IP literal)");
  app.add_option("--port", port, "Server port")->required()->check(CLI::Range(1, 65535));
  app.add_option("--scenario", scenarios, "healthz, me or login; repeat to run several in order")
      ->required()
      ->check(CLI::IsMember({"healthz", "me", "login"}));
  app.add_option("--users", users_file, "CSV of api_bench_users: username,password,secret,step");
  app.add_option("--connections", connections, "Keep-alive connections")->check(CLI::Range(1, 1024));
  app.add_option("--duration", duration, "Measured seconds per scenario")->check(CLI::Range(0.5, 600.0));
  app.add_option("--warmup", warmup, "Seconds of load before the measurement starts")->check(CLI::Range(0.0, 60.0));
  app.add_option("--pause", pause, "Idle seconds between scenarios")->check(CLI::Range(0.0, 60.0));
  int server_pid = 0;
  app.add_option("--server-pid", server_pid, "The server's process id, to report its CPU time per scenario");
  app.add_option("--token-out", token_out, "Write one bearer token of the 'me' scenario to this file");
  CLI11_PARSE(app, argc, argv);

  // Bounded whatever happens to the server: SIGALRM's default action ends the process.
  const double budget = static_cast<double>(scenarios.size()) * (warmup + duration + pause + 45) + 30;
  alarm(static_cast<unsigned>(budget));

  try {
    std::vector<LoadUser> users;
    const bool needs_users = std::any_of(scenarios.begin(), scenarios.end(),
                                         [](const std::string& s) { return s != "healthz"; });
    if (needs_users) {
      if (users_file.empty()) throw std::runtime_error("--users is needed for 'me' and 'login'");
      users = read_users(users_file);
      if (users.empty()) throw std::runtime_error(users_file + " holds no users");
    }
    UserPicker picker(users);

    net::io_context io(1);
    Target target{host, std::to_string(port), tcp::endpoint(net::ip::make_address(host), static_cast<unsigned short>(port))};
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      Run run;
      run.scenario = scenarios[i];
      run.target = target;
      run.picker = &picker;
      const std::int64_t picked_before = picker.picked();
      if (run.scenario == "me") {
        auto future = net::co_spawn(io, sign_in(target, users, picker, std::min(connections, users.size())),
                                    net::use_future);
        io.run();
        io.restart();
        run.tokens = future.get();
        if (!token_out.empty()) {
          std::ofstream(token_out, std::ios::trunc) << run.tokens.front() << "\n";
        }
      }
      const auto start = Clock::now();
      run.measure_from = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
      run.end = run.measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration));
      CpuSample cpu_from, cpu_to;
      net::co_spawn(io, sample_cpu(run, server_pid, cpu_from, cpu_to), net::detached);
      for (std::size_t c = 0; c < connections; ++c) {
        net::co_spawn(io, connection_loop(run, &users, c), [](std::exception_ptr error) {
          if (error) std::rethrow_exception(error);
        });
      }
      io.run();
      io.restart();
      const auto out = report(run, connections, duration,
                              run.scenario == "login" ? picker.picked() - picked_before : -1, cpu_from,
                              cpu_to, server_pid);
      std::cout << json::serialize(out) << std::endl;
      if (i + 1 < scenarios.size() && pause > 0) {
        usleep(static_cast<useconds_t>(pause * 1e6));
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "api_load: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
