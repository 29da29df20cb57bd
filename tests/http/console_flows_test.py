#!/usr/bin/python3
"""HTTP-level tests of whole console flows through `tfa serve`: forgetting all trusted devices,
throttling of the code step, sign-up validation and `signup = false`, a wrong password at the
re-confirmation, the code typed in the password field (`login.code_in_password`), and `Secure`
cookies behind a trusted proxy. Every refused request must change nothing.

    /usr/bin/python3 console_flows_test.py PATH/TO/tfa [unittest options]

The browser, the server and the TOTP codes (`oathtool`) come from console_test.py and
server_test.py in this directory.
"""
import html
import http.client
import os
import re
import shutil
import sys
import time
import unittest

import server_test
from console_test import (EXPIRED_TEXT, PASSWORD, WRONG_CODE_TEXT, Browser, ConsoleCase, Response,
                          Server, signup_token_in, text_of, totp, unique_name)

STEP = 30  # seconds per TOTP step
CODE_IN_PASSWORD_NOTICE = ("Two-factor authentication is enabled for this account. Enter the code "
                           "from your authenticator app.")


def step_of(at):
    return int(at) // STEP


class Authenticator:
    """The user's phone. The server accepts a code once, and only of a step later than the last
    one it accepted, from one step before to one step after its own (totp_window_steps = 1). So
    each code handed out is of a new step, and when the next new step is still more than one
    step ahead, this waits for the clock to reach it (at most one step)."""

    def __init__(self, secret, used_at):
        self.secret = secret
        self.last_step = step_of(used_at)  # the enrollment's code

    def next_code(self):
        step = max(self.last_step + 1, step_of(time.time()))
        while step > step_of(time.time()) + 1:
            time.sleep(max(0.05, (step - 1) * STEP - time.time() + 0.1))
        self.last_step = step
        return totp(self.secret, step * STEP)

    def wrong_code(self):
        """Six digits that are no code of any step the server might accept now."""
        now = step_of(time.time())
        valid = {totp(self.secret, s * STEP) for s in range(now - 2, now + 3)}
        for candidate in ("000000", "111111", "222222", "333333"):
            if candidate not in valid:
                return candidate
        raise AssertionError("unreachable")


class ProxiedBrowser(Browser):
    """A browser behind the proxy: every request carries the headers nginx would add."""

    def __init__(self, server, proto="https"):
        super().__init__(server)
        self.forwarded = {"X-Forwarded-Proto": proto, "X-Forwarded-For": "203.0.113.7"}

    def send(self, method, path, body=b"", headers=None, cookies=None):
        return super().send(method, path, body=body, headers={**self.forwarded, **(headers or {})},
                            cookies=cookies)


def get_from(source, port, path, headers):
    """GET over a connection from the local address `source` (another loopback address)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    try:
        conn.request("GET", path, headers={"Connection": "close", **headers})
        return Response(conn.getresponse())
    finally:
        conn.close()


def page_error(response):
    """The text of the page's error alert, unescaped, or None."""
    match = re.search(r'id="form-error">.*?<p>(.*?)</p>', response.body, re.S)
    return html.unescape(match.group(1)) if match else None


class FlowsCase(ConsoleCase):
    def user_with_two_factor(self):
        """A signed-up user with TOTP on; (name, owner's browser, the user's authenticator)."""
        owner = self.browser()
        name = self.signup(owner)
        secret, t0 = self.enable_two_factor(owner)
        return name, owner, Authenticator(secret, t0)

    def at_code_step(self, name):
        b = self.browser()
        self.assert_redirect(self.sign_in(b, name), "/login/code")
        return b

    def device_ids(self, browser):
        page = browser.get("/profile/security")
        self.assertEqual(page.status, 200, page.body[:500])
        return re.findall(r'name="device" value="([^"]+)"', page.body)

    def with_device_cookie(self, token):
        """A fresh browser that holds only the trusted-device cookie `token`."""
        b = self.browser()
        b.cookies["tfa_device"] = token
        return b


