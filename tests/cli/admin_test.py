#!/usr/bin/python3
"""End-to-end tests of the administration commands (`tfa user`, `tfa db`, `tfa key`) and the
global options, run as separate processes against SQLite and a real PostgreSQL server.

    /usr/bin/python3 admin_test.py PATH/TO/tfa POSTGRES_URL_FILE [unittest options]

POSTGRES_URL_FILE is where the ctest fixture `postgres` (tests/postgres) writes the URL of its
throwaway server. Without a URL there the PostgreSQL cases are skipped, unless
TFA_REQUIRE_POSTGRES is set (as ctest does), in which case they fail.

Passwords are hashed at the default Argon2id cost, as in production; each case hashes only a
handful, so the suite stays fast.
"""
import fcntl
import json
import os
import re
import secrets
import select
import shutil
import stat
import subprocess
import sys
import tempfile
import termios
import time
import unittest
import urllib.parse

TFA = ""
POSTGRES_URL_FILE = ""
PASSWORD = "correct horse battery"
TIMEOUT = 60

# Error output is one line: "tfa: MESSAGE".
ONE_ERROR_LINE = r"\Atfa: [^\n]+\n\Z"
TIMESTAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
USER_VERBS = ("add", "list", "show", "passwd", "disable", "enable", "delete", "reset-2fa")


def clean_environment(**extra):
    # TFA_* variables of whoever runs the suite would change what tfa reads; none may leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFA_")}
    env.update(extra)
    return env


def postgres_server_url():
    try:
        with open(POSTGRES_URL_FILE, encoding="utf-8") as f:
            return f.readline().strip()
    except OSError:
        return ""


def with_database(url, name):
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


def psql(url, sql):
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                            capture_output=True, text=True, timeout=TIMEOUT,
                            env=clean_environment(PGCONNECT_TIMEOUT="10"))
    if result.returncode != 0:
        raise AssertionError(f"psql {sql!r} failed: {result.stderr}")
    return result.stdout


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        return f"exit {self.returncode}, stdout {self.stdout!r}, stderr {self.stderr!r}"


