#pragma once
// Grouping of store calls into one database transaction, for speed: every store call opens a
// transaction of its own, and each costs locks and system calls. Code that makes several
// store calls in a row can run them in one of these scopes instead.
//
// Inside `reading`, the store calls made on the calling thread that only read join one read
// transaction; a store call that writes is an error there (SQLite reports it; keep writes out
// of reading scopes). Inside `writing`, every store call on the thread joins one write
// transaction, which holds the database's write lock until the scope ends: keep password
// hashing and other slow work outside. A scope must not span a co_await, which may move the
// work to another thread.
#include <functional>

#include "core/result.hpp"

namespace tfa::storage {

class Transactions {
 public:
  virtual ~Transactions() = default;
  virtual Result<void> reading(const std::function<Result<void>()>& work) = 0;
  virtual Result<void> writing(const std::function<Result<void>()>& work) = 0;
};

/// No grouping: each store call stays its own transaction. For stores without a database.
class SeparateTransactions final : public Transactions {
 public:
  Result<void> reading(const std::function<Result<void>()>& work) override { return work(); }
  Result<void> writing(const std::function<Result<void>()>& work) override { return work(); }
};

/// The shared instance for code that was given no Transactions.
inline Transactions& separate_transactions() {
  static SeparateTransactions instance;
  return instance;
}

}  // namespace tfa::storage