class DefaultServerTest(FlowsCase):
    """Cases sharing one server with the default settings; each uses its own users."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    # --- 1. Forget all devices ---------------------------------------------------------------

    def test_forget_all_devices_forgets_both_and_both_are_asked_for_the_code_again(self):
        name, owner, phone = self.user_with_two_factor()
        first, second = self.at_code_step(name), self.at_code_step(name)
        for b in (first, second):
            r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": phone.next_code(),
                                       "remember": "on"})
            self.assert_redirect(r, "/profile/security")
            self.assertIn("tfa_device", b.cookies)
        tokens = [first.cookies["tfa_device"], second.cookies["tfa_device"]]
        self.assertNotEqual(tokens[0], tokens[1])
        devices = self.device_ids(owner)
        self.assertEqual(len(devices), 2, devices)
        self.assertEqual(sorted(self.device_ids(first)), sorted(devices))
        # Both devices are trusted: the password alone signs in with either cookie.
        for token in tokens:
            self.assert_redirect(self.sign_in(self.with_device_cookie(token), name), "/profile/security")

        # Refused: a wrong or missing CSRF token, no session, and another user's forget-all.
        for fields in ({}, {"csrf": "wrong"}, {"csrf": owner.csrf_of("/profile/security")}):
            with self.subTest(csrf=fields):
                r = first.post("/profile/security/devices/forget-all", fields)
                self.assert_html_error(r, 403)
                self.assertIsNone(r.cookie("tfa_device"))
                self.assertEqual(sorted(self.device_ids(owner)), sorted(devices))
        stranger = self.with_device_cookie(tokens[0])
        self.assert_redirect(stranger.post("/profile/security/devices/forget-all", {"csrf": "x"}),
                             "/login")
        other = self.browser()
        self.signup(other)
        r = other.post("/profile/security/devices/forget-all", {"csrf": other.csrf_of("/profile/security")})
        self.assert_redirect(r, "/profile/security")
        self.assertEqual(sorted(self.device_ids(owner)), sorted(devices))

        # The right request, from the first device.
        page = first.get("/profile/security")
        self.assertIn("Forget all devices", page.body)
        r = first.post("/profile/security/devices/forget-all", {"csrf": page.csrf()})
        self.assert_redirect(r, "/profile/security")
        cleared = r.cookie("tfa_device")
        self.assertIsNotNone(cleared, r.set_cookies)
        self.assertEqual(cleared[0], "")
        self.assertIn("max-age=0", [a.lower() for a in cleared[1]])
        self.assertNotIn("tfa_device", first.cookies)
        self.assertEqual(self.device_ids(first), [])
        self.assertEqual(self.device_ids(owner), [])
        self.assertNotIn("Forget this device", first.get("/profile/security").body)

        # The next sign-in asks for the code in both browsers, whatever cookie they still hold.
        self.sign_out(first)
        self.assert_redirect(self.sign_in(first, name), "/login/code")
        self.assertEqual(second.cookies.get("tfa_device"), tokens[1])
        if self.is_signed_in(second):
            self.sign_out(second)
        self.assert_redirect(self.sign_in(second, name), "/login/code")
        for token in tokens:
            b = self.with_device_cookie(token)
            self.assert_redirect(self.sign_in(b, name), "/login/code")
            self.assertFalse(self.is_signed_in(b))

    # --- 4. Wrong re-confirmation password ----------------------------------------------------

    def test_a_wrong_reconfirmation_password_is_401_and_confirms_nothing(self):
        b = self.browser()
        self.signup(b)
        page = b.get("/profile/security/enable")
        self.assertEqual(page.status, 200, "the password must be asked for after sign-up")
        for wrong in ("wrong password", PASSWORD.upper(), PASSWORD + " ", ""):
            with self.subTest(password=wrong):
                r = b.post("/profile/security/enable", {"csrf": page.csrf(), "password": wrong})
                self.assert_html_error(r, 401, "Incorrect password.")
                self.assertIn('name="password"', r.body)
                self.assertIsNone(r.cookie("tfa_session"))
                self.assert_redirect(b.get("/profile/security/enroll"), "/profile/security/enable")
                self.assertEqual(b.get("/profile/security/enable").status, 200)
                self.assertFalse(self.two_factor_state(b))
        # Not blocked by the few failures: the right password opens the enroll page.
        r = b.post("/profile/security/enable", {"csrf": page.csrf(), "password": PASSWORD})
        self.assert_redirect(r, "/profile/security/enroll")
        self.assertEqual(b.get("/profile/security/enroll").status, 200)

    def test_a_wrong_reconfirmation_password_does_not_open_manage(self):
        name, owner, _ = self.user_with_two_factor()
        b = self.at_code_step(name)
        self.assert_redirect(b.post("/login/code", {"csrf": b.csrf_of("/login/code"),
                                                    "code": owner.backup_codes[0]}), "/profile/security")
        page = b.get("/profile/security/enable?next=manage")
        self.assertEqual(page.status, 200)
        r = b.post("/profile/security/enable", {"csrf": page.csrf(), "password": "wrong password",
                                                "next": "manage"})
        self.assert_html_error(r, 401, "Incorrect password.")
        self.assert_redirect(b.get("/profile/security/manage"), "/profile/security/enable?next=manage")
        self.assertTrue(self.two_factor_state(b))


class CodeThrottleTest(server_test.OwnServer, FlowsCase):
    """Its own server, so the failures count against nothing else."""

    # --- 2. Code step throttling ---------------------------------------------------------------

    def test_wrong_codes_get_429_with_retry_after_and_block_the_right_code(self):
        name, owner, phone = self.user_with_two_factor()
        # A device trusted before the attack (with a backup code and the 7-day box).
        device = self.at_code_step(name)
        self.assert_redirect(device.post("/login/code", {"csrf": device.csrf_of("/login/code"),
                                                         "code": owner.backup_codes[0],
                                                         "remember": "on"}), "/profile/security")
        self.sign_out(device)

        b = self.at_code_step(name)
        session = b.cookies["tfa_session"]
        wrong = phone.wrong_code()
        for attempt in range(1, 6):
            r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": wrong})
            self.assert_html_error(r, 401, WRONG_CODE_TEXT)
            self.assertIsNone(r.header("Retry-After"), f"attempt {attempt}")
        sixth = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": wrong})
        self.assertIn(sixth.status, (401, 429), sixth.body[:500])
        r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": wrong})
        self.assert_html_error(r, 429, "Too many attempts")
        retry_after = r.header("Retry-After") or ""
        self.assertRegex(retry_after, r"^[1-9][0-9]*$")
        self.assertLessEqual(int(retry_after), 30)
        self.assertIn(f"Try again in {retry_after} seconds.", r.body)

        # The right code is refused while the block lasts, in this browser and in another.
        code = phone.next_code()
        for c in (b, self.at_code_step(name)):
            r = c.post("/login/code", {"csrf": c.csrf_of("/login/code"), "code": code})
            self.assert_html_error(r, 429, "Too many attempts")
            self.assertRegex(r.header("Retry-After") or "", r"^[1-9][0-9]*$")
            self.assertIsNone(r.cookie("tfa_session"))
            self.assertFalse(self.is_signed_in(c))
            self.assertEqual(c.get("/login/code").status, 200, "still at the code step")
        self.assertEqual(b.cookies["tfa_session"], session)
        # Nothing else changed: 2FA is on, the owner is still signed in, the password step is
        # not blocked, and the trusted device and the backup codes still get in.
        self.assertTrue(self.two_factor_state(owner))
        self.assert_redirect(self.sign_in(device, name), "/profile/security")
        c = self.at_code_step(name)
        self.assert_redirect(c.post("/login/backup", {"csrf": c.csrf_of("/login/backup"),
                                                      "code": owner.backup_codes[1]}), "/profile/security")


class PasswordThrottleTest(server_test.OwnServer, FlowsCase):
    """Its own server: the wrong passwords below also count against 127.0.0.1."""

    def test_guessing_a_users_password_does_not_lock_out_the_owners_trusted_browser(self):
        name, owner, phone = self.user_with_two_factor()
        trusted = self.at_code_step(name)
        self.assert_redirect(trusted.post("/login/code", {"csrf": trusted.csrf_of("/login/code"),
                                                          "code": phone.next_code(), "remember": "on"}),
                             "/profile/security")
        self.sign_out(trusted)
        token = trusted.cookies["tfa_device"]

        # Someone guesses the password until the name is blocked ...
        attacker = self.browser()
        statuses = [self.sign_in(attacker, name, f"guess {i}").status for i in range(8)]
        self.assertEqual(statuses[:5], [401] * 5, statuses)
        self.assertEqual(statuses[-1], 429, statuses)
        # ... which blocks the right password too, from any other browser ...
        r = self.sign_in(self.browser(), name)
        self.assert_html_error(r, 429, "Too many attempts")
        # ... and with a device cookie that is not one of the owner's.
        self.assert_html_error(self.sign_in(self.with_device_cookie("A" * 43), name), 429)
        # The owner's trusted browser still gets in with the password, during the block.
        self.assert_redirect(self.sign_in(trusted, name), "/profile/security")
        self.assertTrue(self.is_signed_in(trusted))
        # The cookie does not help a wrong password, and the block stays for everyone else.
        self.sign_out(trusted)
        self.assert_html_error(self.sign_in(self.with_device_cookie(token), name, "guess again"), 401)
        self.assert_html_error(self.sign_in(self.browser(), name), 429, "Too many attempts")


class SignupTest(FlowsCase):
    """Its own server: the sign-in attempts that prove no user was made count as wrong
    passwords from 127.0.0.1 (20 are free per address). Where the name is valid, signing up
    with it afterwards proves it was still free."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    # --- 3. Sign-up validation -----------------------------------------------------------------

    def refused_signup(self, b, username, email, password, status, message):
        r = b.post("/signup", {"csrf": b.csrf_of("/signup"), "username": username, "email": email,
                               "password": password})
        self.assert_html_error(r, status)
        error = page_error(r)
        self.assertIsNotNone(error, r.body[:3000])
        self.assertIn(message.lower(), error.lower())
        self.assertIn("Create your account", r.body)
        self.assertIsNone(r.cookie("tfa_session"))
        if len(password) >= 4:
            self.assertNotIn(html.escape(password), r.body, "the password is not echoed")
        self.assertFalse(self.is_signed_in(b))
        return r

    def test_a_bad_username_is_400_and_creates_no_user(self):
        b = self.browser()
        cases = [("with space", "bad name"), ("empty", ""), ("65 characters", "x" * 65),
                 ("not ASCII", "n\u00e4me"), ("semicolon", "semi;colon"), ("markup", "<i>x</i>")]
        messages = {"empty": "the user name is empty",
                    "65 characters": "the user name is longer than 64 characters"}
        for label, name in cases:
            with self.subTest(label):
                r = self.refused_signup(b, name, "someone@example.com", PASSWORD, 400,
                                        messages.get(label, "may contain only letters, digits and . _ - @ +"))
                self.assertNotIn("<i>x</i>", r.body)
                if name:
                    self.assertEqual(self.sign_in(self.browser(), name).status, 401)
        # 64 characters is allowed.
        self.signup(self.browser(), "y" * 64)

    def test_a_short_password_is_400_and_creates_no_user(self):
        b = self.browser()
        for label, password in (("7 characters", "1234567"), ("empty", ""),
                                ("7 code points in 14 bytes", "\u00e9" * 7)):
            with self.subTest(label):
                name = unique_name("shortpw")
                r = self.refused_signup(b, name, f"{name}@example.com", password, 400,
                                        "the password must have at least 8 characters")
                self.assertIn(f'value="{name}"', r.body, "the username is kept in the form")
                self.signup(self.browser(), name)  # the name is still free
        name = unique_name("longpw")
        self.refused_signup(b, name, f"{name}@example.com", "p" * 1025, 400,
                            "the password is longer than 1024 bytes")
        self.signup(self.browser(), name)
        # Exactly 8 characters (code points, not bytes) is enough.
        name = unique_name("eightpw")
        self.signup(self.browser(), name, "\u00e9" * 8)

    def test_a_bad_email_is_400_and_creates_no_user(self):
        b = self.browser()
        cases = [("no at sign", "not-an-email", "is not an e-mail address"),
                 ("nothing before the at", "@example.com", "is not an e-mail address"),
                 ("nothing after the at", "someone@", "is not an e-mail address"),
                 ("two at signs", "a@b@example.com", "is not an e-mail address"),
                 ("empty", "", "is not an e-mail address"),
                 ("space", "some one@example.com", "contains a space or a character"),
                 ("angle bracket", "a<b@example.com", "contains a space or a character"),
                 ("too long", "a" * 250 + "@example.com", "is not an e-mail address")]
        for label, email, message in cases:
            with self.subTest(label):
                name = unique_name("bademail")
                self.refused_signup(b, name, email, PASSWORD, 400, message)
                self.signup(self.browser(), name)  # the name is still free

    def test_a_taken_name_gets_the_same_page_and_a_mail_saying_so(self):
        name = unique_name("Taken")
        self.signup(self.browser(), name)
        other_password = "another password 1"

        def answer(username, address):
            r = self.request_signup(self.browser(), username, address, other_password)
            self.assertIsNone(r.cookie("tfa_session"), "nobody is signed in")
            self.assertIn(address, r.body, "the address is shown, to catch a typo")
            return re.sub(r'name="csrf" value="[^"]*"', "", r.body).replace(address, "ADDRESS")

        free = unique_name("free")
        variants = (name.lower(), name.upper(), name)
        pages = {answer(variant, f"other{i}@example.com") for i, variant in enumerate(variants)}
        pages.add(answer(free, "free@example.com"))
        self.assertEqual(len(pages), 1, "a taken name and a free one get the same page")
        self.assertNotIn("taken", pages.pop())

        for i, variant in enumerate(variants):
            taken, = self.signup_mail(self.browser(), f"other{i}@example.com", "that username is taken")
            self.assertIn(f'create the account "{variant}"', text_of(taken))
            self.assertNotIn("token=", text_of(taken))
        link, = self.signup_mail(self.browser(), "free@example.com")
        self.assertIn(f'create the account "{free}"', text_of(link))
        for variant in (name.lower(), name.upper()):
            self.assertEqual(self.sign_in(self.browser(), variant, other_password).status, 401)
        # The first account is untouched: its password still signs in, under any case.
        self.assert_redirect(self.sign_in(self.browser(), name.lower()), "/profile/security")


