#include "storage/sql/open_transaction.hpp"

namespace tfa::storage::sql {
namespace {

thread_local const Database* open_database = nullptr;
thread_local Connection* open_connection = nullptr;

}  // namespace

Connection* open_on_this_thread(const Database* database) noexcept {
  return open_database == database ? open_connection : nullptr;
}

MarkOpen::MarkOpen(const Database* database, Connection& connection) noexcept
    : previous_database_(open_database), previous_connection_(open_connection) {
  open_database = database;
  open_connection = &connection;
}

MarkOpen::~MarkOpen() {
  open_database = previous_database_;
  open_connection = previous_connection_;
}

}  // namespace tfa::storage::sql
