#!/usr/bin/python3
"""tfa behind a real nginx that runs the site of docs/nginx.md as written there: sign-up,
enrollment and sign-in with a code over HTTPS, the JSON API, the client's own address in the
log and in the throttles whatever X-Forwarded-For it sends, and plain HTTP sent to HTTPS.

    /usr/bin/python3 nginx_test.py PATH/TO/tfa PATH/TO/docs/nginx.md [unittest options]

The site's `listen` lines move to free loopback ports (the [::] ones are dropped), its
certificate is a fresh self-signed one for 127.0.0.1, and its upstream is the tfa this test
starts; everything else is the document's text. nginx runs in the foreground from a temporary
folder and is stopped by its PID. Needs nginx, openssl and oathtool.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

import server_test
from console_flows_test import Authenticator
from console_test import PASSWORD, Browser, ConsoleCase, Outbox, Server, text_of, unique_name

DOC = None  # docs/nginx.md, from the command line
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # sbin may be missing from PATH
SEED_002_BODY = {"error": {"message": "Additional authentications steps required.", "code": 401,
                           "identity": None, "title": "Unauthorized"}}
HSTS = "max-age=63072000"


def free_port():
    """A port nothing listens on at the moment (another process could still take it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_from_doc(tfa_port, http_port, https_port, cert, key):
    """The first nginx block of docs/nginx.md, moved to this test's ports and certificate.
    Each replacement must match exactly as often as the document is written today, so that
    a change of the document's shape fails here instead of testing something else."""
    with open(DOC, encoding="utf-8") as f:
        found = re.search(r"```nginx\n(.*?)```", f.read(), re.S)
    if not found:
        raise AssertionError(f"no nginx block in {DOC}")
    site = found.group(1)
    for pattern, replacement, expected in (
            (r"server 127\.0\.0\.1:8080;", f"server 127.0.0.1:{tfa_port};", 1),
            (r"[ \t]*listen \[::\]:[^\n]*\n", "", 2),
            (r"listen 80;", f"listen 127.0.0.1:{http_port};", 1),
            (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1),
            (r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", 1),
            (r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", 1)):
        site, count = re.subn(pattern, replacement, site)
        if count != expected:
            raise AssertionError(f"{pattern!r} matched {count} times in {DOC}'s site, not {expected}")
    return site


class Nginx:
    """nginx in the foreground with its own folder, configuration and logs."""

    def __init__(self, site):
        self.dir = tempfile.mkdtemp(prefix="tfa-nginx-test-")
        os.chmod(self.dir, 0o755)  # run as root, nginx's workers run as nobody
        config = os.path.join(self.dir, "nginx.conf")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"""daemon off;
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 128; }}
http {{
    access_log {self.dir}/access.log;
    client_body_temp_path {self.dir}/client_body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
{site}
}}
""")
        test = subprocess.run([NGINX, "-t", "-p", self.dir, "-c", config, "-e", f"{self.dir}/error.log"],
                              capture_output=True, text=True)
        if test.returncode != 0:
            raise AssertionError(f"nginx -t refused the site:\n{test.stderr}\n{site}")
        self.process = subprocess.Popen([NGINX, "-p", self.dir, "-c", config, "-e", f"{self.dir}/error.log"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_until_listening(self, port, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited with {self.process.returncode}: {self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"nginx does not listen on {port}: {self.error_log()}")

    def error_log(self):
        try:
            with open(os.path.join(self.dir, "error.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def close(self):
        """Stops nginx (SIGQUIT: the workers finish their requests) and removes its folder."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class HttpsBrowser(Browser):
    """A browser that reaches tfa through nginx over HTTPS, from loopback address `source`,
    and trusts only the test's certificate."""

    def __init__(self, server, https_port, cafile, source="127.0.0.1"):
        super().__init__(server)
        self.https_port = https_port
        self.source = source
        self.context = ssl.create_default_context(cafile=cafile)

    def connection(self):
        return http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=20,
                                           context=self.context, source_address=(self.source, 0))


class NginxTest(ConsoleCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tfa-nginx-cert-")
        cls.cert = os.path.join(cls.dir, "cert.pem")
        key = os.path.join(cls.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", key, "-out", cls.cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
        os.chmod(cls.dir, 0o755)
        cls.http_port, cls.https_port = free_port(), free_port()
        cls.server = Server(TFA_SERVER_TRUSTED_PROXY="127.0.0.1",
                            TFA_SERVER_PUBLIC_URL=f"https://127.0.0.1:{cls.https_port}")
        try:
            cls.nginx = Nginx(site_from_doc(cls.server.port, cls.http_port, cls.https_port, cls.cert, key))
            cls.nginx.wait_until_listening(cls.https_port)
            cls.nginx.wait_until_listening(cls.http_port)
        except BaseException:
            if getattr(cls, "nginx", None):
                cls.nginx.close()
            cls.server.close()
            shutil.rmtree(cls.dir, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.nginx.close()
        finally:
            cls.server.close()
            shutil.rmtree(cls.dir, ignore_errors=True)

    def browser(self, source="127.0.0.1"):
        return HttpsBrowser(self.server, self.https_port, self.cert, source)

    def from_address(self, source):
        """A browser on another loopback address; skips where the machine has none."""
        try:
            socket.create_connection(("127.0.0.1", self.https_port), timeout=2,
                                     source_address=(source, 0)).close()
        except OSError as e:
            self.skipTest(f"cannot connect from {source}: {e}")
        return self.browser(source)

    def assert_secure_cookie(self, response, name):
        found = response.cookie(name)
        self.assertIsNotNone(found, f"no Set-Cookie {name}: {response.set_cookies}")
        self.assertIn("secure", [a.lower() for a in found[1]], found)

    def api(self, browser, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        raw = json.dumps(body) if body is not None else b""
        return browser.send(method, path, body=raw, headers=headers, cookies={})

    def signed_up_over_https(self, browser):
        """Sign-up through nginx, with the link from the mail; returns the name."""
        name = unique_name("behind")
        email = f"{name}@example.com"
        self.request_signup(browser, name, email)
        mail = Outbox(self.server).wait_for(email, "confirm your new account")[-1]
        link = re.search(r"https://127\.0\.0\.1:(\d+)/signup/confirm\?token=([A-Za-z0-9_-]+)", text_of(mail))
        self.assertIsNotNone(link, f"no link to nginx in the mail: {text_of(mail)}")
        self.assertEqual(int(link.group(1)), self.https_port)
        r = self.confirm_signup(browser, link.group(2))
        self.assert_redirect(r, "/profile/security")
        self.assert_secure_cookie(r, "tfa_session")
        return name

    def test_sign_up_enroll_and_sign_in_with_a_code(self):
        b = self.browser()
        name = self.signed_up_over_https(b)
        secret, t0 = self.enable_two_factor(b)
        phone = Authenticator(secret, t0)
        self.sign_out(b)

        r = self.sign_in(b, name)
        self.assert_redirect(r, "/login/code")
        self.assert_secure_cookie(r, "tfa_session")
        self.assertEqual(r.header("Strict-Transport-Security"), HSTS)
        r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": phone.next_code(),
                                   "remember": "on"})
        self.assert_redirect(r, "/profile/security")
        self.assert_secure_cookie(r, "tfa_session")
        self.assert_secure_cookie(r, "tfa_device")
        page = b.get("/profile/security")
        self.assertEqual(page.status, 200, page.body[:500])
        self.assertIn("Two-factor authentication is on.", page.body)
        # tfa's own headers come through nginx as they left tfa.
        self.assertEqual(page.header("Cache-Control"), "no-store")
        self.assertIn("frame-ancestors 'none'", page.header("Content-Security-Policy"))

        # The trusted device skips the code at the next sign-in, through nginx as well.
        self.sign_out(b)
        self.assert_redirect(self.sign_in(b, name), "/profile/security")

    def test_the_api_with_the_second_factor(self):
        b = self.browser()
        name = self.signed_up_over_https(b)
        secret, t0 = self.enable_two_factor(b)
        phone = Authenticator(secret, t0)

        r = self.api(b, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
        self.assertEqual(r.status, 401, r.body)
        self.assertEqual(json.loads(r.body), SEED_002_BODY)
        self.assertEqual(r.header("Content-Type"), "application/json")

        r = self.api(b, "POST", "/api/v1/auth/login",
                     {"username": name, "password": PASSWORD, "otp": phone.next_code()})
        self.assertEqual(r.status, 200, r.body)
        token = json.loads(r.body)["token"]
        r = self.api(b, "GET", "/api/v1/me", token=token)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(json.loads(r.body)["username"], name)

        # tfa's errors reach the client unchanged: a malformed body is tfa's 400, not nginx's.
        r = b.send("POST", "/api/v1/auth/login", body="{", headers={"Content-Type": "application/json"},
                   cookies={})
        self.assertEqual(r.status, 400, r.body)
        self.assertEqual(json.loads(r.body)["error"]["code"], 400)

    def test_the_client_is_known_by_its_own_address(self):
        b = self.from_address("127.0.0.2")
        agent = f"nginx-test-{time.time_ns()}"
        # A forged address and scheme: nginx appends the address it saw, and sets the scheme.
        r = b.get("/login", headers={"X-Forwarded-For": "198.51.100.9", "X-Forwarded-Proto": "http",
                                     "User-Agent": agent})
        self.assertEqual(r.status, 200, r.body[:500])
        self.assert_secure_cookie(r, "tfa_session")
        log = self.server.wait_for_log(re.escape(agent))
        line = next(line for line in log.splitlines() if agent in line)
        self.assertRegex(line, r' 127\.0\.0\.2 "GET /login" 200 ')

    def test_password_guessing_counts_against_the_guessers_address(self):
        guesser = self.from_address("127.0.0.2")
        statuses = []
        for attempt in range(30):
            # A new name and a new forged address each time: only the address nginx saw counts.
            r = guesser.send("POST", "/api/v1/auth/login",
                             body=json.dumps({"username": f"nobody{attempt}", "password": "wrong"}),
                             headers={"Content-Type": "application/json",
                                      "X-Forwarded-For": f"198.51.100.{attempt + 1}"}, cookies={})
            statuses.append(r.status)
            if r.status == 429:
                self.assertIsNotNone(r.header("Retry-After"))
                break
        self.assertEqual(statuses[-1], 429, statuses)
        self.assertEqual(set(statuses[:-1]), {401}, statuses)
        self.assertGreaterEqual(len(statuses), 21, "the address has 20 free failures")

        # Another address is not blocked by the guesser's failures.
        other = self.from_address("127.0.0.3")
        r = other.send("POST", "/api/v1/auth/login",
                       body=json.dumps({"username": "nobody-else", "password": "wrong"}),
                       headers={"Content-Type": "application/json"}, cookies={})
        self.assertEqual(r.status, 401, r.body)

    def test_plain_http_is_sent_to_https(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        try:
            conn.request("GET", "/login?next=x", headers={"Connection": "close"})
            r = conn.getresponse()
            r.read()
        finally:
            conn.close()
        self.assertEqual(r.status, 301)
        self.assertEqual(r.getheader("Location"), "https://127.0.0.1/login?next=x")
        self.assertIsNone(r.getheader("Set-Cookie"), "nothing of tfa's over plain HTTP")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: nginx_test.py PATH/TO/tfa PATH/TO/docs/nginx.md [unittest options]")
    for tool in (NGINX, "openssl", "oathtool"):
        if shutil.which(tool) is None:
            sys.exit(f"nginx_test.py needs {tool}")
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    DOC = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
