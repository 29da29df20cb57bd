#include "storage/postgres/postgres_connection.hpp"

#include <cctype>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <vector>

namespace tfa::storage::postgres {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat; stable across server versions.
constexpr Oid bool_oid = 16;
constexpr Oid bytea_oid = 17;
constexpr Oid int8_oid = 20;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;

struct PgResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

/// The first line of a libpq message, without the "ERROR:  " or "FATAL:  " severity prefix.
std::string first_line(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  for (std::string_view prefix : {"ERROR:  ", "FATAL:  "}) {
    if (message.starts_with(prefix)) message.remove_prefix(prefix.size());
  }
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) {
    message.remove_suffix(1);
  }
  return std::string(message);
}

/// Replaces every occurrence of `secret` in `text`, in case libpq quotes part of the URL.
std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

/// The password of a postgres[ql]://user:password@host URI, found by hand for when libpq
/// cannot parse the URL and so cannot say what the password is.
std::string uri_password(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?"));
  auto at = authority.rfind('@');
  if (at == std::string_view::npos) return {};
  auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return {};
  return std::string(authority.substr(colon + 1, at - colon - 1));
}

/// "host:port" as libpq saw it, with IPv6 addresses in brackets.
std::string address(PGconn* connection) {
  const char* host = PQhost(connection);
  const char* port = PQport(connection);
  std::string out = host && *host ? host : "localhost";
  if (out.find(':') != std::string::npos) out = "[" + out + "]";
  if (port && *port) out += std::string(":") + port;
  return out;
}

/// Why libpq could not connect, e.g. "connection refused" or "password authentication failed
/// for user "tfa"", without the "connection to server at ..." preamble that address() repeats.
std::string connect_reason(PGconn* connection) {
  std::string reason = first_line(PQerrorMessage(connection));
  if (reason.starts_with("connection to server ")) {
    auto failed = reason.find(" failed: ");
    if (failed != std::string::npos) reason = first_line(reason.substr(failed + 9));
  }
  if (reason.size() > 1 && std::isupper(static_cast<unsigned char>(reason[0])) &&
      std::islower(static_cast<unsigned char>(reason[1]))) {
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  }
  return reason.empty() ? "unknown error" : reason;
}

bool connection_lost(std::string_view sqlstate) {
  // Class 08 is connection exceptions; 57P01..57P03 are a server shutting down or starting.
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

/// Maps a failed statement to an Error. Only the primary message is kept: the DETAIL line
/// quotes row values (names, e-mail addresses) that do not belong in logs.
Error statement_error(PGconn* connection, const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = primary ? first_line(primary) : "";
  if (message.empty() && result) message = first_line(PQresultErrorMessage(result));
  if (message.empty()) message = first_line(PQerrorMessage(connection));
  if (message.empty()) message = "unknown error";

  if (PQstatus(connection) != CONNECTION_OK || connection_lost(sqlstate)) {
    return {Errc::unavailable, "lost the connection to PostgreSQL at " + address(connection) +
                                   ": " + message};
  }
  if (sqlstate == "23505" || sqlstate == "23503") {  // unique_violation, foreign_key_violation
    return {Errc::conflict, message};
  }
  return {Errc::internal, "PostgreSQL: " + message +
                              (sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")")};
}

Result<sql::Value> read_value(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return sql::Value(sql::Null{});
  const char* text = PQgetvalue(result, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case int2_oid:
    case int4_oid:
    case int8_oid: {
      std::int64_t value = 0;
      auto [end, error] = std::from_chars(text, text + length, value);
      if (error != std::errc() || end != text + length) {
        return fail(Errc::internal, "PostgreSQL returned a malformed integer in column " +
                                        std::to_string(column));
      }
      return sql::Value(value);
    }
    case bool_oid:
      return sql::Value(std::int64_t{text[0] == 't' ? 1 : 0});
    case bytea_oid: {
      std::size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      if (!bytes) return fail(Errc::internal, "out of memory decoding a bytea value");
      sql::Blob blob{std::vector<std::uint8_t>(bytes, bytes + size)};
      PQfreemem(bytes);
      return sql::Value(std::move(blob));
    }
    default:
      return sql::Value(std::string(text, length));
  }
}

}  // namespace

Result<PgConnPtr> connect(const std::string& url) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (!options) {
    std::string why = parse_error ? first_line(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return fail(Errc::invalid_argument,
                "invalid PostgreSQL URL: " + redact(std::move(why), uri_password(url)));
  }
  std::string password;
  for (auto* option = options; option->keyword; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val) password = option->val;
  }
  PQconninfoFree(options);

  // Entries before "dbname" are defaults that the URL, expanded in its place, may override.
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                  nullptr};
  const char* const values[] = {"10", "tfa", url.c_str(), nullptr};
  PgConnPtr connection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (!connection) return fail(Errc::internal, "out of memory connecting to PostgreSQL");
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return fail(Errc::unavailable,
                redact("cannot connect to PostgreSQL at " + address(connection.get()) + ": " +
                           connect_reason(connection.get()),
                       password));
  }
  PQsetNoticeProcessor(connection.get(), [](void*, const char*) {}, nullptr);
  PgResultPtr quiet(PQexec(connection.get(), "SET client_min_messages TO warning"));
  if (PQresultStatus(quiet.get()) != PGRES_COMMAND_OK) {
    return tl::unexpected(statement_error(connection.get(), quiet.get()));
  }
  return connection;
}

