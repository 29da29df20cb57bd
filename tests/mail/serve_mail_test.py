#!/usr/bin/python3
"""Mail sent by the running server: `tfa serve --config FILE` with a `[mail]` section that
points at a real SMTP server (aiosmtpd, started by smtp_server.py on 127.0.0.1), driven over
HTTP like a browser would.

    /usr/bin/python3 serve_mail_test.py PATH/TO/tfa [unittest options]

Checks that a security notice, the sign-up link and the recovery token arrive over SMTP, parse with Python's
email package (policy=default) and hold the right links; that a request which sends mail
answers at once, whether the mail server is down or silent; and that the queue retries a
failed delivery until the mail server is up, logging a warning without any password.

The HTTP helpers (Browser, ConsoleCase, totp) and the Server class come from tests/http/.
"""
import email
import email.policy
import email.utils
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))

import server_test  # noqa: E402
from console_test import PASSWORD, ConsoleCase, signup_token_in, totp, unique_name  # noqa: E402
from mail_test import FROM, SmtpServer, closed_port, toml_string  # noqa: E402
from server_test import Server  # noqa: E402

SMTP_USER = "tfa-mailer"
SMTP_PASSWORD = "smtp-secret-Tr0ub4dor&3"
# A request that only queues a mail is answered in milliseconds; this leaves room for a busy
# machine while staying far below any wait for the mail server (20 s, or retries of 1 + 2 s...).
PROMPT = 2.0
ARRIVAL = 20.0


