#!/usr/bin/python3
"""The console's forms sent many times at once, as a guesser or a double click does: guesses
sent together must count as if sent one after another, and a second click must not answer
5xx. Also the five minutes a password re-confirmation opens for enrollment.

    /usr/bin/python3 concurrency_test.py PATH/TO/tfa [unittest options]

Each burst goes out from as many threads as requests, each over its own connection, so that
they reach the server's worker threads together. Uses oathtool (through console_test.py) and
the sqlite3 command to age a re-confirmation.
"""
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

import server_test
from console_test import FORM, PASSWORD, ConsoleCase, Server, totp, unique_name

FREE_PASSWORD_FAILURES = 5  # login.password_per_account and the re-confirmation's own limit


def burst(browser, path, bodies):
    """POSTs every form body in `bodies` at once, with the browser's cookies; the statuses."""
    statuses = [None] * len(bodies)
    start = threading.Barrier(len(bodies))

    def send(i):
        start.wait()
        statuses[i] = browser.send("POST", path, body=bodies[i], headers={"Content-Type": FORM},
                                   cookies=dict(browser.cookies)).status

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


class BurstCases:
    """Bursts of 40 wrong passwords, for a ConsoleCase whose server is set up by the subclass
    (SQLite here, PostgreSQL in postgres_input_test.py). `rounds` bursts per case."""

    rounds = 1

    def test_wrong_reconfirmations_sent_at_once_count_as_one_after_another(self):
        for _ in range(self.rounds):
            b = self.browser()
            self.signup(b)
            csrf = b.csrf_of("/profile/security/enable")
            body = urllib.parse.urlencode({"csrf": csrf, "password": "wrong password", "next": "enroll"})
            statuses = burst(b, "/profile/security/enable", [body] * 40)
            self.assertEqual(set(statuses), {401, 429}, statuses)
            # The free failures, and the one that starts the block: no more answers than that.
            self.assertLessEqual(statuses.count(401), FREE_PASSWORD_FAILURES + 1, statuses)
            self.assertEqual(b.post("/profile/security/enable", {"csrf": csrf, "password": PASSWORD}).status, 429)

    def test_wrong_passwords_sent_at_once_count_as_one_after_another(self):
        for _ in range(self.rounds):
            name = self.signup(self.browser())
            guesser = self.browser()
            csrf = guesser.csrf_of("/login")
            bodies = [urllib.parse.urlencode({"csrf": csrf, "username": name, "password": f"guess {i}"})
                      for i in range(40)]
            statuses = burst(guesser, "/login", bodies)
            self.assertEqual(set(statuses), {401, 429}, statuses)
            self.assertLessEqual(statuses.count(401), FREE_PASSWORD_FAILURES + 1, statuses)


class ConcurrencyTest(BurstCases, ConsoleCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_a_double_clicked_sign_in_answers_no_5xx(self):
        name = self.signup(self.browser())
        for _ in range(3):
            b = self.browser()
            body = urllib.parse.urlencode({"csrf": b.csrf_of("/login"), "username": name, "password": PASSWORD})
            statuses = burst(b, "/login", [body, body])
            # The first moves the session on. The second finds it moved (303 to "/") or, when
            # it arrives after the move, gone: its form has expired (403).
            self.assertIn(303, statuses)
            self.assertTrue(set(statuses) <= {303, 403}, statuses)

    def test_a_double_clicked_enrollment_answers_no_5xx(self):
        for _ in range(3):
            b = self.browser()
            self.signup(b)
            secret, page = self.start_enrollment(b)
            body = urllib.parse.urlencode({"csrf": page.csrf(), "code": totp(secret, time.time())})
            statuses = sorted(burst(b, "/profile/security/enroll", [body, body]))
            self.assertIn(200, statuses, statuses)
            self.assertTrue(set(statuses) <= {200, 303, 409}, statuses)
            self.assertTrue(self.two_factor_state(b))

    def test_enrollment_needs_the_password_again_once_its_minutes_are_over(self):
        b = self.browser()
        name = self.signup(b)
        secret, page = self.start_enrollment(b)
        # Five minutes and more since the password was confirmed.
        subprocess.run(["sqlite3", "-cmd", ".timeout 5000", os.path.join(self.server.data_dir, "tfa.db"),
                        "UPDATE sessions SET reauth_at = reauth_at - 600 WHERE user_id = "
                        f"(SELECT id FROM users WHERE name = '{name}')"], check=True, capture_output=True)
        self.assert_redirect(b.get("/profile/security/enroll"), "/profile/security/enable")
        r = b.post("/profile/security/enroll", {"csrf": page.csrf(), "code": totp(secret, time.time())})
        self.assert_redirect(r, "/profile/security/enable")
        self.assertFalse(self.two_factor_state(b))
        # The password again, and the same QR code comes back.
        again, page = self.start_enrollment(b)
        self.assertEqual(again, secret)
        self.assert_enabled(b.post("/profile/security/enroll",
                                   {"csrf": page.csrf(), "code": totp(secret, time.time())}))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: concurrency_test.py PATH/TO/tfa [unittest options]")
    for tool in ("oathtool", "sqlite3"):
        if shutil.which(tool) is None:
            sys.exit(f"concurrency_test.py needs {tool}")
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