class AdminCliCases:
    """The scenarios, shared by both backends. A subclass provides store_options(), the
    global options that select its store, and fresh_store_options(), those of a new empty one.
    """

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tfa_cli_")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.data_dir = os.path.join(self.tmp, "data")
        # The PostgreSQL database is shared by the cases of a class, so names carry a suffix
        # of their own and assertions look at this case's users only.
        self.suffix = secrets.token_hex(3)

    # --- running tfa -----------------------------------------------------------------------

    def tfa(self, *args, stdin=None, env=None, store=True):
        """Runs tfa in this case's working directory with `args` (plus the store's global
        options after them unless store=False). It has no terminal: stdin is `stdin` or
        empty, and a new session leaves it without a controlling terminal, so /dev/tty cannot
        be opened and a password prompt fails instead of waiting."""
        argv = [TFA, *args, *(self.store_options() if store else [])]
        completed = subprocess.run(
            argv, input=(stdin or "").encode(), capture_output=True, cwd=self.tmp,
            env=env if env is not None else clean_environment(), start_new_session=True,
            timeout=TIMEOUT)
        return Result(completed.returncode, completed.stdout.decode("utf-8", "replace"),
                      completed.stderr.decode("utf-8", "replace"))

    def ok(self, *args, **kwargs):
        result = self.tfa(*args, **kwargs)
        self.assertEqual(result.returncode, 0, f"tfa {' '.join(args)}: {result}")
        self.assertEqual(result.stderr, "", f"tfa {' '.join(args)}")
        return result.stdout

    def fails(self, status, *args, **kwargs):
        """Asserts exit `status`, nothing on stdout and one "tfa: ..." line on stderr;
        returns that line."""
        result = self.tfa(*args, **kwargs)
        self.assertEqual(result.returncode, status, f"tfa {' '.join(args)}: {result}")
        self.assertEqual(result.stdout, "", f"tfa {' '.join(args)}")
        self.assertRegex(result.stderr, ONE_ERROR_LINE, f"tfa {' '.join(args)}")
        return result.stderr

    def name(self, base):
        return f"{base}.{self.suffix}"

    def add_user(self, name, email=None, password=PASSWORD):
        email = email or f"{name}@example.com"
        out = self.ok("user", "add", name, "--email", email, "--password-stdin",
                      stdin=password + "\n")
        self.assertEqual(out, f"created user {name}\n")
        return email

    def user_lines(self, **kwargs):
        """`user list` as {name: line}, for the users of this case."""
        out = self.ok("user", "list", **kwargs)
        lines = out.splitlines()
        for line in lines:
            self.assertEqual(len(line.split("\t")), 4, line)
        return {line.split("\t")[0]: line for line in lines
                if line.split("\t")[0].endswith("." + self.suffix)}

    def show(self, name):
        return self.ok("user", "show", name).splitlines()

    def events_of(self, name):
        return [line for line in self.show(name) if line.startswith("event:")]

    def key_file(self):
        return os.path.join(self.data_dir, "secret.key")

    def write(self, relative, text):
        path = os.path.join(self.tmp, relative)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    # --- user add / list / show --------------------------------------------------------------

    def test_add_list_show(self):
        alice = self.name("alice")
        self.add_user(alice, "alice@example.com")

        self.assertEqual(self.user_lines(), {alice: f"{alice}\talice@example.com\tenabled\t2fa off"})

        users = [u for u in json.loads(self.ok("user", "list", "--json")) if u["name"] == alice]
        self.assertEqual(len(users), 1)
        user = users[0]
        self.assertEqual(set(user), {"name", "email", "disabled", "two_factor", "factors",
                                     "created_at"})
        self.assertEqual(user["email"], "alice@example.com")
        self.assertIs(user["disabled"], False)
        self.assertIs(user["two_factor"], False)
        self.assertEqual(user["factors"], 0)
        self.assertRegex(user["created_at"], rf"\A{TIMESTAMP}\Z")

        lines = self.show(alice)
        self.assertEqual(lines[0], f"name:     {alice}")
        self.assertEqual(lines[1], "email:    alice@example.com")
        self.assertEqual(lines[2], "status:   enabled")
        self.assertEqual(lines[3], f"created:  {user['created_at']}")
        self.assertEqual(lines[4], "2fa:      off")
        self.assertRegex(lines[5], rf"\Aevent:    {TIMESTAMP} user\.created success\Z")
        self.assertEqual(len(lines), 6, lines)

    # --- global options, config file, environment --------------------------------------------

    def test_global_options_before_and_after_the_subcommand(self):
        alice = self.name("alice")
        self.add_user(alice)
        opts = self.store_options()
        after = self.ok("user", "list")
        self.assertIn(alice, after)
        self.assertEqual(self.ok(*opts, "user", "list", store=False), after)
        self.assertEqual(self.ok("user", *opts, "list", store=False), after)
        self.assertEqual(self.ok(*opts, "user", "list", "--json", store=False),
                         self.ok("user", "list", "--json"))

    def config_text(self, data_dir, database=None):
        text = f'data_dir = "{data_dir}"\n'
        if database is not None:
            text += f'database = "{database}"\n'
        return text

    def test_config_file(self):
        alice = self.name("alice")
        self.add_user(alice)
        expected = self.ok("user", "list")
        config = self.write("tfa.toml", self.config_text(self.data_dir, self.database_setting()))
        self.assertEqual(self.ok("--config", config, "user", "list", store=False), expected)
        self.assertEqual(self.ok("user", "list", "--config", config, store=False), expected)
        self.assertEqual(self.ok("user", "list", store=False,
                                 env=clean_environment(TFA_CONFIG=config)), expected)

    def test_environment(self):
        alice = self.name("alice")
        self.add_user(alice)
        expected = self.ok("user", "list")
        env = clean_environment(TFA_DATA_DIR=self.data_dir)
        if self.database_setting() is not None:
            env["TFA_DATABASE"] = self.database_setting()
        self.assertEqual(self.ok("user", "list", store=False, env=env), expected)

    def test_command_line_overrides_environment_and_file(self):
        alice = self.name("alice")
        self.add_user(alice)
        expected = self.ok("user", "list")
        # Wrong settings in the file and the environment: the data dirs they name must not
        # be created, and their databases do not exist.
        file_dir = os.path.join(self.tmp, "from-file")
        env_dir = os.path.join(self.tmp, "from-env")
        unusable = "postgresql://nobody@127.0.0.1:1/{}"
        config = self.write("tfa.toml", self.config_text(
            file_dir, None if self.database_setting() is None else unusable.format("file")))
        env = clean_environment(TFA_DATA_DIR=env_dir)
        if self.database_setting() is not None:
            env["TFA_DATABASE"] = unusable.format("env")

        self.assertEqual(self.ok("--config", config, "user", "list", env=env), expected)
        self.assertFalse(os.path.exists(file_dir))
        self.assertFalse(os.path.exists(env_dir))

        # And the environment overrides the file.
        env = clean_environment(TFA_DATA_DIR=self.data_dir)
        if self.database_setting() is not None:
            env["TFA_DATABASE"] = self.database_setting()
        self.assertEqual(self.ok("--config", config, "user", "list", env=env, store=False),
                         expected)
        self.assertFalse(os.path.exists(file_dir))

    def test_bad_config_file_names_every_problem(self):
        config = self.write("bad.toml", 'data_dir = "never-created"\ndatabse = ""\nissuer = 3\n')
        result = self.tfa("--config", config, "user", "list", store=False)
        self.assertEqual(result.returncode, 2, result)
        self.assertEqual(result.stdout, "")
        # The one exception to the one-line rule: a config file with several problems is
        # reported one problem per line, so that each names its key. The first line carries
        # the "tfa: " prefix.
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 2, result)
        self.assertTrue(lines[0].startswith("tfa: "), result)
        self.assertIn('unknown key "databse"', lines[0])
        self.assertIn("issuer: expected a string, got integer 3", lines[1])
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "never-created")))

        missing = os.path.join(self.tmp, "missing.toml")
        message = self.fails(2, "--config", missing, "user", "list", store=False)
        self.assertIn(f"cannot read config file {missing}", message)

    # --- input errors ---------------------------------------------------------------------

    def test_duplicate_user_in_any_case(self):
        alice = self.name("alice")
        self.add_user(alice)
        before = self.ok("user", "list")
        for duplicate in (alice, alice.upper(), alice.capitalize()):
            with self.subTest(duplicate):
                message = self.fails(2, "user", "add", duplicate, "--email", "x@example.com",
                                     "--password-stdin", stdin=PASSWORD + "\n")
                self.assertIn("already exists", message)
        self.assertEqual(self.ok("user", "list"), before)

    def test_unknown_user(self):
        ghost = self.name("ghost")
        # passwd runs without --password-stdin: the name is checked before any password is
        # asked for, so the answer is about the user, not about the missing terminal.
        for verb in ("show", "passwd", "disable", "enable", "delete", "reset-2fa"):
            with self.subTest(verb):
                message = self.fails(2, "user", verb, ghost)
                self.assertIn(f"'{ghost}'", message)

    def test_invalid_input_creates_nothing(self):
        before = self.ok("user", "list")
        cases = {
            "name with a space": (["a b", "--email", "ab@example.com"], PASSWORD, "user name"),
            "invalid e-mail": ([self.name("bob"), "--email", "not-an-address"], PASSWORD,
                               "not-an-address"),
            "short password": ([self.name("carol"), "--email", "c@example.com"], "short",
                               "at least 8 characters"),
            "no password": ([self.name("dave"), "--email", "d@example.com"], "",
                            "no password on standard input"),
        }
        for case, (args, password, expected) in cases.items():
            with self.subTest(case):
                message = self.fails(2, "user", "add", *args, "--password-stdin",
                                     stdin=password + "\n" if password else "")
                self.assertIn(expected, message)
        self.assertEqual(self.ok("user", "list"), before)

    # --- changing users -------------------------------------------------------------------

    def test_passwd_disable_enable_delete(self):
        alice = self.name("alice")
        self.add_user(alice)
        self.assertEqual(self.ok("user", "passwd", alice, "--password-stdin",
                                 stdin="another password\n"),
                         f"password of {alice} changed; 0 sessions and 0 API tokens ended\n")
        self.assertIn("user.password_changed", self.events_of(alice)[0])
        message = self.fails(2, "user", "passwd", alice, "--password-stdin", stdin="short\n")
        self.assertIn("at least 8 characters", message)

        self.assertEqual(self.ok("user", "disable", alice), f"{alice} disabled\n")
        self.assertIn("status:   disabled", self.show(alice))
        self.assertEqual(self.user_lines()[alice].split("\t")[2], "disabled")
        self.assertIn("user.disabled", self.events_of(alice)[0])

        self.assertEqual(self.ok("user", "enable", alice), f"{alice} enabled\n")
        self.assertIn("status:   enabled", self.show(alice))
        self.assertEqual(self.user_lines()[alice].split("\t")[2], "enabled")

        self.assertEqual(self.ok("user", "delete", alice), f"deleted user {alice}\n")
        self.assertNotIn(alice, self.user_lines())
        self.assertIn(f"'{alice}'", self.fails(2, "user", "show", alice))

    def test_reset_two_factor(self):
        alice = self.name("alice")
        self.add_user(alice)
        self.assertEqual(
            self.ok("user", "reset-2fa", alice),
            f"two-factor authentication of {alice} reset: "
            "removed 0 factors, 0 backup codes, 0 trusted devices\n")
        self.assertRegex(self.events_of(alice)[0],
                         rf"\Aevent:    {TIMESTAMP} 2fa\.reset_by_admin success "
                         r"\(removed 0 factors, 0 backup codes, 0 trusted devices\)\Z")

    # --- audit ----------------------------------------------------------------------------

    def test_audit_log(self):
        alice, bob = self.name("alice"), self.name("bob")
        self.add_user(alice)
        self.add_user(bob)
        self.ok("user", "disable", alice)
        self.ok("user", "reset-2fa", alice)
        lines = self.ok("audit", "--user", alice.upper()).splitlines()
        self.assertEqual([line.split("\t")[2] for line in lines],
                         ["2fa.reset_by_admin", "user.disabled", "user.created"], "newest first")
        for line in lines:
            when, user, _, outcome, address, agent, _ = line.split("\t")
            self.assertRegex(when, TIMESTAMP)
            self.assertEqual((user, outcome, address, agent), (alice, "success", "-", "tfa-cli"))
        events = json.loads(self.ok("audit", "--user", alice, "--json", "--limit", "2"))
        self.assertEqual([e["event"] for e in events], ["2fa.reset_by_admin", "user.disabled"])
        self.assertEqual(events[0]["user"], alice)
        self.assertIn("removed 0 factors", events[0]["detail"])
        self.assertIsInstance(events[0]["at_unix"], int)
        # --since: a time after everything finds nothing; an age of a day finds it all.
        self.assertEqual(self.ok("audit", "--user", alice, "--since", "2999-01-01"), "")
        self.assertEqual(len(self.ok("audit", "--user", alice, "--since", "1d").splitlines()), 3)
        oldest = json.loads(self.ok("audit", "--user", alice, "--json"))[-1]["at_unix"]
        self.assertEqual(len(self.ok("audit", "--user", alice, "--since", str(oldest)).splitlines()), 3)
        self.assertEqual(self.ok("audit", "--user", alice, "--since", str(events[0]["at_unix"] + 1)), "")
        # A deleted account's events stay findable.
        self.ok("user", "delete", bob)
        self.assertEqual(self.ok("audit", "--user", bob).splitlines()[0].split("\t")[2], "user.deleted")
        for bad in ("yesterday", "2026-13-01", "5y", "-"):
            with self.subTest(since=bad):
                self.assertIn("--since", self.fails(2, "audit", "--since", bad))
        self.fails(2, "audit", "--limit", "0")

    # --- password prompt ------------------------------------------------------------------

    def test_password_without_terminal(self):
        before = self.ok("user", "list")
        message = self.fails(2, "user", "add", self.name("alice"), "--email", "a@example.com")
        self.assertIn("--password-stdin", message)
        self.assertEqual(self.ok("user", "list"), before)

    def on_terminal(self, args, typed):
        """Runs tfa with a pseudo-terminal as its controlling terminal (stdin, stdout and
        stderr stay pipes, as when output is redirected) and types `typed` one line per
        prompt (a bytes item is written as it is, e.g. b"\\x03" for Ctrl-C). Returns (result,
        what the terminal showed, whether echo was on at the end)."""
        master, slave = os.openpty()
        self.addCleanup(os.close, master)
        self.addCleanup(os.close, slave)

        def take_terminal():  # runs in the child, after setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        proc = subprocess.Popen([TFA, *args, *self.store_options()], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=self.tmp,
                                env=clean_environment(), start_new_session=True,
                                pass_fds=(slave,), preexec_fn=take_terminal)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        deadline = time.monotonic() + TIMEOUT
        screen = b""

        def read_screen(wait):
            nonlocal screen
            ready, _, _ = select.select([master], [], [], wait)
            if ready:
                screen += os.read(master, 4096)

        def echo_on():
            return bool(termios.tcgetattr(slave)[3] & termios.ECHO)

        seen = 0
        for prompt, line in zip((b"Password: ", b"Repeat password: "), typed):
            while screen.find(prompt, seen) < 0:
                if proc.poll() is not None or time.monotonic() > deadline:
                    self.fail(f"no prompt {prompt!r}; terminal {screen!r}, "
                              f"stderr {proc.stderr.read()!r}")
                read_screen(0.05)
            seen = screen.find(prompt, seen) + len(prompt)
            # The prompt is printed before echo is turned off, and turning it off discards
            # typed-ahead input; wait for it, as a person would for the prompt.
            while echo_on():
                if time.monotonic() > deadline:
                    self.fail("echo was not turned off")
                time.sleep(0.005)
            os.write(master, line if isinstance(line, bytes) else line.encode() + b"\n")
        out, err = proc.communicate(timeout=TIMEOUT)
        read_screen(0.1)
        result = Result(proc.returncode, out.decode(), err.decode())
        return result, screen.decode("utf-8", "replace"), echo_on()

    def test_password_prompt_on_terminal(self):
        alice = self.name("alice")
        result, screen, echo = self.on_terminal(
            ["user", "add", alice, "--email", "a@example.com"], [PASSWORD, PASSWORD])
        self.assertEqual((result.returncode, result.stdout, result.stderr),
                         (0, f"created user {alice}\n", ""), screen)
        self.assertEqual(screen.replace("\r\n", "\n"), "Password: \nRepeat password: \n")
        self.assertNotIn(PASSWORD, screen)
        self.assertTrue(echo, "echo was not turned back on")
        self.assertIn(alice, self.user_lines())

    def test_password_prompt_mismatch(self):
        bob = self.name("bob")
        result, screen, echo = self.on_terminal(
            ["user", "add", bob, "--email", "b@example.com"], [PASSWORD, PASSWORD + "!"])
        self.assertEqual(result.returncode, 2, result)
        self.assertEqual(result.stdout, "")
        self.assertRegex(result.stderr, ONE_ERROR_LINE)
        self.assertIn("do not match", result.stderr)
        self.assertNotIn(PASSWORD, screen)
        self.assertTrue(echo, "echo was not turned back on")
        self.assertNotIn(bob, self.user_lines())

    # Ctrl-C at the prompt must not leave the operator's terminal without echo.
    def test_interrupted_prompt_restores_echo(self):
        result, screen, echo = self.on_terminal(
            ["user", "add", self.name("erin"), "--email", "e@example.com"], [b"\x03"])
        self.assertNotEqual(result.returncode, 0, result)
        self.assertTrue(echo, "echo is still off after Ctrl-C at the password prompt")

    # --- db -------------------------------------------------------------------------------

    def test_db_status_and_migrate(self):
        store = self.fresh_store_options()
        # `db status` does not migrate, so a brand-new database is at version 0.
        status = self.ok("db", "status", *store, store=False).splitlines()
        self.assertTrue(status[0].startswith("database:       "), status)
        self.assertEqual(status[1:], ["schema version: 0 (this tfa: 1)",
                                      "pending:        1 initial"])

        migrated = self.ok("db", "migrate", *store, store=False).splitlines()
        self.assertEqual(migrated[0], "applied 1 migration")
        self.assertEqual(migrated[2:], ["schema version: 1 (this tfa: 1)", "pending:        none"])

        status = self.ok("db", "status", *store, store=False).splitlines()
        self.assertEqual(status[1:], ["schema version: 1 (this tfa: 1)", "pending:        none"])

        again = self.ok("db", "migrate", *store, store=False).splitlines()
        self.assertEqual(again[0], "applied 0 migrations")
        self.assertEqual(again[2:], ["schema version: 1 (this tfa: 1)", "pending:        none"])

    def test_other_commands_migrate_a_new_database(self):
        store = self.fresh_store_options()
        self.assertEqual(self.ok("user", "list", *store, store=False), "")
        status = self.ok("db", "status", *store, store=False).splitlines()
        self.assertEqual(status[1:], ["schema version: 1 (this tfa: 1)", "pending:        none"])

    def test_unreachable_database(self):
        result = self.tfa("--database", "postgresql://u:secretpw@127.0.0.1:1/x",
                          "--data-dir", self.data_dir, "user", "list", store=False)
        self.assertEqual(result.returncode, 1, result)
        self.assertEqual(result.stdout, "")
        self.assertRegex(result.stderr, ONE_ERROR_LINE)
        self.assertIn("127.0.0.1:1", result.stderr)
        self.assertNotIn("secretpw", result.stderr)

    # --- server key -----------------------------------------------------------------------

    def read_key(self):
        with open(self.key_file(), encoding="ascii") as f:
            return f.read()

    def test_key_rotate(self):
        alice = self.name("alice")
        self.add_user(alice)
        old = self.read_key()
        out = self.ok("key", "rotate")
        match = re.fullmatch(r"re-sealed 0 secrets under key (\w+) \(was (\w+)\); "
                             r"(.+) now holds the new key\n", out)
        self.assertIsNotNone(match, out)
        new_id, old_id, file = match.groups()
        self.assertNotEqual(new_id, old_id)
        self.assertEqual(os.path.realpath(file), os.path.realpath(self.key_file()))
        new = self.read_key()
        self.assertNotEqual(new, old)
        self.assertRegex(new, r"\A[0-9a-f]{64}\n\Z")
        self.assertEqual(stat.S_IMODE(os.stat(self.key_file()).st_mode), 0o600)
        self.assertFalse(os.path.exists(self.key_file() + ".new"))
        self.assertIn(alice, self.user_lines())

        # The key the next rotation replaces is the one this rotation installed.
        out = self.ok("key", "rotate")
        self.assertIn(f"(was {new_id})", out)

    def test_key_file_readable_by_others(self):
        alice = self.name("alice")
        self.add_user(alice)
        os.chmod(self.key_file(), 0o644)
        commands = {
            "user list": (["user", "list"], None),
            "user show": (["user", "show", alice], None),
            "user add": (["user", "add", self.name("bob"), "--email", "b@example.com",
                          "--password-stdin"], PASSWORD + "\n"),
            "user passwd": (["user", "passwd", alice, "--password-stdin"], PASSWORD + "\n"),
            "user disable": (["user", "disable", alice], None),
            "user reset-2fa": (["user", "reset-2fa", alice], None),
            "user delete": (["user", "delete", alice], None),
            "db status": (["db", "status"], None),
            "db migrate": (["db", "migrate"], None),
            "key rotate": (["key", "rotate"], None),
        }
        for case, (args, stdin) in commands.items():
            with self.subTest(case):
                result = self.tfa(*args, stdin=stdin)
                self.assertNotEqual(result.returncode, 0, result)
                self.assertEqual(result.stdout, "")
                self.assertRegex(result.stderr, ONE_ERROR_LINE)
                self.assertIn("chmod 600", result.stderr)
        os.chmod(self.key_file(), 0o600)
        self.assertEqual(self.user_lines(), {alice: f"{alice}\t{alice}@example.com\tenabled\t2fa off"})

    def test_key_file_of_wrong_length(self):
        self.ok("user", "list")
        with open(self.key_file(), "w", encoding="ascii") as f:
            f.write("ab" * 31 + "\n")
        for args in (["user", "list"], ["db", "status"], ["key", "rotate"]):
            with self.subTest(" ".join(args)):
                result = self.tfa(*args)
                self.assertNotEqual(result.returncode, 0, result)
                self.assertEqual(result.stdout, "")
                self.assertRegex(result.stderr, ONE_ERROR_LINE)
                self.assertIn("64 hexadecimal digits", result.stderr)

    # --- help -----------------------------------------------------------------------------

    def test_help_lists_subcommands(self):
        groups = {"user": USER_VERBS, "db": ("migrate", "status"), "key": ("rotate",)}
        for group, verbs in groups.items():
            with self.subTest(group):
                out = self.ok(group, "--help")
                listed = re.findall(r"^  (\S+)\s", out.split("Subcommands:", 1)[1], re.M)
                self.assertEqual(sorted(listed), sorted(verbs), out)
        # Help opens nothing.
        self.assertFalse(os.path.exists(self.data_dir))


