#include "backends.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include "storage/postgres/postgres_database.hpp"
#include "storage/sql/migrator.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tfa::testing {
namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device device;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(device() % 100000);
}

Result<std::unique_ptr<storage::sql::Database>> open(Backend backend, const std::string& url,
                                                     int pool_size) {
  if (backend == Backend::sqlite) {
    return storage::sqlite::open_sqlite_database(url.substr(std::string("sqlite:").size()),
                                                 pool_size);
  }
  return storage::postgres::open_postgres_database(url, pool_size);
}

}  // namespace

std::string backend_name(Backend backend) {
  return backend == Backend::sqlite ? "SQLite" : "PostgreSQL";
}

std::string postgres_base_url() {
  std::ifstream in(TFA_POSTGRES_URL_FILE);
  std::string url;
  std::getline(in, url);
  return url;
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::create(Backend backend, bool migrate) {
  std::unique_ptr<TestDatabase> test(new TestDatabase());
  test->backend_ = backend;
  if (backend == Backend::sqlite) {
    test->place_ = (std::filesystem::temp_directory_path() / ("tfa_test_" + unique_suffix() + ".db")).string();
    test->url_ = "sqlite:" + test->place_;
  } else {
    const std::string base = postgres_base_url();
    if (base.empty()) return fail(Errc::unavailable, "no PostgreSQL server for this test run");
    test->place_ = "t_" + unique_suffix();
    TFA_TRY(auto admin, storage::postgres::open_postgres_database(base, 1));
    TFA_CHECK(admin->run_transaction([&](storage::sql::Connection& c) {
      return c.execute_script("CREATE SCHEMA " + test->place_);
    }));
    test->url_ = base + "?options=-c%20search_path%3D" + test->place_;
  }
  TFA_TRY(test->database_, open(backend, test->url_, 4));
  if (migrate) {
    TFA_TRY(auto applied, storage::sql::migrate(*test->database_, std::chrono::system_clock::now()));
    (void)applied;
  }
  return test;
}

Result<std::unique_ptr<storage::sql::Database>> TestDatabase::reopen(int pool_size) const {
  return open(backend_, url_, pool_size);
}

TestDatabase::~TestDatabase() {
  database_.reset();
  if (backend_ == Backend::sqlite) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(place_ + suffix, ignored);
    }
  } else if (auto admin = storage::postgres::open_postgres_database(postgres_base_url(), 1)) {
    (void)(*admin)->run_transaction([&](storage::sql::Connection& c) {
      return c.execute_script("DROP SCHEMA IF EXISTS " + place_ + " CASCADE");
    });
  }
}

}  // namespace tfa::testing
