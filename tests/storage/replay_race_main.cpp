// replay_race URL FACTOR_ID STEP START_UNIX_MS
//
// One contender in process_race_test: opens the database at URL ("sqlite:PATH" or a
// postgresql:// URL), waits until START_UNIX_MS so that it and its rival hit the database
// at the same moment, records STEP as accepted for the factor, and prints "won" when it was
// the one to record it, "lost" when the step had already been taken. Exit status 1, with a
// message on standard error, when anything fails.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

#include "crypto/os_random.hpp"
#include "crypto/sealer.hpp"
#include "storage/postgres/postgres_database.hpp"
#include "storage/sql/sql_factor_store.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace {

using namespace tfa;

bool parse(std::string_view text, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

int failure(const std::string& message) {
  std::fprintf(stderr, "replay_race: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return failure("usage: replay_race URL FACTOR_ID STEP START_UNIX_MS");
  const std::string url = argv[1];
  std::int64_t factor_id = 0;
  std::int64_t step = 0;
  std::int64_t start_ms = 0;
  if (!parse(argv[2], factor_id) || !parse(argv[3], step) || !parse(argv[4], start_ms)) {
    return failure("FACTOR_ID, STEP and START_UNIX_MS must be integers");
  }

  // Connect before the start time, so only the update itself is in the race. One connection:
  // this process is one server instance doing one verification.
  const std::string_view sqlite_prefix = "sqlite:";
  auto database = url.starts_with(sqlite_prefix)
                      ? storage::sqlite::open_sqlite_database(url.substr(sqlite_prefix.size()), 1)
                      : storage::postgres::open_postgres_database(url, 1);
  if (!database) return failure(database.error().message);

  // The replay guard never touches sealed secrets; any key will do.
  auto sealer = crypto::Sealer::create(SecretBytes(crypto::kServerKeySize));
  if (!sealer) return failure(sealer.error().message);
  crypto::OsRandom random;
  storage::sql::SqlFactorStore store(**database, *sealer, random);

  const auto start = std::chrono::system_clock::time_point(std::chrono::milliseconds(start_ms));
  if (std::chrono::system_clock::now() > start) {
    // Still a valid contender, only a less forceful one; say so for whoever reads the log.
    std::fprintf(stderr, "replay_race: started %lld ms late\n",
                 static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now() - start)
                                            .count()));
  }
  std::this_thread::sleep_until(start);

  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto won = store.record_accepted_counter(factor_id, step, 0, now);
  if (!won) return failure(won.error().message);
  std::puts(*won ? "won" : "lost");
  return 0;
}