class SqliteTest(AdminCliCases, unittest.TestCase):
    def store_options(self):
        return ["--data-dir", self.data_dir]

    def database_setting(self):
        return None

    def fresh_store_options(self):
        return ["--data-dir", os.path.join(self.tmp, "fresh")]

    def test_data_dir_and_key_file_are_private(self):
        # A nested path: the parents are created too, and the data dir itself is 0700.
        self.data_dir = os.path.join(self.tmp, "a", "b", "data")
        self.ok("user", "list")
        self.assertEqual(stat.S_IMODE(os.stat(self.data_dir).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(self.key_file()).st_mode), 0o600)
        self.assertRegex(self.read_key(), r"\A[0-9a-f]{64}\n\Z")
        self.assertTrue(os.path.isfile(os.path.join(self.data_dir, "tfa.db")))

    def test_data_dir_is_a_file(self):
        self.write("data", "not a folder\n")
        message = self.fails(1, "user", "list")
        self.assertIn(f"cannot create folder {self.data_dir}", message)

    def test_database_cannot_be_opened(self):
        os.makedirs(os.path.join(self.data_dir, "tfa.db"))
        message = self.fails(1, "user", "list")
        self.assertIn("cannot open SQLite database", message)

    def test_database_is_not_sqlite(self):
        os.makedirs(self.data_dir)
        self.write(os.path.join("data", "tfa.db"), "x" * 200)
        message = self.fails(1, "user", "list")
        self.assertIn("tfa.db", message)
        self.assertIn("not a database", message)


