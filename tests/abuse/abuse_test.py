#!/usr/bin/python3
"""Abuse resistance through `tfa serve` over loopback: a valid code replayed at once, to one
server and to two servers on one database, and sign-in answers that do not tell an unknown
user from a wrong password, in body, status or time.

    /usr/bin/python3 abuse_test.py PATH/TO/tfa [unittest options]

Every request goes to 127.0.0.1; the counts are fixed, so each case stops by itself.
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
import server_test  # noqa: E402
from console_flows_test import Authenticator  # noqa: E402
from console_test import totp, unique_name  # noqa: E402
from server_test import Server  # noqa: E402

PASSWORD = "correct horse battery"
STEP = 30
SEED_002_MESSAGE = "Additional authentications steps required."
BAD_CREDENTIALS = "Incorrect username or password."


class SecondServer(Server):
    """Another `tfa serve` on the data folder of a running one, as a second instance of one
    deployment would be: same database file, same sealing key."""

    def __init__(self, data_dir, **env):  # pylint: disable=super-init-not-called
        self.dir = tempfile.mkdtemp(prefix="tfa-abuse-test-")
        self.log_path = os.path.join(self.dir, "stderr.log")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [server_test.TFA, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir],
            stdout=subprocess.PIPE, stderr=self.log, env=server_test.clean_environment(**env))
        self.port = self._read_port()


def call(server, method, path, body=None, token=None, headers=None):
    """One request on a fresh connection: (status, parsed JSON body, raw body)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        all_headers = {"Connection": "close", "User-Agent": "abuse_test"}
        data = json.dumps(body).encode() if body is not None else b""
        if data:
            all_headers["Content-Type"] = "application/json"
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        all_headers.update(headers or {})
        conn.request(method, path, body=data, headers=all_headers)
        response = conn.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None), raw
    finally:
        conn.close()


def add_user(server, name, **env):
    subprocess.run([server_test.TFA, "user", "add", name, "--email", f"{name}@example.com",
                    "--password-stdin", "--data-dir", os.path.join(server.dir, "data")],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True,
                   env=server_test.clean_environment(**env))


