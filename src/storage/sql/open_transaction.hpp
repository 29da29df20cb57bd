#pragma once
// Which transaction the calling thread has open, per database, so that a transaction started
// inside another of the same database joins it (see Database). Both backends' pools use it.
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

/// The connection of the transaction this thread has open on `database`, or nullptr.
Connection* open_on_this_thread(const Database* database) noexcept;

/// Marks a transaction of `database` on `connection` open on this thread for its lifetime,
/// and restores the previous mark (another database's, or none) when it ends.
class MarkOpen {
 public:
  MarkOpen(const Database* database, Connection& connection) noexcept;
  ~MarkOpen();
  MarkOpen(const MarkOpen&) = delete;
  MarkOpen& operator=(const MarkOpen&) = delete;

 private:
  const Database* previous_database_;
  Connection* previous_connection_;
};

}  // namespace tfa::storage::sql
