#include "storage/sql/database.hpp"

namespace tfa::storage::sql {
namespace {

tl::unexpected<Error> type_error(std::size_t column, const char* expected) {
  return fail(Errc::internal, "column " + std::to_string(column) + " is not " + expected);
}

}  // namespace

bool Row::is_null(std::size_t column) const {
  return column >= values.size() || std::holds_alternative<Null>(values[column]);
}

Result<std::int64_t> Row::integer(std::size_t column) const {
  if (column < values.size()) {
    if (auto* v = std::get_if<std::int64_t>(&values[column])) return *v;
  }
  return type_error(column, "an integer");
}

Result<std::optional<std::int64_t>> Row::optional_integer(std::size_t column) const {
  if (is_null(column)) return std::optional<std::int64_t>();
  auto v = integer(column);
  if (!v) return tl::unexpected(v.error());
  return std::optional<std::int64_t>(*v);
}

Result<std::string> Row::text(std::size_t column) const {
  if (column < values.size()) {
    if (auto* v = std::get_if<std::string>(&values[column])) return *v;
  }
  return type_error(column, "text");
}

Result<std::optional<std::string>> Row::optional_text(std::size_t column) const {
  if (is_null(column)) return std::optional<std::string>();
  auto v = text(column);
  if (!v) return tl::unexpected(v.error());
  return std::optional<std::string>(*v);
}

Result<std::vector<std::uint8_t>> Row::blob(std::size_t column) const {
  if (column < values.size()) {
    if (auto* v = std::get_if<Blob>(&values[column])) return v->bytes;
  }
  return type_error(column, "bytes");
}

}  // namespace tfa::storage::sql
