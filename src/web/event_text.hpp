#pragma once
// Audit events in words a user understands, for "Recent security activity" on Security.
#include <string>
#include <string_view>

namespace tfa::web {

/// "Wrong authentication code" for ("signin.code", "failure"); the event name itself for an
/// event this table does not know, so a new event is never hidden.
std::string describe_event(std::string_view event, std::string_view outcome);

/// True for outcomes worth a second look ("failure", "replayed", "throttled").
bool is_warning(std::string_view outcome);

}  // namespace tfa::web
