#!/usr/bin/python3
"""HTTP-level tests of the web console's pages through `tfa serve`: CSRF, malformed forms,
limits, security headers, cookies, sign-in, the code step, enrollment and trusted devices.
Every bad request must get a 4xx HTML page and change nothing.

    /usr/bin/python3 console_test.py PATH/TO/tfa [unittest options]

Uses http.client with a cookie jar kept by hand, and `oathtool` for the TOTP codes. The server
helper comes from server_test.py in this directory.
"""
import email
import email.policy
import glob
import html
import http.client
import itertools
import os
import re
import shutil
import subprocess
import sys
import time
import unittest
import urllib.parse

import server_test
from server_test import SECURITY_HEADERS, Server

FORM = "application/x-www-form-urlencoded"
PASSWORD = "correct horse battery"
WRONG_CODE_TEXT = "That code is not valid"
EXPIRED_TEXT = "This form has expired"
_names = itertools.count(1)


def unique_name(prefix="user"):
    return f"{prefix}{next(_names)}"


def totp(secret, at):
    """The code of the 30-second step that holds Unix time `at`."""
    out = subprocess.run(["oathtool", "--totp", "-b", secret, "-N", f"@{int(at)}"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


class Response:
    def __init__(self, raw):
        self.status = raw.status
        self.headers = raw.msg
        self.body = raw.read().decode("utf-8", errors="replace")
        self.set_cookies = raw.msg.get_all("Set-Cookie") or []

    def header(self, name):
        return self.headers.get(name)

    def csrf(self):
        match = re.search(r'name="csrf" value="([^"]*)"', self.body)
        if not match:
            raise AssertionError(f"no csrf field in the page: {self.body[:2000]}")
        return html.unescape(match.group(1))

    def cookie(self, name):
        """(value, attributes) of the Set-Cookie for `name`, or None."""
        for line in self.set_cookies:
            first, _, rest = line.partition(";")
            key, _, value = first.partition("=")
            if key.strip() == name:
                return value.strip(), [a.strip() for a in rest.split(";") if a.strip()]
        return None


class Outbox:
    """The mail of a server without SMTP: <data dir>/outbox/*.eml, parsed with Python's
    email package."""

    def __init__(self, server):
        self.folder = os.path.join(server.data_dir, "outbox")

    def messages(self, to=None, timeout=5):
        """Every message in the outbox (oldest first), parsed; waits a moment for the queue."""
        deadline = time.time() + timeout
        while True:
            found = []
            # File names start with the second a message was written; within a second, the
            # modification time in nanoseconds keeps the order.
            paths = glob.glob(os.path.join(self.folder, "*.eml"))
            for path in sorted(paths, key=lambda p: (os.stat(p).st_mtime_ns, p)):
                with open(path, "rb") as f:
                    message = email.message_from_binary_file(f, policy=email.policy.default)
                if to is None or message["To"] == to:
                    found.append(message)
            if found or time.time() > deadline:
                return found
            time.sleep(0.05)

    def wait_for(self, to, subject_part, count=1, timeout=5):
        deadline = time.time() + timeout
        while time.time() < deadline:
            hits = [m for m in self.messages(to, timeout=0) if subject_part in m["Subject"]]
            if len(hits) >= count:
                return hits
            time.sleep(0.05)
        raise AssertionError(f"no mail '{subject_part}' to {to}: "
                             f"{[m['Subject'] for m in self.messages(to, timeout=0)]}")


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


SIGNUP_LINK = re.compile(r"http://127\.0\.0\.1:\d+/signup/confirm\?token=([A-Za-z0-9_-]+)")


def signup_token_in(message):
    """The token of the link in a "confirm your new account" mail."""
    match = SIGNUP_LINK.search(text_of(message))
    if not match:
        raise AssertionError(f"no sign-up link in: {text_of(message)}")
    return match.group(1)


class Browser:
    """A client with its own cookie jar (name -> value), no redirect following."""

    def __init__(self, server):
        self.server = server
        self.port = server.port
        self.cookies = {}

    def connection(self):
        """A new connection to the server (a subclass may go through TLS or a proxy)."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)

    def send(self, method, path, body=b"", headers=None, cookies=None):
        conn = self.connection()
        try:
            all_headers = {"Connection": "close", "User-Agent": "console_test"}
            jar = self.cookies if cookies is None else cookies
            if jar:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
            all_headers.update(headers or {})
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, path, body=body if (body or method == "POST") else None,
                         headers=all_headers)
            response = Response(conn.getresponse())
        finally:
            conn.close()
        if cookies is None:
            for line in response.set_cookies:
                first, _, rest = line.partition(";")
                key, _, value = first.partition("=")
                key, value = key.strip(), value.strip()
                if "max-age=0" in rest.lower().replace(" ", "") or value == "":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = value
        return response

    def get(self, path, **kw):
        return self.send("GET", path, **kw)

    def post(self, path, fields=None, raw=None, content_type=FORM, **kw):
        body = raw if raw is not None else urllib.parse.urlencode(fields or {})
        return self.send("POST", path, body=body, headers={"Content-Type": content_type}, **kw)

    def csrf_of(self, path):
        page = self.get(path)
        if page.status != 200:
            raise AssertionError(f"GET {path}: {page.status}")
        return page.csrf()


class ConsoleCase(unittest.TestCase):
    """Helpers shared by the cases; subclasses start the server(s)."""

    server = None

    def browser(self):
        return Browser(self.server)

    def assert_html_error(self, response, status, text=None):
        self.assertEqual(response.status, status, response.body[:500])
        self.assertTrue(response.header("Content-Type").startswith("text/html"),
                        response.header("Content-Type"))
        if text is not None:
            self.assertIn(text, response.body)

    def assert_enabled(self, response):
        """The answer to the right enrollment code: the success page with the backup codes,
        shown this once. Returns the codes."""
        self.assertEqual(response.status, 200, response.body[:500])
        self.assertIn("Two-factor authentication is enabled", response.body)
        codes = re.findall(r"<li><code>([0-9a-z]{5}-[0-9a-z]{5})</code></li>", response.body)
        self.assertEqual(len(codes), 10, response.body[:3000])
        return codes

    def assert_redirect(self, response, location):
        self.assertEqual(response.status, 303, response.body[:500])
        self.assertEqual(response.header("Location"), location)

    def request_signup(self, browser, name, email, password=PASSWORD):
        """Fills in "Create your account"; the answer is "Check your e-mail"."""
        r = browser.post("/signup", {"csrf": browser.csrf_of("/signup"), "username": name,
                                     "email": email, "password": password})
        self.assertEqual(r.status, 200, r.body[:1000])
        self.assertIn("Check your e-mail", r.body)
        return r

    def signup_mail(self, browser, email, subject="confirm your new account", count=1):
        """The sign-up mails to `email`, from the server `browser` talks to."""
        return Outbox(browser.server).wait_for(email, subject, count=count)

    def confirm_signup(self, browser, token):
        """Opens the link from the mail and presses "Create account"."""
        page = browser.get("/signup/confirm?token=" + token)
        self.assertEqual(page.status, 200, page.body[:1000])
        self.assertIn("Finish creating your account", page.body)
        return browser.post("/signup/confirm", {"csrf": page.csrf(), "token": token})

    def signup_response(self, browser, name, password=PASSWORD):
        """The whole sign-up: the form, the mail, the link; the last answer."""
        email = f"{name}@example.com"
        self.request_signup(browser, name, email, password)
        token = signup_token_in(self.signup_mail(browser, email)[-1])
        return self.confirm_signup(browser, token)

    def signup(self, browser, name=None, password=PASSWORD):
        name = name or unique_name()
        self.assert_redirect(self.signup_response(browser, name, password), "/profile/security")
        return name

    def sign_in(self, browser, name, password=PASSWORD):
        csrf = browser.csrf_of("/login")
        return browser.post("/login", {"csrf": csrf, "username": name, "password": password})

    def sign_out(self, browser):
        csrf = browser.csrf_of("/profile/security")
        self.assert_redirect(browser.post("/logout", {"csrf": csrf}), "/login")

    def is_signed_in(self, browser):
        return browser.get("/profile/security").status == 200

    def start_enrollment(self, browser):
        """Confirms the password and opens the enroll page; the TOTP secret and the page."""
        page = browser.get("/profile/security/enable")
        if page.status == 200:
            r = browser.post("/profile/security/enable",
                             {"csrf": page.csrf(), "password": PASSWORD})
            self.assert_redirect(r, "/profile/security/enroll")
        page = browser.get("/profile/security/enroll")
        self.assertEqual(page.status, 200, page.body[:500])
        uri = re.search(r"otpauth://totp/[^\"<\s]+", page.body)
        self.assertIsNotNone(uri, page.body[:3000])
        query = urllib.parse.urlparse(html.unescape(uri.group(0))).query
        secret = urllib.parse.parse_qs(query)["secret"][0]
        return secret, page

    def enable_two_factor(self, browser):
        """Enrolls with the code of step(now); returns (secret, t0)."""
        secret, page = self.start_enrollment(browser)
        t0 = time.time()
        r = browser.post("/profile/security/enroll", {"csrf": page.csrf(), "code": totp(secret, t0)})
        browser.backup_codes = self.assert_enabled(r)
        return secret, t0

    def two_factor_state(self, browser):
        page = browser.get("/profile/security")
        self.assertEqual(page.status, 200)
        if "Two-factor authentication is on." in page.body:
            return True
        self.assertIn("Two-factor authentication is off.", page.body)
        return False


class DefaultConsoleTest(ConsoleCase):
    """Cases sharing one server with the default settings. Each uses its own users."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    # --- CSRF -----------------------------------------------------------------------------

    def bad_csrf_variants(self, browser, path):
        """(label, fields-with-csrf) for: no csrf, a wrong one, one of another session."""
        other = Browser(self.server)
        other_csrf = other.csrf_of("/login")
        own = browser.csrf_of(path) if path else None
        variants = [("no csrf", {}), ("empty csrf", {"csrf": ""}),
                    ("another session's csrf", {"csrf": other_csrf})]
        if own:
            # One character changed (never to itself), and the token cut short.
            flipped = ("B" if own[0] == "A" else "A") + own[1:]
            variants += [("wrong csrf", {"csrf": flipped}), ("truncated csrf", {"csrf": own[:-1]}),
                         ("csrf with a suffix", {"csrf": own + "A"})]
        else:
            variants.append(("wrong csrf", {"csrf": "not-the-token"}))
        return variants

    def test_signup_without_the_right_csrf_is_403_and_creates_no_user(self):
        b = self.browser()
        for label, csrf in self.bad_csrf_variants(b, "/signup"):
            with self.subTest(label):
                name = unique_name("csrfsignup")
                r = b.post("/signup", {**csrf, "username": name, "email": f"{name}@example.com",
                                       "password": PASSWORD})
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                self.assertFalse(self.is_signed_in(b))
                # The name is still free: signing up with it now works (no 409).
                self.signup(Browser(self.server), name)

    def test_login_without_the_right_csrf_is_403_and_does_not_sign_in(self):
        name = self.signup(self.browser())
        b = self.browser()
        for label, csrf in self.bad_csrf_variants(b, "/login"):
            with self.subTest(label):
                r = b.post("/login", {**csrf, "username": name, "password": PASSWORD})
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                self.assertIsNone(r.cookie("tfa_session"))
                self.assertFalse(self.is_signed_in(b))
        # Without any session cookie at all.
        r = Browser(self.server).post("/login", {"csrf": "x", "username": name, "password": PASSWORD})
        self.assert_html_error(r, 403, EXPIRED_TEXT)
        self.assertEqual(self.sign_in(b, name).status, 303)

    def test_logout_without_the_right_csrf_is_403_and_the_session_still_works(self):
        b = self.browser()
        self.signup(b)
        for label, csrf in self.bad_csrf_variants(b, "/profile/security"):
            with self.subTest(label):
                r = b.post("/logout", csrf)
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                self.assertIsNone(r.cookie("tfa_session"))
                self.assertTrue(self.is_signed_in(b))
        self.sign_out(b)
        self.assertFalse(self.is_signed_in(b))

    def test_enable_without_the_right_csrf_is_403_and_does_not_confirm_the_password(self):
        b = self.browser()
        self.signup(b)
        page = b.get("/profile/security/enable")
        self.assertEqual(page.status, 200, "the password must be asked for after sign-up")
        for label, csrf in self.bad_csrf_variants(b, "/profile/security/enable"):
            with self.subTest(label):
                r = b.post("/profile/security/enable", {**csrf, "password": PASSWORD})
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                # Still not re-authenticated: the enroll page sends back to the password.
                self.assert_redirect(b.get("/profile/security/enroll"), "/profile/security/enable")

    def test_enroll_without_the_right_csrf_is_403_and_leaves_2fa_off(self):
        b = self.browser()
        self.signup(b)
        secret, page = self.start_enrollment(b)
        for label, csrf in self.bad_csrf_variants(b, "/profile/security/enroll"):
            with self.subTest(label):
                r = b.post("/profile/security/enroll", {**csrf, "code": totp(secret, time.time())})
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                self.assertFalse(self.two_factor_state(b))
        # The pending enrollment is intact: the right form still confirms it.
        r = b.post("/profile/security/enroll",
                   {"csrf": b.csrf_of("/profile/security/enroll"), "code": totp(secret, time.time())})
        self.assert_enabled(r)
        self.assertTrue(self.two_factor_state(b))

    def test_login_code_without_the_right_csrf_is_403_and_does_not_use_the_code(self):
        owner = self.browser()
        name = self.signup(owner)
        secret, t0 = self.enable_two_factor(owner)
        b = self.browser()
        self.assert_redirect(self.sign_in(b, name), "/login/code")
        code = totp(secret, t0 + 30)  # the next step: the enrollment used step(t0)
        for label, csrf in self.bad_csrf_variants(b, "/login/code"):
            with self.subTest(label):
                r = b.post("/login/code", {**csrf, "code": code})
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                self.assertFalse(self.is_signed_in(b))
        # The code was not spent: the right form accepts it.
        r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": code})
        self.assert_redirect(r, "/profile/security")

    def test_forget_device_without_the_right_csrf_is_403_and_forgets_nothing(self):
        b, device_id = self.user_with_trusted_device()
        for label, csrf in self.bad_csrf_variants(b, "/profile/security"):
            with self.subTest(label):
                r = b.post("/profile/security/devices/forget", {**csrf, "device": device_id})
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                self.assertIn(device_id, self.device_ids(b))
                r = b.post("/profile/security/devices/forget-all", csrf)
                self.assert_html_error(r, 403, EXPIRED_TEXT)
                self.assertIn(device_id, self.device_ids(b))

    # --- malformed bodies, limits, routes -----------------------------------------------------

    def test_malformed_form_bodies_are_refused_and_change_nothing(self):
        b = self.browser()
        name = self.signup(b)
        self.sign_out(b)
        csrf = b.csrf_of("/login")
        good = urllib.parse.urlencode({"csrf": csrf, "username": name, "password": PASSWORD})
        cases = [
            ("bad percent-encoding", good + "&a=%zz", FORM),
            ("bad percent-encoding in a value", good.replace("password=", "password=%zz"), FORM),
            ("repeated field", good + "&username=" + name, FORM),
            ("repeated csrf", good + "&csrf=" + urllib.parse.quote(csrf), FORM),
            ("JSON content type", good, "application/json"),
            ("JSON body", '{"csrf": "%s", "username": "%s", "password": "%s"}'
             % (csrf, name, PASSWORD), "application/json"),
            ("no content type", good, ""),
            ("NUL byte", good + "&x=%00", FORM),
        ]
        statuses = {}
        for label, body, ctype in cases:
            with self.subTest(label):
                headers = {"Content-Type": ctype} if ctype else {}
                r = b.send("POST", "/login", body=body, headers=headers)
                statuses[label] = r.status
                self.assertEqual(r.status, 400, r.body[:300])
                self.assertIn("The form could not be read", r.body)
                self.assertTrue(r.header("Content-Type").startswith("text/html"))
                self.assertIsNone(r.cookie("tfa_session"))
                self.assertFalse(self.is_signed_in(b))
        # Same bodies on sign-up: no user is created.
        for label, body, ctype in cases:
            with self.subTest("signup " + label):
                fresh = unique_name("malformed")
                body = body.replace(name, fresh)
                signup_csrf = b.csrf_of("/signup")
                body = body.replace(urllib.parse.quote(csrf, safe=""), urllib.parse.quote(signup_csrf, safe=""))
                body = body.replace(csrf, signup_csrf) + "&email=" + fresh + "%40example.com"
                headers = {"Content-Type": ctype} if ctype else {}
                r = b.send("POST", "/signup", body=body, headers=headers)
                self.assertIn(r.status, (400, 403), r.body[:300])
                self.assertFalse(self.is_signed_in(b))
                self.signup(Browser(self.server), fresh)  # the name is still free
        # The well-formed body still works afterwards.
        r = b.post("/login", raw=good)
        self.assert_redirect(r, "/profile/security")
        sys.stderr.write(f"\n[console_test] malformed-body statuses: {statuses}\n")

    def test_body_over_the_limit_is_413(self):
        b = self.browser()
        csrf = b.csrf_of("/login")
        body = urllib.parse.urlencode({"csrf": csrf, "username": "u", "password": "p" * 100 * 1024})
        r = b.post("/login", raw=body)
        self.assertEqual(r.status, 413)
        self.assertFalse(self.is_signed_in(b))

    def test_unknown_route_is_a_404_html_page(self):
        for method, path in (("GET", "/nope"), ("POST", "/nope"), ("GET", "/profile/security/x"),
                             ("GET", "/login/"), ("GET", "/LOGIN")):
            with self.subTest(f"{method} {path}"):
                r = self.browser().send(method, path, body=b"a=b" if method == "POST" else b"",
                                        headers={"Content-Type": FORM})
                self.assert_html_error(r, 404, "Page not found")
                self.check_security_headers(r)

    def test_wrong_method_is_405_with_allow(self):
        for method, path, allowed in (("DELETE", "/login", {"GET", "POST"}),
                                      ("PUT", "/signup", {"GET", "POST"}),
                                      ("GET", "/logout", {"POST"}),
                                      ("GET", "/profile/security/devices/forget", {"POST"}),
                                      ("POST", "/profile/security", {"GET"})):
            with self.subTest(f"{method} {path}"):
                r = self.browser().send(method, path)
                self.assert_html_error(r, 405, "Method not allowed")
                allow = {m.strip() for m in (r.header("Allow") or "").split(",") if m.strip()}
                self.assertTrue(allowed <= allow, f"Allow: {r.header('Allow')!r}")
                self.check_security_headers(r)

    # --- headers and cookies ----------------------------------------------------------------

    def check_security_headers(self, r):
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(r.header(name), value, f"{name} on {r.status}")

    def test_every_page_has_the_security_headers_and_no_store(self):
        b = self.browser()
        responses = {"GET /": b.get("/"), "GET /login": b.get("/login"),
                     "GET /signup": b.get("/signup"), "GET /login/code": b.get("/login/code"),
                     "GET /profile/security (signed out)": b.get("/profile/security"),
                     "POST /login 403": b.post("/login", {"csrf": "x"})}
        self.signup(b)
        for path in ("/profile/security", "/profile/security/enable", "/"):
            responses[f"GET {path} (signed in)"] = b.get(path)
        secret, page = self.start_enrollment(b)
        responses["GET /profile/security/enroll"] = page
        responses["POST enroll wrong code"] = b.post("/profile/security/enroll",
                                                     {"csrf": page.csrf(), "code": "000000"})
        for label, r in responses.items():
            with self.subTest(label):
                self.check_security_headers(r)
                self.assertEqual(r.header("Cache-Control"), "no-store")
        css = b.get("/static/style.css")
        self.assertEqual(css.status, 200)
        self.assertEqual(css.header("X-Content-Type-Options"), "nosniff")

    def test_session_cookie_attributes_and_a_new_id_at_sign_in(self):
        name = self.signup(self.browser())
        b = self.browser()
        r = b.get("/login")
        value, attrs = r.cookie("tfa_session")
        lower = [a.lower() for a in attrs]
        self.assertIn("httponly", lower)
        self.assertIn("samesite=lax", lower)
        self.assertIn("path=/", lower)
        self.assertNotIn("secure", lower)
        old = value
        r = b.post("/login", {"csrf": r.csrf(), "username": name, "password": PASSWORD})
        self.assert_redirect(r, "/profile/security")
        new, attrs = r.cookie("tfa_session")
        self.assertNotEqual(new, old)
        self.assertIn("httponly", [a.lower() for a in attrs])
        self.assertTrue(self.is_signed_in(b))
        # The old id is dead.
        r = b.get("/profile/security", cookies={"tfa_session": old})
        self.assert_redirect(r, "/login")
        # After sign-out the new id is dead too.
        self.sign_out(b)
        self.assert_redirect(b.get("/profile/security", cookies={"tfa_session": new}), "/login")

    def test_the_session_id_changes_at_each_sign_in_step_with_2fa(self):
        owner = self.browser()
        name = self.signup(owner)
        secret, t0 = self.enable_two_factor(owner)
        b = self.browser()
        first = b.get("/login").cookie("tfa_session")[0]
        r = self.sign_in(b, name)
        self.assert_redirect(r, "/login/code")
        second = r.cookie("tfa_session")[0]
        self.assertNotEqual(first, second)
        self.assert_redirect(b.get("/login/code", cookies={"tfa_session": first}), "/login")
        r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": totp(secret, t0 + 30)})
        self.assert_redirect(r, "/profile/security")
        third = r.cookie("tfa_session")[0]
        self.assertNotEqual(third, second)
        self.assert_redirect(b.get("/profile/security", cookies={"tfa_session": second}), "/login")

    # --- sign-in ----------------------------------------------------------------------------

    def test_wrong_password_and_unknown_user_look_the_same(self):
        name = self.signup(self.browser())
        b = self.browser()
        csrf = b.csrf_of("/login")
        unknown = ("z" * len(name))
        wrong = b.post("/login", {"csrf": csrf, "username": name, "password": "wrong password"})
        missing = b.post("/login", {"csrf": csrf, "username": unknown, "password": "wrong password"})
        self.assertEqual(wrong.status, missing.status)
        self.assertEqual(wrong.status, 401)
        for r in (wrong, missing):
            self.assertIn("Incorrect username or password.", r.body)
            self.assertIsNone(r.cookie("tfa_session"))
        self.assertEqual(wrong.body.replace(name, "NAME"), missing.body.replace(unknown, "NAME"))
        self.assertFalse(self.is_signed_in(b))

    def test_login_code_without_a_second_factor_session_redirects_to_login(self):
        b = self.browser()
        self.assert_redirect(b.get("/login/code"), "/login")
        self.assert_redirect(b.post("/login/code", {"code": "123456"}), "/login")
        csrf = b.csrf_of("/login")  # a session, but at the password stage
        self.assert_redirect(b.get("/login/code"), "/login")
        self.assert_redirect(b.post("/login/code", {"csrf": csrf, "code": "123456"}), "/login")
        self.signup(b)  # signed in: not at the code stage either
        self.assert_redirect(b.get("/login/code"), "/login")

    def test_wrong_code_is_401_and_a_code_works_only_once(self):
        owner = self.browser()
        name = self.signup(owner)
        secret, t0 = self.enable_two_factor(owner)
        b = self.browser()
        self.assert_redirect(self.sign_in(b, name), "/login/code")
        csrf = b.csrf_of("/login/code")
        code = totp(secret, t0 + 30)
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        r = b.post("/login/code", {"csrf": csrf, "code": wrong})
        self.assert_html_error(r, 401, WRONG_CODE_TEXT)
        self.assertIsNone(r.cookie("tfa_session"))
        # Few enough that, with the wrong code above, the 5 free failures are not used up.
        for bad in ("abcdef", "1234567"):
            with self.subTest(code=bad):
                r = b.post("/login/code", {"csrf": csrf, "code": bad})
                self.assertIn(r.status, (400, 401))
                self.assertIn(WRONG_CODE_TEXT, r.body)
        self.assert_redirect(b.post("/login/code", {"csrf": csrf, "code": code}), "/profile/security")
        # The same code in another sign-in is refused.
        other = self.browser()
        self.assert_redirect(self.sign_in(other, name), "/login/code")
        r = other.post("/login/code", {"csrf": other.csrf_of("/login/code"), "code": code})
        self.assert_html_error(r, 401, WRONG_CODE_TEXT)
        self.assertFalse(self.is_signed_in(other))
        # The enrollment's code (an earlier step) is refused as well.
        r = other.post("/login/code", {"csrf": other.csrf_of("/login/code"), "code": totp(secret, t0)})
        self.assert_html_error(r, 401, WRONG_CODE_TEXT)

    def test_pages_that_need_a_session_redirect_to_login(self):
        b = self.browser()
        for path in ("/profile/security", "/profile/security/enroll", "/profile/security/enable",
                     "/profile/security/enabled"):
            with self.subTest(path):
                self.assert_redirect(b.get(path), "/login")
        for path in ("/profile/security/enroll", "/profile/security/enable",
                     "/profile/security/devices/forget", "/profile/security/devices/forget-all"):
            with self.subTest("POST " + path):
                self.assert_redirect(b.post(path, {"csrf": "x", "code": "123456", "device": "1"}),
                                     "/login")
        self.assert_redirect(b.get("/profile/security", cookies={"tfa_session": "made-up"}), "/login")

    # --- trusted devices --------------------------------------------------------------------

    def device_ids(self, browser):
        page = browser.get("/profile/security")
        self.assertEqual(page.status, 200)
        return re.findall(r'name="device" value="([^"]+)"', page.body)

    def user_with_trusted_device(self):
        owner = self.browser()
        name = self.signup(owner)
        secret, t0 = self.enable_two_factor(owner)
        b = self.browser()
        self.assert_redirect(self.sign_in(b, name), "/login/code")
        r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": totp(secret, t0 + 30),
                                   "remember": "on"})
        self.assert_redirect(r, "/profile/security")
        self.assertIn("tfa_device", b.cookies)
        ids = self.device_ids(b)
        self.assertEqual(len(ids), 1, ids)
        return b, ids[0]

    def test_forgetting_a_device_of_someone_else_is_404_and_forgets_nothing(self):
        victim, device_id = self.user_with_trusted_device()
        attacker = self.browser()
        self.signup(attacker)
        r = attacker.post("/profile/security/devices/forget",
                          {"csrf": attacker.csrf_of("/profile/security"), "device": device_id})
        self.assert_html_error(r, 404, "Device not found")
        self.assertEqual(self.device_ids(victim), [device_id])
        for missing in ("999999", "0", "-1", str(2**62)):
            with self.subTest(device=missing):
                r = victim.post("/profile/security/devices/forget",
                                {"csrf": victim.csrf_of("/profile/security"), "device": missing})
                self.assert_html_error(r, 404, "Device not found")
                self.assertEqual(self.device_ids(victim), [device_id])

    def test_forgetting_a_non_numeric_device_is_400(self):
        b, device_id = self.user_with_trusted_device()
        csrf = b.csrf_of("/profile/security")
        for bad in ("abc", "", " 1", device_id + "x", "1.0", "0x1", "99999999999999999999999"):
            with self.subTest(device=bad):
                r = b.post("/profile/security/devices/forget", {"csrf": csrf, "device": bad})
                self.assert_html_error(r, 400)
                self.assertEqual(self.device_ids(b), [device_id])
        r = b.post("/profile/security/devices/forget", {"csrf": csrf})
        self.assert_html_error(r, 400)
        # The right request forgets it.
        r = b.post("/profile/security/devices/forget", {"csrf": csrf, "device": device_id})
        self.assert_redirect(r, "/profile/security")
        self.assertEqual(self.device_ids(b), [])