std::string describe(PGconn* connection) {
  const char* user = PQuser(connection);
  const char* host = PQhost(connection);
  const char* port = PQport(connection);
  const char* db = PQdb(connection);
  std::string out = "postgresql://" + std::string(user ? user : "") + "@";
  if (host && host[0] == '/') {  // a Unix socket directory
    return out + "/" + (db ? db : "") + "?host=" + host + "&port=" + (port ? port : "");
  }
  return out + address(connection) + "/" + (db ? db : "");
}

Result<sql::QueryResult> PgConnection::execute(std::string_view statement,
                                               std::span<const sql::Value> params) {
  if (params.size() > 65535) return fail(Errc::invalid_argument, "too many statement parameters");
  const auto count = params.size();
  std::vector<Oid> types(count, 0);
  std::vector<const char*> values(count, nullptr);
  std::vector<int> lengths(count, 0);
  std::vector<int> formats(count, 0);
  std::vector<std::string> numbers;
  numbers.reserve(count);  // no reallocation, so the c_str() pointers stay valid
  static const char empty_bytes = 0;

  for (std::size_t i = 0; i < count; ++i) {
    const auto& param = params[i];
    if (const auto* number = std::get_if<std::int64_t>(&param)) {
      types[i] = int8_oid;
      values[i] = numbers.emplace_back(std::to_string(*number)).c_str();
    } else if (const auto* text = std::get_if<std::string>(&param)) {
      if (text->find('\0') != std::string::npos) {
        return fail(Errc::invalid_argument,
                    "text parameter $" + std::to_string(i + 1) + " contains a NUL character");
      }
      values[i] = text->c_str();  // type left to the server, which infers it from the column
    } else if (const auto* blob = std::get_if<sql::Blob>(&param)) {
      if (blob->bytes.size() > INT_MAX) return fail(Errc::invalid_argument, "blob too large");
      types[i] = bytea_oid;
      formats[i] = 1;
      lengths[i] = static_cast<int>(blob->bytes.size());
      // A null pointer would mean SQL NULL, so an empty blob points at a dummy byte.
      values[i] = blob->bytes.empty() ? &empty_bytes
                                      : reinterpret_cast<const char*>(blob->bytes.data());
    }
  }

  const std::string text(statement);
  PgResultPtr result(PQexecParams(connection_.get(), text.c_str(), static_cast<int>(count),
                                  types.data(), values.data(), lengths.data(), formats.data(),
                                  /*resultFormat=*/0));
  const auto status = PQresultStatus(result.get());
  if (!result || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    return tl::unexpected(statement_error(connection_.get(), result.get()));
  }

  sql::QueryResult out;
  const int rows = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    sql::Row& row = out.rows.emplace_back();
    row.values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      auto value = read_value(result.get(), r, c);
      if (!value) return tl::unexpected(value.error());
      row.values.push_back(std::move(*value));
    }
  }
  const char* tuples = PQcmdTuples(result.get());
  if (tuples && *tuples) out.affected = std::atoll(tuples);
  return out;
}

Result<void> PgConnection::execute_script(std::string_view script) {
  const std::string text(script);
  PgResultPtr result(PQexec(connection_.get(), text.c_str()));
  const auto status = PQresultStatus(result.get());
  if (!result || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
                  status != PGRES_EMPTY_QUERY)) {
    return tl::unexpected(statement_error(connection_.get(), result.get()));
  }
  return {};
}

Result<void> PgConnection::begin() {
  if (PQstatus(connection_.get()) != CONNECTION_OK) PQreset(connection_.get());
  auto begun = execute("BEGIN");
  if (!begun && PQstatus(connection_.get()) != CONNECTION_OK) {
    PQreset(connection_.get());
    if (PQstatus(connection_.get()) != CONNECTION_OK) {
      return fail(Errc::unavailable, "cannot reconnect to PostgreSQL at " +
                                         address(connection_.get()) + ": " +
                                         connect_reason(connection_.get()));
    }
    begun = execute("BEGIN");
  }
  if (!begun) return tl::unexpected(begun.error());
  return {};
}

Result<void> PgConnection::commit() {
  PgResultPtr result(PQexec(connection_.get(), "COMMIT"));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return tl::unexpected(statement_error(connection_.get(), result.get()));
  }
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    return fail(Errc::internal,
                "PostgreSQL rolled the transaction back: a statement in it failed and the "
                "error was not returned");
  }
  return {};
}

void PgConnection::rollback() noexcept {
  PgResultPtr result(PQexec(connection_.get(), "ROLLBACK"));
}

bool PgConnection::healthy() const noexcept {
  return PQstatus(connection_.get()) == CONNECTION_OK &&
         PQtransactionStatus(connection_.get()) == PQTRANS_IDLE;
}

}  // namespace tfa::storage::postgres