def wait_for_mail(smtp, subject_part, count=1, timeout=ARRIVAL):
    """The (envelope, parsed message) pairs whose subject holds `subject_part`, once there are
    `count` of them; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        hits = []
        for envelope, raw in smtp.messages(expected=0, wait=0):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            if subject_part in str(message["Subject"]):
                hits.append((envelope, message))
        if len(hits) >= count:
            return hits
        if time.monotonic() > deadline:
            subjects = [email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
                        for _, raw in smtp.messages(expected=0, wait=0)]
            raise AssertionError(f"no mail '{subject_part}' within {timeout} s; got {subjects}")
        time.sleep(0.05)


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


class ServeMailTest(ConsoleCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tfa-serve-mail-test-")
        self.smtp_servers = []
        self.tfa_servers = []
        self.sockets = []

    def tearDown(self):
        # tfa first, while its mail server still answers, so that its shutdown is quick.
        errors = []
        for server in self.tfa_servers:
            try:
                server.close()
            except AssertionError as error:
                errors.append(str(error))
        for smtp in self.smtp_servers:
            smtp.stop()
        for sock in self.sockets:
            sock.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        if errors:
            self.fail("\n".join(errors))

    def start_smtp(self, *args):
        folder = tempfile.mkdtemp(prefix="received-", dir=self.tmp)
        smtp = SmtpServer(folder, "--user", SMTP_USER, "--password", SMTP_PASSWORD, *args)
        self.smtp_servers.append(smtp)
        return smtp

    def start_tfa(self, smtp_port, server_settings=None, **mail):
        """`tfa serve` with a [mail] section for smtp://127.0.0.1:`smtp_port` with AUTH; the
        SMTP password comes from the environment, as the documentation recommends."""
        settings = {"from": FROM, "smtp_url": f"smtp://127.0.0.1:{smtp_port}",
                    "smtp_username": SMTP_USER, **mail}
        lines = []
        for table, entries in (("server", server_settings or {}), ("mail", settings)):
            if entries:
                lines.append(f"[{table}]")
            for key, value in entries.items():
                lines.append(f"{key} = {value}" if isinstance(value, int)
                             else f"{key} = {toml_string(value)}")
        config = os.path.join(self.tmp, f"config-{len(self.tfa_servers)}.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        server = Server(("--config", config), TFA_MAIL_SMTP_PASSWORD=SMTP_PASSWORD)
        self.tfa_servers.append(server)
        self.server = server  # for ConsoleCase.browser()
        return server

    def signup(self, browser, name=None, password=PASSWORD):
        """An account made with `tfa user add` (the mail server may be down in these cases,
        and sign-up needs its mail), then signed in from `browser`."""
        name = name or unique_name()
        subprocess.run([server_test.TFA, "user", "add", name, "--email", f"{name}@example.com",
                        "--password-stdin", "--data-dir", self.server.data_dir],
                       input=password + "\n", text=True, check=True, capture_output=True,
                       env=server_test.clean_environment())
        self.assert_redirect(self.sign_in(browser, name, password), "/profile/security")
        return name

    def user_with_two_factor(self):
        owner = self.browser()
        name = self.signup(owner)
        secret, t0 = self.enable_two_factor(owner)
        return name, secret, t0

    def timed_enable(self, browser):
        """Enrolls like ConsoleCase.enable_two_factor; returns the seconds the final POST took."""
        secret, page = self.start_enrollment(browser)
        fields = {"csrf": page.csrf(), "code": totp(secret, time.time())}
        started = time.monotonic()
        r = browser.post("/profile/security/enroll", fields)
        elapsed = time.monotonic() - started
        self.assert_enabled(r)
        return elapsed

    def assert_well_formed(self, envelope, message, to):
        """A tfa mail to `to` from FROM, sent with AUTH, every header and both parts sound."""
        self.assertEqual(envelope["mail_from"], "security@example.com")
        self.assertEqual(envelope["rcpt_tos"], [to])
        self.assertEqual(envelope["auth"], SMTP_USER)
        self.assertEqual(message.defects, [])
        self.assertEqual([a.addr_spec for a in message["To"].addresses], [to])
        self.assertEqual(message["From"].addresses[0].addr_spec, "security@example.com")
        self.assertEqual(message["From"].addresses[0].display_name, "Example Cloud")
        for header in ("Subject", "Date", "Message-ID"):
            self.assertTrue(message[header], header)
        date = email.utils.parsedate_to_datetime(str(message["Date"]))
        self.assertLess(abs(time.time() - date.timestamp()), 300)
        self.assertRegex(str(message["Message-ID"]), r"^<[0-9a-f]{32}@example\.com>$")
        self.assertEqual(message.get_content_type(), "multipart/alternative")
        parts = list(message.iter_parts())
        self.assertEqual([p.get_content_type() for p in parts], ["text/plain", "text/html"])
        for part in parts:
            self.assertEqual(part.defects, [])
            self.assertEqual(part.get_content_charset(), "utf-8")
            self.assertIsInstance(part.get_content(), str)
        for secret in (PASSWORD, SMTP_PASSWORD):
            self.assertNotIn(secret, message.as_string())

    # (a) a security notice from the running server
    def test_the_two_factor_notice_arrives_over_smtp(self):
        smtp = self.start_smtp()
        self.start_tfa(smtp.port)
        name, _, _ = self.user_with_two_factor()
        address = f"{name}@example.com"
        (envelope, message), = wait_for_mail(smtp, "two-factor authentication was turned on")
        self.assert_well_formed(envelope, message, address)
        self.assertRegex(str(message["Subject"]),
                         r"^\S.*: two-factor authentication was turned on$")
        self.assertIn(f"Hello {name},", text_of(message))
        self.assertIn("Two-factor authentication is now on for your account", text_of(message))
        self.assertIn(f"<p>Hello {name},</p>", html_of(message))
        self.assertIn("Two-factor authentication is now on for your account", html_of(message))
        # Making the account sent nothing; the notice is the only mail, and nothing went to the
        # outbox.
        self.assertEqual(len(smtp.messages(expected=0, wait=0)), 1)
        outbox = os.path.join(self.server.data_dir, "outbox")
        self.assertEqual([f for f in os.listdir(outbox) if f.endswith(".eml")] if os.path.isdir(outbox) else [], [])

    # (b) the queue: down at first, up a moment later
    def test_the_queue_retries_until_the_mail_server_is_up(self):
        port = closed_port()
        server = self.start_tfa(port, retry_first_delay_seconds=1, retry_attempts=6)
        self.assertNotEqual(server.port, port)
        b = self.browser()
        name = self.signup(b)
        address = f"{name}@example.com"
        elapsed = self.timed_enable(b)
        self.assertLess(elapsed, PROMPT, "the request waited for the mail")
        self.assertTrue(self.two_factor_state(b))
        server.wait_for_log(
            rf"mail to {re.escape(address)} failed \(attempt 1 of 6\), retrying in 1000 ms",
            timeout=10)
        smtp = self.start_smtp("--port", str(port))
        (envelope, message), = wait_for_mail(smtp, "two-factor authentication was turned on")
        self.assert_well_formed(envelope, message, address)

        log = server.log_text()
        warnings = [line for line in log.splitlines() if "failed (attempt" in line]
        self.assertGreaterEqual(len(warnings), 1, log)
        for line in warnings:
            self.assertRegex(line.lower(), r"warn")
            self.assertIn(address, line)
            self.assertNotIn(f"smtp://127.0.0.1:{port}", line, "the URL is not logged")
        self.assertNotRegex(log, r"not delivered|\[error\]", log)
        for secret in (PASSWORD, SMTP_PASSWORD):
            self.assertNotIn(secret, log)

    def test_a_silent_mail_server_does_not_hold_up_the_request(self):
        # Accepts the connection but never greets: tfa's delivery would wait up to its 20 s
        # timeout, in the background.
        silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sockets.append(silent)
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        # A short shutdown grace: the mail still queued for retries is not waited for long.
        server = self.start_tfa(silent.getsockname()[1], {"shutdown_grace_seconds": 1},
                                retry_first_delay_seconds=1)
        b = self.browser()
        self.signup(b)
        elapsed = self.timed_enable(b)
        self.assertLess(elapsed, PROMPT, "the request waited for the mail")
        # The delivery has connected and waits for the greeting...
        silent.settimeout(10)
        connection, _ = silent.accept()
        self.sockets.append(connection)
        # ...while other requests are served.
        self.assertTrue(self.two_factor_state(b))
        self.assertEqual(self.browser().get("/login").status, 200)
        self.assertNotIn("failed (attempt", server.log_text())
        # Hanging up without a greeting makes the delivery fail now, not after 20 s.
        connection.close()
        silent.close()
        server.wait_for_log(r"failed \(attempt 1 of 5\)", timeout=ARRIVAL + 10)

    # (c) the sign-up link
    def test_the_sign_up_mail_arrives_over_smtp_with_a_working_link(self):
        smtp = self.start_smtp()
        server = self.start_tfa(smtp.port)
        name = unique_name("smtp")
        address = f"{name}@example.com"
        b = self.browser()
        self.request_signup(b, name, address)
        (envelope, message), = wait_for_mail(smtp, "confirm your new account")
        self.assert_well_formed(envelope, message, address)
        token = signup_token_in(message)
        self.assertIn(f"http://127.0.0.1:{server.port}/signup/confirm?token={token}",
                      re.findall(r"https?://\S+", text_of(message)))
        self.assertIn(token, html_of(message))
        self.assert_redirect(self.confirm_signup(b, token), "/profile/security")
        self.assertFalse(self.two_factor_state(b))
        # The same form with the name now taken: the same page, and this mail instead.
        self.request_signup(self.browser(), name, address)
        (envelope, message), = wait_for_mail(smtp, "that username is taken")
        self.assert_well_formed(envelope, message, address)
        self.assertNotIn("token=", text_of(message))
        self.assertNotIn(token, server.log_text())

    # (d) the recovery token
    def test_the_recovery_mail_arrives_over_smtp_with_a_working_link(self):
        smtp = self.start_smtp()
        server = self.start_tfa(smtp.port)
        name, _, _ = self.user_with_two_factor()
        address = f"{name}@example.com"
        b = self.browser()
        self.assert_redirect(self.sign_in(b, name), "/login/code")
        page = b.get("/login/code")
        r = b.post("/login/recover/send", {"csrf": page.csrf()})
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn("We sent an e-mail with a one-time token to ", r.body)
        (envelope, message), = wait_for_mail(smtp, "turn off two-factor authentication")
        self.assert_well_formed(envelope, message, address)
        text = text_of(message)
        match = re.search(r"^([A-Za-z0-9_-]{43})\r?$", text, re.M)
        self.assertIsNotNone(match, text)
        token = match.group(1)
        links = re.findall(r"https?://\S+", text)
        self.assertIn(f"http://127.0.0.1:{server.port}/login/recover?token={token}", links)
        self.assertIn(token, html_of(message))

        # The link fills the form; the token turns 2FA off, and that notice comes by SMTP too.
        path = f"/login/recover?token={token}"
        page = b.get(path)
        self.assertEqual(page.status, 200)
        self.assertIn(f'value="{token}"', page.body)
        r = b.post("/login/recover", {"csrf": page.csrf(), "token": token})
        self.assert_redirect(r, "/profile/security")
        self.assertFalse(self.two_factor_state(b))
        (envelope, message), = wait_for_mail(smtp, "two-factor authentication was turned off")
        self.assert_well_formed(envelope, message, address)
        self.assertNotIn(token, server.log_text())


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if shutil.which("oathtool") is None:
        sys.exit("serve_mail_test.py needs oathtool")
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
