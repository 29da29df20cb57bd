#pragma once
// Runs another program with an argument vector (no shell, so URLs with '?' or '&' need no
// quoting) and captures its standard output. Its standard error goes to the test's, where
// ctest shows it when the test fails.
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tfa::testing {

/// A started child whose standard output is read through a pipe.
struct Child {
  pid_t pid = -1;
  int stdout_fd = -1;
  std::string error;  // why it could not be started; empty when it was
};

struct Finished {
  int exit_code = -1;  // -1 when it did not exit normally (a signal) or never started
  std::string output;  // everything it wrote to standard output
  std::string error;   // why it could not be started or waited for
};

/// Starts argv[0], looked up in PATH when it has no '/'.
inline Child start_child(const std::vector<std::string>& argv) {
  Child child;
  int fds[2];
  // Close-on-exec, so a second child started meanwhile does not inherit this pipe.
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    child.error = std::string("pipe: ") + std::strerror(errno);
    return child;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int rc = ::posix_spawnp(&child.pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    child.pid = -1;
    child.error = "cannot run " + argv[0] + ": " + std::strerror(rc);
    return child;
  }
  child.stdout_fd = fds[0];
  return child;
}

/// Reads the child's output to the end and waits for it to exit.
inline Finished finish_child(Child& child) {
  Finished finished;
  if (child.pid < 0) {
    finished.error = child.error;
    return finished;
  }
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(child.stdout_fd, buffer, sizeof buffer);
    if (n > 0) {
      finished.output.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(child.stdout_fd);
  child.stdout_fd = -1;
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0) {
    if (errno != EINTR) {
      finished.error = std::string("waitpid: ") + std::strerror(errno);
      return finished;
    }
  }
  child.pid = -1;
  if (WIFEXITED(status)) finished.exit_code = WEXITSTATUS(status);
  return finished;
}

inline Finished run_child(const std::vector<std::string>& argv) {
  Child child = start_child(argv);
  return finish_child(child);
}

}  // namespace tfa::testing