class SignupByEmailTest(server_test.OwnServer, FlowsCase):
    """The link in the sign-up mail: it creates the account once, opening it changes nothing,
    and a tampered or foreign one is refused (an expired one: src/auth/signup_test.cpp)."""

    def mailed_token(self, name):
        self.request_signup(self.browser(), name, f"{name}@example.com")
        return signup_token_in(self.signup_mail(self.browser(), f"{name}@example.com")[-1])

    def test_nothing_exists_until_the_link_is_confirmed_and_then_it_is_signed_in(self):
        name = unique_name("linked")
        token = self.mailed_token(name)
        self.assertEqual(self.sign_in(self.browser(), name).status, 401)
        # Opening the link, as a mail scanner would, creates nothing.
        for _ in range(2):
            page = self.browser().get("/signup/confirm?token=" + token)
            self.assertEqual(page.status, 200)
            self.assertIn(html.escape(token), page.body)
        self.assertEqual(self.sign_in(self.browser(), name).status, 401)
        b = self.browser()
        self.assert_redirect(self.confirm_signup(b, token), "/profile/security")
        self.assertTrue(self.is_signed_in(b))
        self.assert_redirect(self.sign_in(self.browser(), name), "/profile/security")

    def test_a_link_works_once(self):
        name = unique_name("once")
        token = self.mailed_token(name)
        self.assert_redirect(self.confirm_signup(self.browser(), token), "/profile/security")
        b = self.browser()
        r = self.confirm_signup(b, token)
        self.assert_html_error(r, 409, f"The username {name} is taken")
        self.assertFalse(self.is_signed_in(b))

    def test_a_tampered_link_is_400_and_creates_nothing(self):
        name = unique_name("tampered")
        token = self.mailed_token(name)
        middle = len(token) // 2
        flipped = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
        for bad in (flipped, token[:-4], "x" * 40, "%00"):
            with self.subTest(bad[:20]):
                b = self.browser()
                r = self.confirm_signup(b, bad)
                self.assert_html_error(r, 400, "That link is not valid")
                self.assertFalse(self.is_signed_in(b))
        self.assertEqual(self.sign_in(self.browser(), name).status, 401)
        self.assert_redirect(self.confirm_signup(self.browser(), token), "/profile/security")

    def test_a_link_sealed_by_another_installation_is_refused(self):
        other = Server()
        try:
            name = unique_name("foreign")
            self.request_signup(Browser(other), name, f"{name}@example.com")
            token = signup_token_in(self.signup_mail(Browser(other), f"{name}@example.com")[-1])
        finally:
            other.close()
        self.assert_html_error(self.confirm_signup(self.browser(), token), 400, "That link is not valid")
        self.assertEqual(self.sign_in(self.browser(), name).status, 401)

    def test_a_post_without_a_session_is_refused_and_the_link_still_works(self):
        name = unique_name("nocookie")
        token = self.mailed_token(name)
        b = self.browser()
        r = b.post("/signup/confirm", {"csrf": "x", "token": token})
        self.assert_html_error(r, 403, EXPIRED_TEXT)
        self.assertEqual(self.sign_in(self.browser(), name).status, 401)
        self.assert_redirect(self.confirm_signup(b, token), "/profile/security")


