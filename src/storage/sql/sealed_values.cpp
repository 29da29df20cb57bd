#include "storage/sql/sealed_values.hpp"

#include <functional>

#include "storage/sql/sql_factor_store.hpp"

namespace tfa::storage::sql {
namespace {

// One sealed column: how to list its rows (key column first, then the sealed value), how to
// write a value back, and the context each row is bound to.
struct SealedColumn {
  std::string_view select;
  std::string_view update;
  std::function<std::string(const Row&)> context;
};

Result<std::int64_t> reseal_column(Connection& connection, const SealedColumn& column,
                                   const crypto::Sealer& sealer, Random& random) {
  TFA_TRY(auto rows, connection.execute(column.select));
  std::int64_t count = 0;
  for (const auto& row : rows.rows) {
    TFA_TRY(auto sealed, row.blob(1));
    const std::string context = column.context(row);
    TFA_TRY(auto plain, sealer.open(sealed, context));
    Blob resealed{sealer.seal(plain.expose(), context, random)};
    std::vector<Value> values = {row.values.at(0), std::move(resealed)};
    TFA_CHECK(connection.execute(column.update, values));
    ++count;
  }
  return count;
}

}  // namespace

std::string yubikey_secret_context(std::string_view public_id) {
  return "yubikeys.sealed_secret:" + std::string(public_id);
}

std::string yubico_client_secret_context(std::int64_t client_id) {
  return "yubico_clients.sealed_secret:" + std::to_string(client_id);
}

Result<std::int64_t> reseal_all(Database& database, const crypto::Sealer& sealer, Random& random) {
  const SealedColumn columns[] = {
      {"SELECT id, sealed_secret FROM factors WHERE sealed_secret IS NOT NULL",
       "UPDATE factors SET sealed_secret = $2 WHERE id = $1",
       [](const Row& row) { return factor_secret_context(std::get<std::int64_t>(row.values[0])); }},
      {"SELECT public_id, sealed_secret FROM yubikeys",
       "UPDATE yubikeys SET sealed_secret = $2 WHERE public_id = $1",
       [](const Row& row) { return yubikey_secret_context(std::get<std::string>(row.values[0])); }},
      {"SELECT id, sealed_secret FROM yubico_clients",
       "UPDATE yubico_clients SET sealed_secret = $2 WHERE id = $1",
       [](const Row& row) {
         return yubico_client_secret_context(std::get<std::int64_t>(row.values[0]));
       }},
  };
  return database.transaction<std::int64_t>([&](Connection& connection) -> Result<std::int64_t> {
    std::int64_t total = 0;
    for (const auto& column : columns) {
      TFA_TRY(auto count, reseal_column(connection, column, sealer, random));
      total += count;
    }
    return total;
  });
}

}  // namespace tfa::storage::sql
