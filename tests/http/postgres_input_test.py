#!/usr/bin/python3
"""`tfa serve` on PostgreSQL, where it differs from SQLite:

- text PostgreSQL would refuse or fold: a User-Agent or a typed name that is not UTF-8, a
  User-Agent cut in the middle of a character, an e-mail address that is not UTF-8, and names
  that PostgreSQL's lower() folds into an account's name (the Kelvin sign into k). None may
  answer 5xx, stop a wrong password from being counted, or open an account by another
  spelling. SQLite stores such text as it is.
- bursts of wrong passwords on many connections at once: under READ COMMITTED every
  transaction would see the key open, so the check is made with the key's row locked. At
  most the free failures and the one that blocks may be answered 401, as on SQLite, whose
  single writer serialises them anyway.

    /usr/bin/python3 postgres_input_test.py PATH/TO/tfa POSTGRES_URL_FILE [unittest options]

POSTGRES_URL_FILE is where the ctest fixture `postgres` (tests/postgres) writes its server's
URL; each run makes a database of its own there and drops it at the end.
"""
import json
import os
import secrets
import subprocess
import sys
import unittest
import urllib.parse

import server_test
from concurrency_test import BurstCases
from console_test import PASSWORD, Browser, ConsoleCase, Server, unique_name

POSTGRES_URL_FILE = ""
BAD_AGENT = b"evil\xff agent"
INCORRECT = "Incorrect username or password."


def psql(url, sql):
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
    if result.returncode != 0:
        raise AssertionError(f"psql {sql!r} failed: {result.stderr}")
    return result.stdout.strip()


class AgentBrowser(Browser):
    """A browser that sends `agent` (bytes, as they are) as its User-Agent."""

    def __init__(self, server, agent):
        super().__init__(server)
        self.agent = agent

    def send(self, method, path, body=b"", headers=None, cookies=None):
        return super().send(method, path, body=body, headers={"User-Agent": self.agent, **(headers or {})},
                            cookies=cookies)


class PostgresCase(ConsoleCase):
    """A server of its own on a database of its own of the fixture's PostgreSQL server."""

    server_env = {}

    @classmethod
    def setUpClass(cls):
        try:
            with open(POSTGRES_URL_FILE, encoding="utf-8") as f:
                server_url = f.readline().strip()
        except OSError:
            server_url = ""
        if not server_url:
            message = f"no PostgreSQL server URL in {POSTGRES_URL_FILE!r}"
            if os.environ.get("TFA_REQUIRE_POSTGRES"):
                raise AssertionError(message)
            raise unittest.SkipTest(message)
        cls.database = f"tfa_input_{secrets.token_hex(6)}"
        # With a UTF-8 ctype, as most installations have, lower() folds beyond ASCII; the
        # fixture's own database has the C locale, which folds only ASCII.
        psql(server_url, f"CREATE DATABASE {cls.database} TEMPLATE template0 ENCODING 'UTF8' "
                         "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
        cls.admin_url = server_url
        cls.url = urllib.parse.urlsplit(server_url)._replace(path="/" + cls.database).geturl()
        try:
            cls.server = Server(args=["--database", cls.url], **cls.server_env)
        except BaseException:
            psql(server_url, f"DROP DATABASE IF EXISTS {cls.database} WITH (FORCE)")
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.close()
        finally:
            psql(cls.admin_url, f"DROP DATABASE IF EXISTS {cls.database} WITH (FORCE)")


class PostgresBurstTest(BurstCases, PostgresCase):
    # As many connections and threads as a burst has requests, so that they overlap.
    server_env = {"TFA_DATABASE_POOL_SIZE": "16", "TFA_SERVER_HASH_WORKERS": "8",
                  "TFA_SERVER_WORKER_THREADS": "32"}
    rounds = 2


class PostgresInputTest(PostgresCase):

    def sign_in_raw(self, browser, username_bytes, password=PASSWORD):
        """The sign-in form with the name as raw bytes, percent-encoded as a browser would."""
        body = urllib.parse.urlencode({"csrf": browser.csrf_of("/login")}) + "&username=" + \
            urllib.parse.quote_from_bytes(username_bytes) + "&" + urllib.parse.urlencode({"password": password})
        return browser.post("/login", raw=body)

    def failures_audited(self, name):
        return int(psql(self.url, "SELECT COUNT(*) FROM audit_events WHERE event = 'signin.password' "
                                  f"AND outcome = 'failure' AND username = '{name}'"))

    def test_pages_answer_a_user_agent_that_is_not_utf8(self):
        for agent in (BAD_AGENT, b"a" * 499 + "é".encode()):  # the second is cut inside é
            with self.subTest(agent=agent[-12:]):
                r = AgentBrowser(self.server, agent).get("/login")
                self.assertEqual(r.status, 200, r.body[:300])

    def test_wrong_passwords_sent_with_such_a_user_agent_are_counted(self):
        name = self.signup(self.browser())
        guesser = AgentBrowser(self.server, BAD_AGENT)
        statuses = []
        for _ in range(10):
            statuses.append(self.sign_in(guesser, name, "wrong password").status)
            if statuses[-1] == 429:
                break
        self.assertEqual(statuses[-1], 429, statuses)
        self.assertEqual(set(statuses[:-1]), {401}, statuses)
        self.assertGreaterEqual(self.failures_audited(name), len(statuses) - 1)
        # The right password is blocked too, rather than told apart by a 500.
        self.assertEqual(self.sign_in(guesser, name).status, 429)

    def test_the_right_password_with_such_a_user_agent_signs_in(self):
        name = self.signup(self.browser())
        b = AgentBrowser(self.server, BAD_AGENT)
        self.assert_redirect(self.sign_in(b, name), "/profile/security")
        self.assertTrue(self.is_signed_in(b))
        r = b.send("POST", "/api/v1/auth/login", body=json.dumps({"username": name, "password": PASSWORD}),
                   headers={"Content-Type": "application/json"}, cookies={})
        self.assertEqual(r.status, 200, r.body)
        agents = psql(self.url, "SELECT user_agent FROM sessions WHERE user_agent LIKE 'evil%'")
        self.assertIn("evil\ufffd agent", agents.splitlines())

    def test_a_name_that_is_not_utf8_is_an_unknown_name(self):
        b = self.browser()
        r = self.sign_in_raw(b, b"\xffbob", "any password")
        self.assert_html_error(r, 401, INCORRECT)

    def test_a_name_that_lower_folds_into_an_account_name_is_not_that_account(self):
        name = unique_name("kirk")
        self.signup(self.browser(), name)
        for look_alike in ("\u212a" + name[1:], "k\u0130" + name[2:]):  # Kelvin sign, dotted capital I
            with self.subTest(look_alike=look_alike):
                b = self.browser()
                r = self.sign_in_raw(b, look_alike.encode())
                self.assert_html_error(r, 401, INCORRECT)
                self.assertFalse(self.is_signed_in(b))

    def test_an_email_address_that_is_not_utf8_is_refused(self):
        b = self.browser()
        body = urllib.parse.urlencode({"csrf": b.csrf_of("/signup"), "username": unique_name(),
                                       "password": PASSWORD}) + "&email=" + \
            urllib.parse.quote_from_bytes(b"a\xff@example.com")
        r = b.post("/signup", raw=body)
        self.assert_html_error(r, 400)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: postgres_input_test.py PATH/TO/tfa POSTGRES_URL_FILE [unittest options]")
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    POSTGRES_URL_FILE = sys.argv.pop(1)
    unittest.main(verbosity=2)