class ThrottleTest(ConsoleCase):
    """Its own server, so the failures count against nothing else."""

    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.close()

    def test_repeated_wrong_passwords_get_429_with_retry_after(self):
        name = self.signup(self.browser())
        b = self.browser()
        statuses = []
        for _ in range(8):
            csrf = b.csrf_of("/login")
            r = b.post("/login", {"csrf": csrf, "username": name, "password": "wrong password"})
            statuses.append(r.status)
            if r.status == 429:
                break
        self.assertEqual(statuses[-1], 429, statuses)
        # 5 free failures; the 6th sets a wait, so the 7th attempt at the latest is refused.
        self.assertLessEqual(len(statuses), 7, statuses)
        self.assertTrue(set(statuses[:-1]) <= {401}, statuses)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        self.assertRegex(r.header("Retry-After") or "", r"^[1-9][0-9]*$")
        self.assertIn("Too many attempts", r.body)
        # The right password is refused too while the wait lasts.
        r = b.post("/login", {"csrf": b.csrf_of("/login"), "username": name, "password": PASSWORD})
        self.assertEqual(r.status, 429)
        self.assertFalse(self.is_signed_in(b))


class SignupOffTest(ConsoleCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Server(TFA_SIGNUP="false")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_signup_pages_are_404(self):
        b = self.browser()
        self.assert_html_error(b.get("/signup"), 404, "Sign-up is turned off")
        csrf = b.csrf_of("/login")
        self.assertNotIn('href="/signup"', b.get("/login").body)
        r = b.post("/signup", {"csrf": csrf, "username": "someone", "email": "s@example.com",
                               "password": PASSWORD})
        self.assert_html_error(r, 404, "Sign-up is turned off")
        self.check = self.sign_in(b, "someone")
        self.assertEqual(self.check.status, 401)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: console_test.py PATH/TO/tfa [unittest options]")
    if shutil.which("oathtool") is None:
        sys.exit("console_test.py needs oathtool")
    server_test.TFA = sys.argv.pop(1)
    unittest.main()
