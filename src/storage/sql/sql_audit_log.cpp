#include "storage/sql/sql_audit_log.hpp"

namespace tfa::storage::sql {
namespace {

Result<AuditEvent> event_from(const Row& row) {
  AuditEvent event;
  TFA_TRY(event.id, row.integer(0));
  TFA_TRY(auto at, row.integer(1));
  event.at = from_unix(at);
  TFA_TRY(event.user_id, row.optional_integer(2));
  TFA_TRY(event.username, row.text(3));
  TFA_TRY(event.event, row.text(4));
  TFA_TRY(event.outcome, row.text(5));
  TFA_TRY(event.client_address, row.text(6));
  TFA_TRY(event.user_agent, row.text(7));
  TFA_TRY(event.detail, row.text(8));
  return event;
}

}  // namespace

Result<void> append_audit_event(Connection& connection, const AuditEvent& event) {
  TFA_TRY(auto inserted,
          connection.execute("INSERT INTO audit_events (at, user_id, username, event, outcome, "
                             "client_address, user_agent, detail) "
                             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                             params(to_unix(event.at), event.user_id, event.username, event.event,
                                    event.outcome, event.client_address, event.user_agent,
                                    event.detail)));
  (void)inserted;
  return {};
}

Result<void> SqlAuditLog::append(const AuditEvent& event) {
  return database_.run_transaction(
      [&](Connection& connection) { return append_audit_event(connection, event); });
}

Result<std::vector<AuditEvent>> SqlAuditLog::list(const AuditQuery& query) {
  // Only the filters given go into the statement, so that the planner can use an index:
  // a user's events through (user_id, at), the newest through (at). A filter written as
  // "($1 IS NULL OR user_id = $1)" would scan the whole log from its newest end. The values
  // are always bound, never written into the text.
  std::string where;
  std::vector<Value> values{std::int64_t{query.limit}};
  const auto add = [&](std::string condition, Value value) {
    values.push_back(std::move(value));
    where += (where.empty() ? " WHERE " : " AND ") + condition + "$" + std::to_string(values.size());
  };
  if (query.user_id) add("user_id = ", *query.user_id);
  if (query.since) add("at >= ", to_unix(*query.since));
  if (query.event) add("event = ", *query.event);
  if (query.username) {
    values.push_back(*query.username);
    where += std::string(where.empty() ? " WHERE " : " AND ") + "lower(username) = lower(CAST($" +
             std::to_string(values.size()) + " AS TEXT))";
  }
  const std::string statement =
      "SELECT id, at, user_id, username, event, outcome, client_address, user_agent, detail "
      "FROM audit_events" + where + " ORDER BY at DESC, id DESC LIMIT $1";
  return database_.read<std::vector<AuditEvent>>(
      [&](Connection& connection) -> Result<std::vector<AuditEvent>> {
        TFA_TRY(auto found, connection.execute(statement, values));
        std::vector<AuditEvent> events;
        for (const auto& row : found.rows) {
          TFA_TRY(auto event, event_from(row));
          events.push_back(std::move(event));
        }
        return events;
      });
}

}  // namespace tfa::storage::sql
