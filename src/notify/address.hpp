#pragma once
// The parts of a mailbox as written in From and To ("Name <local@domain>" or a bare address).
// Only as much parsing as sending needs: the envelope address for SMTP and a header form with
// a non-ASCII display name encoded. Internal to tfa_notify.
#include <string>
#include <string_view>

namespace tfa::notify::detail {

/// "tfa <tfa@example.com>" -> "tfa@example.com"; a bare address comes back trimmed.
std::string_view bare_address(std::string_view mailbox);

/// The part of the bare address after its last '@', or "" when there is none.
std::string_view address_domain(std::string_view mailbox);

/// `mailbox` for a header: as written, except that a display name that is not plain ASCII
/// becomes RFC 2047 encoded-words (a UTF-8 address itself is left for SMTPUTF8).
std::string header_mailbox(std::string_view mailbox);

}  // namespace tfa::notify::detail
