#include <sys/stat.h>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  // Everything tfa writes (database, key, outbox) is private to the account that runs it.
  ::umask(077);
  return tfa::cli::run(argc, argv);
}
