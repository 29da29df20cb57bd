// tfa audit: the audit log, newest first, for the support desk and for incident response.
#include <charconv>
#include <chrono>
#include <iostream>
#include <ctime>

#include <boost/json.hpp>

#include "cli/command.hpp"
#include "cli/global_options.hpp"

namespace tfa::cli {
namespace {

struct AuditOptions {
  std::string user;
  std::string since;
  int limit = 100;
  bool json = false;
};

/// Unix seconds ("1764615600"), a date ("2026-12-01", midnight UTC), a time in UTC
/// ("2026-12-01T18:30:00Z") or an age ("30m", "24h", "7d"), relative to `now`.
Result<storage::Time> parse_since(const std::string& text, storage::Time now) {
  const auto bad = [&] {
    return fail(Errc::invalid_argument, "--since: '" + text + "' is not Unix seconds, a date "
                                        "(2026-12-01), a UTC time (2026-12-01T18:30:00Z) or an "
                                        "age (30m, 24h, 7d)");
  };
  if (text.empty()) return bad();
  std::int64_t number = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, number);
  if (ec == std::errc{} && rest == end) return storage::from_unix(number);
  if (ec == std::errc{} && rest + 1 == end && number >= 0) {
    switch (*rest) {
      case 'm': return now - std::chrono::minutes(number);
      case 'h': return now - std::chrono::hours(number);
      case 'd': return now - std::chrono::days(number);
      default: return bad();
    }
  }
  // strptime and timegm: libstdc++ 12 has no std::chrono::parse.
  std::tm parts{};
  const char* format = text.size() == 10 ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ";
  const char* parsed = ::strptime(text.c_str(), format, &parts);
  if (parsed == nullptr || *parsed != '\0') return bad();
  return storage::from_unix(static_cast<std::int64_t>(::timegm(&parts)));
}

int show_audit(app::Services& services, const AuditOptions& options) {
  storage::AuditQuery query;
  query.limit = options.limit;
  if (!options.user.empty()) query.username = options.user;
  if (!options.since.empty()) {
    auto since = parse_since(options.since, std::chrono::floor<std::chrono::seconds>(services.clock.now()));
    if (!since) return report(since.error());
    query.since = *since;
  }
  auto events = services.audit->list(query);
  if (!events) return report(events.error());
  if (options.json) {
    boost::json::array out;
    for (const auto& e : *events) {
      boost::json::object row{{"at", format_time(e.at)},
                              {"at_unix", storage::to_unix(e.at)},
                              {"user", e.username},
                              {"event", e.event},
                              {"outcome", e.outcome},
                              {"client_address", e.client_address},
                              {"user_agent", e.user_agent},
                              {"detail", e.detail}};
      if (e.user_id) row["user_id"] = *e.user_id;
      out.push_back(std::move(row));
    }
    std::cout << boost::json::serialize(out) << '\n';
    return kExitOk;
  }
  for (const auto& e : *events) {
    std::cout << format_time(e.at) << '\t' << (e.username.empty() ? "-" : e.username) << '\t'
              << e.event << '\t' << e.outcome << '\t'
              << (e.client_address.empty() ? "-" : e.client_address) << '\t'
              << (e.user_agent.empty() ? "-" : e.user_agent) << '\t' << e.detail << '\n';
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> add_audit_commands(CLI::App& app, Globals globals) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* audit = app.add_subcommand(
      "audit", "Show the audit log, newest first: time, account, event, outcome, address, browser, detail");
  audit->add_option("--user", options->user, "Only the events of this account (also a deleted one)");
  audit->add_option("--since", options->since,
                    "Only events from this time on: Unix seconds, 2026-12-01, "
                    "2026-12-01T18:30:00Z, or an age such as 30m, 24h, 7d");
  audit->add_option("--limit", options->limit, "At most this many events (default 100)")
      ->check(CLI::Range(1, 100000));
  audit->add_flag("--json", options->json, "Print a JSON array");
  return {{audit, [globals, options] {
             auto services = globals->open();
             if (!services) return report(services.error());
             return show_audit(**services, *options);
           }}};
}

}  // namespace tfa::cli