class SignupLimitTest(server_test.OwnServer, FlowsCase):
    """Its own server with the default limit of ten sign-ups per address."""

    server_env = {"TFA_SIGNUP_PER_ADDRESS": "10"}

    def test_sign_ups_are_limited_per_address_taken_or_not(self):
        taken = self.signup(self.browser())  # the first of the ten
        b = self.browser()

        def try_name(name, address):
            return b.post("/signup", {"csrf": b.csrf_of("/signup"), "username": name,
                                      "email": address, "password": PASSWORD})

        # Three mails to one address, then that mailbox waits, from any address.
        for i in range(3):
            self.assertEqual(try_name(unique_name(), "box@example.com").status, 200)
        self.assert_html_error(try_name(unique_name(), "Box@Example.com"), 429, "Too many attempts")
        statuses = [try_name(taken.upper() if i % 2 else unique_name(), f"p{i}@example.com").status
                    for i in range(6)]
        self.assertEqual(statuses, [200] * 6)  # ten mailed from 127.0.0.1 now
        for name in (taken, unique_name()):
            r = try_name(name, f"{unique_name()}@example.com")
            self.assert_html_error(r, 429, "Too many attempts")
            self.assertRegex(r.header("Retry-After") or "", r"^[1-9][0-9]*$")
        mail = self.signup_mail(b, "box@example.com", count=3)
        time.sleep(0.2)  # a fourth, were there one, would be in the outbox by now
        self.assertEqual(len(self.signup_mail(b, "box@example.com", count=3)), 3, mail)


