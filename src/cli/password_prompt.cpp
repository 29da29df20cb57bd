#include "cli/password_prompt.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>

#include <termios.h>
#include <unistd.h>

namespace tfa::cli {
namespace {

// The terminal settings to put back if a signal ends the process mid-prompt (Ctrl-C), so the
// user's shell is not left without echo. Written before the handlers are installed.
int g_tty_fd = -1;
termios g_saved_tty{};

extern "C" void restore_tty_and_reraise(int signal_number) {
  tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_tty);  // async-signal-safe
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// Prompts on the terminal itself (not stdout, which may be redirected) with echo turned off.
Result<std::string> prompt_without_echo(std::FILE* tty, const char* prompt) {
  std::fputs(prompt, tty);
  std::fflush(tty);
  const int fd = fileno(tty);
  termios saved{};
  if (tcgetattr(fd, &saved) != 0) return fail(Errc::unavailable, "cannot control the terminal");
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  g_tty_fd = fd;
  g_saved_tty = saved;
  auto previous_int = std::signal(SIGINT, restore_tty_and_reraise);
  auto previous_term = std::signal(SIGTERM, restore_tty_and_reraise);
  auto previous_hup = std::signal(SIGHUP, restore_tty_and_reraise);
  tcsetattr(fd, TCSAFLUSH, &quiet);
  std::string line;
  for (int c = std::fgetc(tty); c != EOF && c != '\n'; c = std::fgetc(tty)) {
    line.push_back(static_cast<char>(c));
  }
  tcsetattr(fd, TCSAFLUSH, &saved);
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  std::signal(SIGHUP, previous_hup);
  std::fputs("\n", tty);
  return line;
}

void strip_line_end(std::string& line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
}

}  // namespace

Result<std::string> read_new_password(bool from_stdin) {
  if (from_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return fail(Errc::invalid_argument, "no password on standard input");
    }
    strip_line_end(line);
    return line;
  }
  std::FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) {
    return fail(Errc::invalid_argument, "no terminal to read the password from; use --password-stdin");
  }
  auto first = prompt_without_echo(tty, "Password: ");
  auto second = first ? prompt_without_echo(tty, "Repeat password: ") : first;
  std::fclose(tty);
  if (!first) return first;
  if (!second) return second;
  if (*first != *second) return fail(Errc::invalid_argument, "the passwords do not match");
  return first;
}

}  // namespace tfa::cli
