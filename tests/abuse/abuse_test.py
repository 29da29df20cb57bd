#!/usr/bin/python3
"""Abuse resistance through `tfa serve` over loopback: a valid code replayed at once, to one
server and to two servers on one database, and sign-in answers that do not tell an unknown
user from a wrong password, or a taken sign-up name from a free one, in body, status or
time.

    /usr/bin/python3 abuse_test.py PATH/TO/tfa [unittest options]

Every request goes to 127.0.0.1; the counts are fixed, so each case stops by itself.
"""
import glob
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
import server_test  # noqa: E402
from console_flows_test import Authenticator  # noqa: E402
from console_test import Browser, totp, unique_name  # noqa: E402
from console_test import Outbox  # noqa: E402
from server_test import Server  # noqa: E402

PASSWORD = "correct horse battery"
STEP = 30
SEED_002_MESSAGE = "Additional authentications steps required."
BAD_CREDENTIALS = "Incorrect username or password."


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


def user_with_totp(test, server, with_backup_codes=False):
    """A new account with TOTP on, enrolled through the API; returns (name, phone), and the
    backup codes too when asked."""
    name = unique_name("abuse")
    add_user(server, name)
    status, body, raw = call(server, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
    test.assertEqual(status, 200, raw)
    token = body["token"]
    status, started, raw = call(server, "POST", "/api/v1/me/totp", {"password": PASSWORD}, token=token)
    test.assertEqual(status, 201, raw)
    step = int(time.time()) // STEP
    status, confirmed, raw = call(server, "POST", "/api/v1/me/totp/confirm",
                                  {"factor_id": started["factor_id"], "code": totp(started["secret"], step * STEP)},
                                  token=token)
    test.assertEqual(status, 200, raw)
    phone = Authenticator(started["secret"], step * STEP)
    if with_backup_codes:
        return name, phone, confirmed["backup_codes"]
    return name, phone


def assert_alike_in_time(test, names, pairs):
    """`pairs`: (seconds of one kind, seconds of the other) of requests made back to back. Each
    pair's ratio cancels what the machine did at that moment; their median must be close to 1.
    A missing Argon2id hash shows as a ratio far from 1 (a few percent), a cheaper one as
    well below 0.8; the machine's noise, measured this way, stays within a few percent."""
    first, second = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[1] / p[0] for p in pairs)
    detail = (f"median {names[0]} {first * 1000:.2f} ms, {names[1]} {second * 1000:.2f} ms, "
              f"median ratio of pairs {ratio:.3f} over {len(pairs)} pairs")
    print(detail, file=sys.stderr)
    # Both kinds hash at the default cost (several ms on any machine this runs on) ...
    test.assertGreater(min(first, second), 0.002, detail)
    # ... and side by side, they take the same time.
    test.assertTrue(1 / 1.2 < ratio < 1.2, detail)


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


class ReplayTest(server_test.OwnServer, unittest.TestCase):
    """RFC 6238 §5.2: a code accepted once is refused afterwards, however many requests race
    for it and however many server processes they reach."""

    CONCURRENT = 24

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
        second = Server(data_dir=os.path.join(self.server.dir, "data"))
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


class AddressedBrowser(Browser):
    """A console client whose requests come, through the trusted proxy, from `address`."""

    def __init__(self, server, address):
        super().__init__(server)
        self.address = address

    def send(self, method, path, body=b"", headers=None, cookies=None):
        return super().send(method, path, body=body,
                            headers={"X-Forwarded-For": self.address, **(headers or {})}, cookies=cookies)

    def sign_in(self, name, password=PASSWORD):
        return self.post("/login", {"csrf": self.csrf_of("/login"), "username": name, "password": password})