class SignupOffTest(FlowsCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Server(TFA_SIGNUP="false")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_signup_is_404_and_creates_no_user(self):
        b = self.browser()
        self.assert_html_error(b.get("/signup"), 404, "Sign-up is turned off")
        csrf = b.csrf_of("/login")
        r = b.post("/signup", {"csrf": csrf, "username": "newcomer", "email": "n@example.com",
                               "password": PASSWORD})
        self.assert_html_error(r, 404, "Sign-up is turned off")
        self.assertIsNone(r.cookie("tfa_session"))
        self.assertFalse(self.is_signed_in(b))
        self.assertEqual(self.sign_in(self.browser(), "newcomer").status, 401)


class CodeInPasswordTest(FlowsCase):
    """A server with login.code_in_password = true."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(TFA_LOGIN_CODE_IN_PASSWORD="true")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    # --- 5. Code in the password field ---------------------------------------------------------

    def test_the_code_after_the_password_signs_in(self):
        name, _, phone = self.user_with_two_factor()
        b = self.browser()
        self.assert_redirect(self.sign_in(b, name, PASSWORD + phone.next_code()), "/profile/security")
        self.assertTrue(self.is_signed_in(b))

    def test_the_sign_in_page_can_trust_the_device(self):
        name, _, phone = self.user_with_two_factor()
        b = self.browser()
        page = b.get("/login")
        self.assertIn("Do not challenge me on this device for the next 7 days", page.body)
        r = b.post("/login", {"csrf": page.csrf(), "username": name,
                              "password": PASSWORD + phone.next_code(), "remember": "on"})
        self.assert_redirect(r, "/profile/security")
        self.assertIsNotNone(r.cookie("tfa_device"), "ticking the box trusts this browser")
        self.assertEqual(len(self.device_ids(b)), 1)
        # That browser now signs in with the password alone; another one does not.
        self.sign_out(b)
        self.assert_redirect(self.sign_in(b, name), "/profile/security")
        other = self.browser()
        r = self.sign_in(other, name)
        self.assertEqual(r.status, 200)
        self.assertIn('name="otp"', r.body)
        # Without the box, no device is trusted.
        c = self.browser()
        r = c.post("/login", {"csrf": c.csrf_of("/login"), "username": name,
                              "password": PASSWORD + phone.next_code()})
        self.assert_redirect(r, "/profile/security")
        self.assertIsNone(r.cookie("tfa_device"))

    def test_a_wrong_appended_code_shows_the_otp_field_then_the_right_code_signs_in(self):
        name, _, phone = self.user_with_two_factor()
        b = self.browser()
        session = b.get("/login").cookie("tfa_session")[0]
        r = self.sign_in(b, name, PASSWORD + phone.wrong_code())
        self.assert_html_error(r, 401, WRONG_CODE_TEXT)
        self.assertIn("Sign in", r.body)
        self.assertIn('name="otp"', r.body)
        self.assertIn("One-time code", r.body)
        self.assertIn(CODE_IN_PASSWORD_NOTICE, r.body)
        self.assertIn(f'value="{name}"', r.body)
        self.assertNotIn(PASSWORD, r.body)
        self.assertIsNotNone(r.cookie("tfa_session"), "the password step passed: a new session id")
        self.assertNotEqual(b.cookies["tfa_session"], session)
        self.assertFalse(self.is_signed_in(b))
        # The other ways in, as on the code page.
        self.assertIn('href="/login/backup"', r.body)
        self.assertIn("Lost your device? Disable two-factor authentication", r.body)
        self.assertNotIn('href="/login/yubikey"', r.body, "no YubiKey registered")
        # The password alone: the same page, without an error.
        r = self.sign_in(b, name)
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn('name="otp"', r.body)
        self.assertIn(CODE_IN_PASSWORD_NOTICE, r.body)
        self.assertNotIn(WRONG_CODE_TEXT, r.body)
        self.assertFalse(self.is_signed_in(b))
        # A wrong code in the otp field is refused the same way.
        r = b.post("/login", {"csrf": b.csrf_of("/login"), "username": name, "password": PASSWORD,
                              "otp": phone.wrong_code()})
        self.assert_html_error(r, 401, WRONG_CODE_TEXT)
        self.assertIn('name="otp"', r.body)
        self.assertFalse(self.is_signed_in(b))
        # The right code in the otp field, with the password typed again.
        r = b.post("/login", {"csrf": b.csrf_of("/login"), "username": name, "password": PASSWORD,
                              "otp": phone.next_code()})
        self.assert_redirect(r, "/profile/security")
        self.assertNotEqual(r.cookie("tfa_session")[0], session)
        self.assertTrue(self.is_signed_in(b))

    def test_a_backup_code_or_the_recovery_mail_get_in_without_the_phone(self):
        # An owner who lost the phone, or whose code step a guesser blocked, is not locked out
        # in this variant either: the page after the password links to the other ways in.
        name, owner, _ = self.user_with_two_factor()
        b = self.browser()
        r = self.sign_in(b, name)
        self.assertEqual(r.status, 200, r.body[:500])
        page = b.get("/login/backup")
        self.assertEqual(page.status, 200, page.body[:500])
        self.assert_redirect(b.post("/login/backup", {"csrf": page.csrf(), "code": owner.backup_codes[0]}),
                             "/profile/security")
        self.assertTrue(self.is_signed_in(b))
        c = self.browser()
        r = self.sign_in(c, name)
        sent = c.post("/login/recover/send", {"csrf": r.csrf()})
        self.assertEqual(sent.status, 200, sent.body[:500])
        self.assertIn("We sent an e-mail with a one-time token", sent.body)

    def test_digits_after_the_password_of_a_user_without_2fa_are_refused(self):
        name = self.signup(self.browser())
        b = self.browser()
        r = self.sign_in(b, name, PASSWORD + "123456")
        self.assert_html_error(r, 401, "Incorrect username or password.")
        self.assertNotIn('name="otp"', r.body)
        self.assertFalse(self.is_signed_in(b))
        self.assert_redirect(self.sign_in(b, name), "/profile/security")


class TrustedProxyTest(FlowsCase):
    """A server with server.trusted_proxy = 127.0.0.1, and one without, for comparison."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(TFA_SERVER_TRUSTED_PROXY="127.0.0.1")
        try:
            cls.direct = Server()
        except Exception:
            cls.server.close()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.close()
        finally:
            cls.direct.close()

    # --- 6. Secure cookies behind a trusted proxy ------------------------------------------

    def attributes(self, response, name):
        found = response.cookie(name)
        self.assertIsNotNone(found, f"no Set-Cookie {name}: {response.set_cookies}")
        return [a.lower() for a in found[1]]

    def test_https_from_the_proxy_makes_the_cookies_secure(self):
        for proto in ("https", "HTTPS"):
            with self.subTest(proto=proto):
                r = Browser(self.server).get("/login", headers={"X-Forwarded-Proto": proto})
                attrs = self.attributes(r, "tfa_session")
                self.assertIn("secure", attrs)
                for attr in ("httponly", "samesite=lax", "path=/"):
                    self.assertIn(attr, attrs)

    def test_without_https_from_the_proxy_no_cookie_is_secure(self):
        for label, headers in (("no header", {}), ("http", {"X-Forwarded-Proto": "http"}),
                               ("empty", {"X-Forwarded-Proto": ""})):
            with self.subTest(label):
                r = Browser(self.server).get("/login", headers=headers)
                attrs = self.attributes(r, "tfa_session")
                self.assertNotIn("secure", attrs)
                self.assertIn("httponly", attrs)

    def test_the_header_from_anyone_else_is_ignored(self):
        # A server without trusted_proxy.
        r = Browser(self.direct).get("/login", headers={"X-Forwarded-Proto": "https"})
        self.assertNotIn("secure", self.attributes(r, "tfa_session"))
        # The proxy's server, reached from another loopback address than the proxy's.
        try:
            r = get_from("127.0.0.2", self.server.port, "/login", {"X-Forwarded-Proto": "https"})
        except OSError as e:
            self.skipTest(f"cannot connect from 127.0.0.2: {e}")
        self.assertEqual(r.status, 200)
        self.assertNotIn("secure", self.attributes(r, "tfa_session"))

    def test_every_cookie_of_a_sign_in_through_the_proxy_is_secure(self):
        b = ProxiedBrowser(self.server)
        name = unique_name("proxied")
        r = self.signup_response(b, name)
        self.assert_redirect(r, "/profile/security")
        self.assertIn("secure", self.attributes(r, "tfa_session"))
        secret, t0 = self.enable_two_factor(b)
        phone = Authenticator(secret, t0)
        self.sign_out(b)
        r = self.sign_in(b, name)
        self.assert_redirect(r, "/login/code")
        self.assertIn("secure", self.attributes(r, "tfa_session"))
        r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": phone.next_code(),
                                   "remember": "on"})
        self.assert_redirect(r, "/profile/security")
        self.assertIn("secure", self.attributes(r, "tfa_session"))
        device = self.attributes(r, "tfa_device")
        self.assertIn("secure", device)
        self.assertIn("max-age=604800", device)
        csrf = b.csrf_of("/profile/security")
        r = b.post("/logout", {"csrf": csrf})
        self.assert_redirect(r, "/login")
        self.assertIn("secure", self.attributes(r, "tfa_session"))
        # The same sign-in without the proxy's word: no Secure anywhere.
        plain = Browser(self.server)
        r = self.sign_in(plain, name)
        self.assert_redirect(r, "/login/code")
        self.assertNotIn("secure", self.attributes(r, "tfa_session"))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: console_flows_test.py PATH/TO/tfa [unittest options]")
    if shutil.which("oathtool") is None:
        sys.exit("console_flows_test.py needs oathtool")
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