def user_with_totp(test, server):
    """A new account with TOTP on, enrolled through the API; returns (name, phone)."""
    name = unique_name("abuse")
    add_user(server, name)
    status, body, raw = call(server, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
    test.assertEqual(status, 200, raw)
    token = body["token"]
    status, started, raw = call(server, "POST", "/api/v1/me/totp", {"password": PASSWORD}, token=token)
    test.assertEqual(status, 201, raw)
    step = int(time.time()) // STEP
    status, _, raw = call(server, "POST", "/api/v1/me/totp/confirm",
                          {"factor_id": started["factor_id"], "code": totp(started["secret"], step * STEP)},
                          token=token)
    test.assertEqual(status, 200, raw)
    return name, Authenticator(started["secret"], step * STEP)


def sign_in_all_at_once(servers, name, code, count):
    """`count` sign-ins with the same code, spread over `servers`, released together."""
    barrier = threading.Barrier(count)
    answers = [None] * count

    def one(index):
        barrier.wait()
        answers[index] = call(servers[index % len(servers)], "POST", "/api/v1/auth/login",
                              {"username": name, "password": PASSWORD, "otp": code})

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


class ReplayTest(unittest.TestCase):
    """RFC 6238 §5.2: a code accepted once is refused afterwards, however many requests race
    for it and however many server processes they reach."""

    CONCURRENT = 24

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def check_exactly_one_success(self, answers):
        statuses = [answer[0] for answer in answers]
        self.assertEqual(statuses.count(200), 1, statuses)
        for status, body, raw in answers:
            self.assertIn(status, (200, 401, 429), raw)
            if status == 401:
                self.assertEqual(body["error"]["message"], SEED_002_MESSAGE)
            if status == 429:
                self.assertEqual(body["error"]["code"], 429)

    def test_the_same_code_sent_concurrently_signs_in_once(self):
        name, phone = user_with_totp(self, self.server)
        code = phone.next_code()
        self.check_exactly_one_success(sign_in_all_at_once([self.server], name, code, self.CONCURRENT))
        # And later, alone, it is still refused.
        status, body, _ = call(self.server, "POST", "/api/v1/auth/login",
                               {"username": name, "password": PASSWORD, "otp": code})
        self.assertIn(status, (401, 429))

    def test_two_server_processes_on_one_database_accept_a_code_once(self):
        second = SecondServer(os.path.join(self.server.dir, "data"))
        try:
            name, phone = user_with_totp(self, self.server)
            # The second instance sees the account and its factor.
            status, body, raw = call(second, "POST", "/api/v1/auth/login",
                                     {"username": name, "password": PASSWORD})
            self.assertEqual(status, 401, raw)
            self.assertEqual(body["error"]["message"], SEED_002_MESSAGE)
            code = phone.next_code()
            answers = sign_in_all_at_once([self.server, second], name, code, self.CONCURRENT)
            self.check_exactly_one_success(answers)
        finally:
            second.close()


class NoEnumerationTest(unittest.TestCase):
    """An unknown user and a wrong password get the same answer, and take the same time: the
    server hashes a dummy password for names it does not know. Runs at the default Argon2id
    cost, where a missing hash would show as a difference of several milliseconds."""

    USERS = 16
    TRIES_PER_USER = 4  # below the per-name throttle's five free failures
    DEFAULT_COST = {"TFA_PASSWORD_ARGON2_OPS": "3", "TFA_PASSWORD_ARGON2_MEMORY_KIB": "12288"}

    @classmethod
    def setUpClass(cls):
        # Each request comes from its own address, through the trusted proxy header, so that
        # the per-address throttle stays out of the measurement.
        cls.server = Server(TFA_SERVER_TRUSTED_PROXY="127.0.0.1", **cls.DEFAULT_COST)
        cls.users = [unique_name("known") for _ in range(cls.USERS)]
        for name in cls.users:
            add_user(cls.server, name, **cls.DEFAULT_COST)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def attempt(self, index, name, password):
        address = f"10.{index // 250}.{index % 250}.7"
        started = time.perf_counter()
        answer = call(self.server, "POST", "/api/v1/auth/login", {"username": name, "password": password},
                      headers={"X-Forwarded-For": address})
        return time.perf_counter() - started, answer

    def test_unknown_users_and_wrong_passwords_cannot_be_told_apart(self):
        unknown_times, wrong_times = [], []
        bodies = set()
        index = 0
        # Interleaved, so that the machine's slow moments fall on both kinds alike.
        for attempt in range(self.TRIES_PER_USER):
            for name in self.users:
                index += 1
                elapsed, (status, _, raw) = self.attempt(index, name, f"wrong password {attempt}")
                self.assertEqual(status, 401, raw)
                wrong_times.append(elapsed)
                bodies.add(raw)
                index += 1
                elapsed, (status, _, raw) = self.attempt(index, unique_name("nobody"), f"wrong password {attempt}")
                self.assertEqual(status, 401, raw)
                unknown_times.append(elapsed)
                bodies.add(raw)
        self.assertEqual(len(bodies), 1, bodies)
        self.assertEqual(json.loads(bodies.pop())["error"]["message"], BAD_CREDENTIALS)

        unknown = statistics.median(unknown_times)
        wrong = statistics.median(wrong_times)
        overall = statistics.median(unknown_times + wrong_times)
        detail = (f"median unknown {unknown * 1000:.2f} ms, wrong password {wrong * 1000:.2f} ms "
                  f"over {len(unknown_times)} each")
        print(detail, file=sys.stderr)
        # Both kinds hash at the default cost (several ms on any machine this runs on) ...
        self.assertGreater(min(unknown, wrong), 0.002, detail)
        # ... and their typical times are within the noise of one another.
        self.assertLess(abs(unknown - wrong) / overall, 0.15, detail)


if __name__ == "__main__":
    server_test.TFA = sys.argv.pop(1)
    unittest.main()