class AttackTest(server_test.OwnServer, unittest.TestCase):
    """Someone who knows a user's password tries thousands of codes, over the API and the
    console, from several addresses: no code is accepted, the code step answers 429 as the
    policy says, the owner is mailed once, and the owner still gets in meanwhile with a backup
    code, from a trusted browser and by the e-mail recovery, after which 2FA turned on again
    starts unblocked."""

    ATTEMPTS = 2000      # wrong codes in all, half over each way in
    ADDRESSES = 8
    THREADS = 4
    server_env = {"TFA_SERVER_TRUSTED_PROXY": "127.0.0.1"}  # each attacker has an address

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outbox = Outbox(cls.server)

    def test_thousands_of_wrong_codes_get_nothing_and_do_not_lock_the_owner_out(self):
        name, phone, backup_codes = user_with_totp(self, self.server, with_backup_codes=True)
        # Before the attack the owner trusted one browser (the 7-day box).
        trusted = AddressedBrowser(self.server, "198.51.100.1")
        r = trusted.sign_in(name)
        self.assertEqual((r.status, r.header("Location")), (303, "/login/code"), r.body[:300])
        r = trusted.post("/login/code", {"csrf": trusted.csrf_of("/login/code"), "code": phone.next_code(),
                                         "remember": "on"})
        self.assertEqual((r.status, r.header("Location")), (303, "/profile/security"), r.body[:300])
        trusted.post("/logout", {"csrf": trusted.csrf_of("/profile/security")})
        self.assertIn("tfa_device", trusted.cookies)

        wrong = phone.wrong_code()
        addresses = [f"203.0.113.{i + 10}" for i in range(self.ADDRESSES)]
        # One attacker browser per address, each at the code step after the right password.
        attackers = []
        for address in addresses:
            b = AddressedBrowser(self.server, address)
            r = b.sign_in(name)
            self.assertEqual(r.header("Location"), "/login/code", r.body[:300])
            attackers.append((b, b.csrf_of("/login/code")))

        answers = []
        lock = threading.Lock()
        owner_results = {}

        def attack(worker):
            for i in range(worker, self.ATTEMPTS, self.THREADS):
                address = addresses[i % len(addresses)]
                if i % 2 == 0:
                    status, body, raw = call(self.server, "POST", "/api/v1/auth/login",
                                             {"username": name, "password": PASSWORD, "otp": wrong},
                                             headers={"X-Forwarded-For": address})
                    answer = ("api", status, body["error"]["message"] if status != 200 else "",
                              raw if status == 200 else b"")
                else:
                    b, csrf = attackers[i % len(attackers)]
                    r = b.post("/login/code", {"csrf": csrf, "code": wrong})
                    answer = ("console", r.status, r.header("Retry-After") or "", r.header("Location") or "")
                with lock:
                    answers.append(answer)
                if worker == 0 and i == self.ATTEMPTS // 2:
                    owner_signs_in()

        def owner_signs_in():
            # Midway through the attack: a backup code over the API, and the trusted browser.
            status, body, raw = call(self.server, "POST", "/api/v1/auth/login",
                                     {"username": name, "password": PASSWORD, "otp": backup_codes[0]},
                                     headers={"X-Forwarded-For": "198.51.100.2"})
            owner_results["backup code"] = (status, raw)
            r = trusted.sign_in(name)
            owner_results["trusted browser"] = (r.status, r.header("Location"))

        started = time.monotonic()
        workers = [threading.Thread(target=attack, args=(w,)) for w in range(self.THREADS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=240)
        took = time.monotonic() - started
        self.assertEqual(len(answers), self.ATTEMPTS)

        # Nothing was accepted: no token, no sign-in, no 5xx.
        self.assertFalse([a for a in answers if a[0] == "api" and a[1] == 200])
        self.assertFalse([a for a in answers if a[0] == "console" and a[1] not in (401, 429)], answers[:20])
        self.assertFalse([a for a in answers if a[0] == "api" and a[1] not in (401, 429)])
        # The policy: five wrong codes free, the sixth blocks for 30 s, the next for 60 s, ...;
        # over an attack shorter than a minute and a half, at most seven codes are checked at
        # all, and everything else is refused with 429 before any check.
        checked = [a for a in answers if a[1] == 401]
        refused = [a for a in answers if a[1] == 429]
        print(f"{len(answers)} wrong codes in {took:.1f} s: {len(checked)} checked and refused (401), "
              f"{len(refused)} throttled (429)", file=sys.stderr)
        if took < 85:
            self.assertIn(len(checked), (6, 7), checked)
        self.assertGreaterEqual(len(refused), self.ATTEMPTS - 8)
        for answer in refused:
            if answer[0] == "console":
                self.assertRegex(answer[2], r"^[1-9][0-9]*$", "Retry-After on the console's 429")
        for answer in checked:
            if answer[0] == "api":
                self.assertEqual(answer[2], SEED_002_MESSAGE)

        # The owner got in during the attack, both ways.
        status, raw = owner_results["backup code"]
        self.assertEqual(status, 200, raw)
        self.assertEqual(owner_results["trusted browser"], (303, "/profile/security"))
        # The owner was told, once.
        mail = self.outbox.wait_for(f"{name}@example.com", "someone knows your password")
        self.assertEqual(len(mail), 1)
        # And while the block lasts, any code is refused before it is checked, even the one the
        # phone shows now.
        status, body, _ = call(self.server, "POST", "/api/v1/auth/login",
                               {"username": name, "password": PASSWORD, "otp": totp(phone.secret, time.time())},
                               headers={"X-Forwarded-For": addresses[0]})
        self.assertEqual(status, 429)

        # The third way in, by e-mail, still during the block: the password, "Lost your device?",
        # and the token from the mail turns 2FA off and signs the owner in.
        owner = AddressedBrowser(self.server, "198.51.100.3")
        self.assertEqual(owner.sign_in(name).header("Location"), "/login/code")
        r = owner.post("/login/recover/send", {"csrf": owner.csrf_of("/login/code")})
        self.assertEqual(r.status, 200, r.body[:300])
        mail = self.outbox.wait_for(f"{name}@example.com", "turn off two-factor authentication")[-1]
        token = re.search(r"^([A-Za-z0-9_-]{43})\r?$", mail.get_body(preferencelist=("plain",)).get_content(),
                          re.M).group(1)
        r = owner.post("/login/recover", {"csrf": owner.csrf_of("/login/recover"), "token": token})
        self.assertEqual((r.status, r.header("Location")), (303, "/profile/security"), r.body[:300])
        # Turned on again, 2FA starts afresh: the attack's failures went with the old factor.
        status, body, raw = call(self.server, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
        self.assertEqual(status, 200, raw)
        status, started, raw = call(self.server, "POST", "/api/v1/me/totp", {"password": PASSWORD}, token=body["token"])
        self.assertEqual(status, 201, raw)
        step = int(time.time()) // STEP
        status, _, raw = call(self.server, "POST", "/api/v1/me/totp/confirm",
                              {"factor_id": started["factor_id"], "code": totp(started["secret"], step * STEP)},
                              token=body["token"])
        self.assertEqual(status, 200, raw)
        phone_again = Authenticator(started["secret"], step * STEP)
        status, _, raw = call(self.server, "POST", "/api/v1/auth/login",
                              {"username": name, "password": PASSWORD, "otp": phone_again.next_code()})
        self.assertEqual(status, 200, raw)


class ManyAccountsTest(server_test.OwnServer, unittest.TestCase):
    """Someone who knows the passwords of many accounts tries a few codes on each, under every
    account's limit, from one address: after 20 wrong codes that address waits, for every
    account, while another address does not (docs/security.md, "Codes per address")."""

    server_env = {"TFA_SERVER_TRUSTED_PROXY": "127.0.0.1"}

    def sign_in(self, name, code, address):
        return call(self.server, "POST", "/api/v1/auth/login",
                    {"username": name, "password": PASSWORD, "otp": code},
                    headers={"X-Forwarded-For": address})

    def test_wrong_codes_from_one_address_are_limited_across_accounts(self):
        accounts = [user_with_totp(self, self.server) for _ in range(6)]
        guesser = "203.0.113.77"
        for name, phone in accounts[:5]:
            for _ in range(4):  # under each account's five free failures
                status, body, raw = self.sign_in(name, phone.wrong_code(), guesser)
                self.assertEqual(status, 401, raw)
                self.assertEqual(body["error"]["message"], SEED_002_MESSAGE)
        status, body, raw = self.sign_in(accounts[5][0], accounts[5][1].wrong_code(), guesser)
        self.assertEqual(status, 401, raw)  # the 21st wrong code is checked, and blocks
        # Now even the right code of an account that failed once waits, at this address.
        name, phone = accounts[5]
        code = phone.next_code()  # never checked while blocked, so good for the last sign-in
        status, body, raw = self.sign_in(name, code, guesser)
        self.assertEqual(status, 429, raw)
        self.assertRegex(body["error"]["message"], r"^Too many attempts\. Try again in [1-9][0-9]* seconds\.$")
        # The console says the same at that address.
        browser = AddressedBrowser(self.server, guesser)
        r = browser.sign_in(name)
        self.assertEqual(r.header("Location"), "/login/code", r.body[:300])
        r = browser.post("/login/code", {"csrf": browser.csrf_of("/login/code"), "code": code})
        self.assertEqual(r.status, 429, r.body[:300])
        self.assertRegex(r.header("Retry-After") or "", r"^[1-9][0-9]*$")
        # Another address is not limited.
        status, body, raw = self.sign_in(name, code, "198.51.100.77")
        self.assertEqual(status, 200, raw)


class NoEnumerationTest(server_test.OwnServer, unittest.TestCase):
    """An unknown user and a wrong password get the same answer, and take the same time: the
    server hashes a dummy password for names it does not know. Runs at the default Argon2id
    cost, where a missing hash would show as a difference of several milliseconds."""

    USERS = 16
    TRIES_PER_USER = 4  # below the per-name throttle's five free failures
    DEFAULT_COST = {"TFA_PASSWORD_ARGON2_OPS": "3", "TFA_PASSWORD_ARGON2_MEMORY_KIB": "12288"}
    # Each request comes from its own address, through the trusted proxy header, so that the
    # per-address throttle stays out of the measurement.
    server_env = {"TFA_SERVER_TRUSTED_PROXY": "127.0.0.1", **DEFAULT_COST}
    # On one CPU, all hash workers run at the same speed: on a shared machine, two CPUs can
    # differ by a factor of two for minutes, and which worker takes a request is not ours.
    server_cpus = {min(os.sched_getaffinity(0))}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = [unique_name("known") for _ in range(cls.USERS)]
        for name in cls.users:
            add_user(cls.server, name, **cls.DEFAULT_COST)

    def attempt(self, index, name, password):
        address = f"10.{index // 250}.{index % 250}.7"
        started = time.perf_counter()
        answer = call(self.server, "POST", "/api/v1/auth/login", {"username": name, "password": password},
                      headers={"X-Forwarded-For": address})
        return time.perf_counter() - started, answer

    def test_unknown_users_and_wrong_passwords_cannot_be_told_apart(self):
        pairs, bodies, index = [], set(), 0
        for attempt in range(self.TRIES_PER_USER):
            for name in self.users:
                # Back to back, each kind first in every other pair.
                kinds = [("wrong", name), ("unknown", unique_name("nobody"))]
                seconds = {}
                for kind, tried in (kinds if (index // 2) % 2 == 0 else reversed(kinds)):
                    index += 1
                    elapsed, (status, _, raw) = self.attempt(index, tried, f"wrong password {attempt}")
                    self.assertEqual(status, 401, raw)
                    seconds[kind] = elapsed
                    bodies.add(raw)
                pairs.append((seconds["wrong"], seconds["unknown"]))
        self.assertEqual(len(bodies), 1, bodies)
        self.assertEqual(json.loads(bodies.pop())["error"]["message"], BAD_CREDENTIALS)
        assert_alike_in_time(self, ("wrong password", "unknown user"), pairs)


class SignupTimingTest(server_test.OwnServer, unittest.TestCase):
    """Sign-up answers a taken name and a free one with the same page in the same time: the
    password is hashed either way, and only the mail differs. At the default Argon2id cost,
    where skipping the hash for taken names would show as several milliseconds."""

    TAKEN = 8
    TRIES_PER_NAME = 4
    DEFAULT_COST = NoEnumerationTest.DEFAULT_COST
    server_env = {"TFA_SERVER_TRUSTED_PROXY": "127.0.0.1", **DEFAULT_COST}
    # On one CPU, all hash workers run at the same speed: on a shared machine, two CPUs can
    # differ by a factor of two for minutes, and which worker takes a request is not ours.
    server_cpus = {min(os.sched_getaffinity(0))}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.taken = [unique_name("taken") for _ in range(cls.TAKEN)]
        for name in cls.taken:
            add_user(cls.server, name, **cls.DEFAULT_COST)

    def attempt(self, index, name):
        """One sign-up from its own address and to its own mailbox (so that neither limit
        comes into play); returns the seconds the POST took and the page, with the form's
        token and the address left out."""
        forwarded = {"X-Forwarded-For": f"10.{index // 250}.{index % 250}.9"}
        b = Browser(self.server)
        form = b.get("/signup", headers=forwarded)
        address = f"box{index}@example.com"
        body = urllib.parse.urlencode({"csrf": form.csrf(), "username": name, "email": address,
                                       "password": "a new password 1"})
        started = time.perf_counter()
        r = b.send("POST", "/signup", body=body,
                   headers={**forwarded, "Content-Type": "application/x-www-form-urlencoded"})
        elapsed = time.perf_counter() - started
        self.assertEqual(r.status, 200, r.body[:500])
        self.wait_for_mail_queue(index)
        return elapsed, re.sub(r'name="csrf" value="[^"]*"', "", r.body).replace(address, "ADDRESS")

    def wait_for_mail_queue(self, sent):
        """Waits until the `sent` mails of this test are written, so that no timed request
        shares the machine with the mail of the one before it."""
        deadline = time.time() + 10
        while len(glob.glob(os.path.join(self.server.data_dir, "outbox", "*.eml"))) < self.mails_before + sent:
            if time.time() > deadline:
                self.fail(f"{sent} sign-up mails were not written within 10 s")
            time.sleep(0.01)

    def test_taken_and_free_names_cannot_be_told_apart(self):
        pairs, pages = [], set()
        self.mails_before = len(glob.glob(os.path.join(self.server.data_dir, "outbox", "*.eml")))
        index = 0
        for attempt in range(self.TRIES_PER_NAME):
            for name in self.taken:  # back to back, each kind first in every other pair
                kinds = [("taken", name.upper() if attempt % 2 else name), ("free", unique_name("free"))]
                seconds = {}
                for kind, tried in (kinds if (index // 2) % 2 == 0 else reversed(kinds)):
                    index += 1
                    seconds[kind], page = self.attempt(index, tried)
                    pages.add(page)
                pairs.append((seconds["taken"], seconds["free"]))
        self.assertEqual(len(pages), 1, "one page for both")
        self.assertIn("Check your e-mail", pages.pop())
        assert_alike_in_time(self, ("taken", "free"), pairs)
        # What tells them apart is the mail, to the mailbox typed in.
        # (The mail leaves through a queue: wait for all of it, then count.)
        outbox = Outbox(self.server)
        taken_mail = outbox.wait_for(None, "that username is taken", count=len(pairs))
        link_mail = outbox.wait_for(None, "confirm your new account", count=len(pairs))
        self.assertEqual((len(taken_mail), len(link_mail)), (len(pairs), len(pairs)))


if __name__ == "__main__":
    server_test.TFA = sys.argv.pop(1)
    unittest.main()
