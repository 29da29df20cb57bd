#pragma once
#include "storage/audit_log.hpp"
#include "storage/sql/database.hpp"

namespace tfa::storage::sql {

/// Appends within the caller's transaction, so an event and the change it records commit together.
Result<void> append_audit_event(Connection& connection, const AuditEvent& event);

class SqlAuditLog final : public AuditLog {
 public:
  explicit SqlAuditLog(Database& database) : database_(database) {}
  Result<void> append(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> list(const AuditQuery& query) override;

 private:
  Database& database_;
};

}  // namespace tfa::storage::sql