class PostgresTest(AdminCliCases, unittest.TestCase):
    server = ""
    url = ""
    databases = []

    @classmethod
    def setUpClass(cls):
        cls.server = postgres_server_url()
        if not cls.server:
            message = f"no PostgreSQL server URL in {POSTGRES_URL_FILE!r}"
            if os.environ.get("TFA_REQUIRE_POSTGRES"):
                raise AssertionError(message)
            raise unittest.SkipTest(message)
        cls.databases = []
        cls.url = cls.create_database()

    @classmethod
    def create_database(cls):
        name = f"tfa_cli_{secrets.token_hex(6)}"
        psql(cls.server, f"CREATE DATABASE {name}")
        cls.databases.append(name)
        return with_database(cls.server, name)

    @classmethod
    def tearDownClass(cls):
        for name in cls.databases:
            psql(cls.server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def store_options(self):
        return ["--data-dir", self.data_dir, "--database", self.url]

    def database_setting(self):
        return self.url

    def fresh_store_options(self):
        return ["--data-dir", self.data_dir, "--database", self.create_database()]


def main():
    global TFA, POSTGRES_URL_FILE
    if len(sys.argv) < 3 or not os.path.isfile(sys.argv[1]):
        sys.exit("usage: admin_test.py PATH/TO/tfa POSTGRES_URL_FILE [unittest options]")
    TFA = os.path.abspath(sys.argv[1])
    POSTGRES_URL_FILE = sys.argv[2]
    unittest.main(argv=[sys.argv[0], *sys.argv[3:]])


if __name__ == "__main__":
    main()
