#pragma once
// Who performs an action, for the audit log: a browser, an API client or the operator's CLI.
#include <string>

namespace tfa::auth {

struct Actor {
  std::string client_address;  // "" for the command line
  std::string user_agent;      // "tfa-cli" for the command line

  static Actor command_line() { return {"", "tfa-cli"}; }
};

}  // namespace tfa::auth
