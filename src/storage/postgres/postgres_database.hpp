#pragma once
// The PostgreSQL backend of the SQL layer, over libpq.
//
// Values travel as follows: integers as int8 parameters, text as untyped text (the server infers
// the column's type), Blob as binary bytea, Null as SQL NULL. Result columns of type int2, int4
// and int8 come back as integers, bool as 0/1, bytea as Blob, NULL as Null, and every other type
// (numeric, text, json, ...) as text: cast sums and the like to BIGINT in the statement.
//
// As in PostgreSQL itself, a statement that fails aborts the whole transaction: return its
// error from the work so the transaction is rolled back; do not run further statements after
// it. Expected duplicates are handled with INSERT ... ON CONFLICT instead.
#include <memory>
#include <string>

#include "core/result.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::postgres {

/// Opens a pool of up to `pool_size` connections to `url`, a libpq connection string or URI
/// such as "postgresql://tfa:PASSWORD@db.example:5432/tfa". One connection is made at once, so a
/// wrong address, password or database name fails here: unavailable when the server cannot be
/// reached or refuses the connection, invalid_argument when `url` cannot be parsed or
/// `pool_size` is below 1. Error messages and describe() never contain the password. Further
/// connections are made on demand; a connection found broken is reset or replaced.
/// Every transaction must have finished before the database is destroyed.
Result<std::unique_ptr<sql::Database>> open_postgres_database(const std::string& url,
                                                              int pool_size);

}  // namespace tfa::storage::postgres
