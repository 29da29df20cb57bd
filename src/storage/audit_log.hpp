#pragma once
// The audit log: every security event, kept after the account it names is gone.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/time.hpp"

namespace tfa::storage {

struct AuditEvent {
  std::int64_t id = 0;  // assigned on append
  Time at;
  std::optional<std::int64_t> user_id;
  std::string username;
  std::string event;    // e.g. "user.created", "2fa.reset"
  std::string outcome;  // "success" or "failure", or a more precise word ("replayed")
  std::string client_address;
  std::string user_agent;
  std::string detail;   // free text; never a secret
};

struct AuditQuery {
  std::optional<std::int64_t> user_id;
  std::optional<Time> since;
  int limit = 1000;
  /// The account name recorded with each event, in any case: finds the events of an account
  /// that has been deleted since.
  std::optional<std::string> username{};
  /// Only events of this kind ("user.deleted").
  std::optional<std::string> event{};
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual Result<void> append(const AuditEvent& event) = 0;
  /// Newest first.
  virtual Result<std::vector<AuditEvent>> list(const AuditQuery& query) = 0;
};

}  // namespace tfa::storage
