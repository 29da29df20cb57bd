#!/usr/bin/python3
"""End-to-end tests of outgoing mail: `tfa mail test ADDRESS` against a real SMTP server
(aiosmtpd, started by smtp_server.py on 127.0.0.1), with AUTH, with STARTTLS and with smtps://
(TLS from the first byte) and a throwaway certificate, against a closed port, and into the
outbox folder when no server is configured.

    /usr/bin/python3 mail_test.py PATH/TO/tfa [unittest options]

Every message that arrives is parsed with Python's email package (policy=default), which is
independent of tfa's own MIME code.
"""
import email
import email.policy
import email.utils
import glob
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

TFA = ""
HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 60
USER = "tfa-mailer"
PASSWORD = "correct-horse-battery-staple"
RECIPIENT = "bob@example.com"
FROM = "Example Cloud <security@example.com>"


def clean_environment():
    # TFA_* variables of whoever runs the suite would change what tfa reads; none may leak in.
    return {k: v for k, v in os.environ.items() if not k.startswith("TFA_")}


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """smtp_server.py as a child process; received mail lands in `folder`."""

    def __init__(self, folder, *args):
        self.folder = folder
        self.process = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "smtp_server.py"), folder, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening "):
            self.stop()
            raise AssertionError(f"SMTP server did not start: {line!r} "
                                 f"{self.process.stderr.read()!r}")
        self.port = int(line.split()[1])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()

    def messages(self, expected=1, wait=5.0):
        """The (envelope, raw bytes) pairs received, waiting up to `wait` s for `expected`."""
        deadline = time.monotonic() + wait
        while True:
            infos = sorted(glob.glob(os.path.join(self.folder, "*.json")))
            if len(infos) >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        out = []
        for info in infos:
            with open(info, encoding="utf-8") as f:
                envelope = json.load(f)
            with open(info[:-len(".json")] + ".eml", "rb") as f:
                out.append((envelope, f.read()))
        return out


class MailTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tfa-mail-test-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.config = os.path.join(self.tmp, "config.toml")
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_server(self, *args):
        folder = tempfile.mkdtemp(prefix="received-", dir=self.tmp)
        server = SmtpServer(folder, *args)
        self.servers.append(server)
        return server

    def write_config(self, **mail):
        lines = ["[mail]", f"from = {toml_string(FROM)}"]
        for key, value in mail.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            else:
                lines.append(f"{key} = {toml_string(str(value))}")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def tfa_mail_test(self, address=RECIPIENT):
        return subprocess.run(
            [TFA, "mail", "test", address, "--config", self.config, "--data-dir", self.data_dir],
            capture_output=True, text=True, timeout=TIMEOUT, env=clean_environment())

    def assert_test_message(self, raw):
        """`raw` is a well-formed tfa test message to RECIPIENT."""
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), "bare LF in the message")
        self.assertNotIn(b"\r", raw.replace(b"\r\n", b""), "bare CR in the message")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.assertEqual(message["From"].addresses[0].addr_spec, "security@example.com")
        self.assertEqual(message["From"].addresses[0].display_name, "Example Cloud")
        self.assertEqual(message["To"].addresses[0].addr_spec, RECIPIENT)
        self.assertEqual(str(message["Subject"]), "tfa test message")
        self.assertEqual(message["MIME-Version"], "1.0")
        date = email.utils.parsedate_to_datetime(str(message["Date"]))
        self.assertLess(abs(time.time() - date.timestamp()), 300)
        self.assertTrue(str(message["Date"]).endswith("+0000"), message["Date"])
        self.assertRegex(str(message["Message-ID"]), r"^<[0-9a-f]{32}@example\.com>$")
        self.assertEqual(message.get_content_type(), "multipart/alternative")
        self.assertEqual(message.defects, [])
        parts = list(message.iter_parts())
        self.assertEqual([p.get_content_type() for p in parts], ["text/plain", "text/html"])
        for part in parts:
            self.assertEqual(part.get_content_charset(), "utf-8")
            self.assertEqual(part["Content-Transfer-Encoding"], "base64")
            self.assertEqual(part.defects, [])
        self.assertIn("test message from tfa", parts[0].get_content())
        self.assertIn("<code>tfa mail test</code>", parts[1].get_content())
        for line in raw.split(b"\r\n"):
            self.assertLessEqual(len(line), 78, line)
        return message

    def assert_failed_cleanly(self, result, *secrets):
        self.assertEqual(result.returncode, 1, result)
        self.assertEqual(result.stdout, "")
        self.assertRegex(result.stderr, r"\Atfa: [^\n]+\n\Z")
        for secret in secrets:
            self.assertNotIn(secret, result.stderr)

    # (a) delivery with AUTH
    def test_delivers_to_an_smtp_server_with_auth(self):
        server = self.start_server("--user", USER, "--password", PASSWORD)
        self.write_config(smtp_url=f"smtp://127.0.0.1:{server.port}", smtp_username=USER,
                          smtp_password=PASSWORD)
        result = self.tfa_mail_test()
        self.assertEqual(result.returncode, 0, result)
        self.assertEqual(result.stdout, f"sent test message to {RECIPIENT}\n")
        received = server.messages()
        self.assertEqual(len(received), 1)
        envelope, raw = received[0]
        self.assertEqual(envelope["mail_from"], "security@example.com")
        self.assertEqual(envelope["rcpt_tos"], [RECIPIENT])
        self.assertEqual(envelope["auth"], USER)
        self.assert_test_message(raw)
        self.assertFalse(os.path.exists(os.path.join(self.data_dir, "outbox")))

    def test_delivers_without_auth_when_no_username_is_set(self):
        server = self.start_server()
        self.write_config(smtp_url=f"smtp://127.0.0.1:{server.port}")
        result = self.tfa_mail_test()
        self.assertEqual(result.returncode, 0, result)
        (envelope, raw), = server.messages()
        self.assertIsNone(envelope["auth"])
        self.assert_test_message(raw)

    # (b) a wrong password
    def test_wrong_password_fails_without_showing_it(self):
        server = self.start_server("--user", USER, "--password", PASSWORD)
        wrong = "wrong-password-1234"
        self.write_config(smtp_url=f"smtp://127.0.0.1:{server.port}", smtp_username=USER,
                          smtp_password=wrong)
        result = self.tfa_mail_test()
        self.assert_failed_cleanly(result, wrong, PASSWORD)
        self.assertIn(RECIPIENT, result.stderr)
        self.assertRegex(result.stderr.lower(), r"login|auth|535")
        self.assertEqual(server.messages(expected=0, wait=0), [])

    # (c) nothing listening
    def test_unreachable_server_fails(self):
        self.write_config(smtp_url=f"smtp://127.0.0.1:{closed_port()}", smtp_username=USER,
                          smtp_password=PASSWORD)
        result = self.tfa_mail_test()
        self.assert_failed_cleanly(result, PASSWORD)
        self.assertRegex(result.stderr.lower(), r"connect")

    # (d) no smtp_url: the outbox
    def test_writes_to_the_outbox_without_an_smtp_url(self):
        self.write_config()
        result = self.tfa_mail_test()
        self.assertEqual(result.returncode, 0, result)
        outbox = os.path.join(self.data_dir, "outbox")
        self.assertTrue(result.stdout.startswith(f"sent test message to {RECIPIENT}\n"), result)
        self.assertIn(outbox, result.stdout)
        files = os.listdir(outbox)
        self.assertEqual(len(files), 1, files)
        self.assertRegex(files[0], r"^\d{8}T\d{6}Z-[0-9a-f]{6}\.eml$")
        path = os.path.join(outbox, files[0])
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(outbox).st_mode), 0o700)
        with open(path, "rb") as f:
            self.assert_test_message(f.read())

    # (e) STARTTLS with a throwaway certificate
    def make_certificate(self):
        cert = os.path.join(self.tmp, "cert.pem")
        key = os.path.join(self.tmp, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", key, "-out", cert],
            check=True, capture_output=True, timeout=TIMEOUT)
        return cert, key

    def test_starttls_delivers_with_a_trusted_certificate(self):
        cert, key = self.make_certificate()
        server = self.start_server("--user", USER, "--password", PASSWORD,
                                   "--starttls-cert", cert, "--starttls-key", key)
        self.write_config(smtp_url=f"smtp://127.0.0.1:{server.port}", smtp_username=USER,
                          smtp_password=PASSWORD, smtp_starttls=True, smtp_ca_file=cert)
        result = self.tfa_mail_test()
        self.assertEqual(result.returncode, 0, result)
        (envelope, raw), = server.messages()
        self.assertTrue(envelope["tls"])
        self.assertEqual(envelope["auth"], USER)
        self.assert_test_message(raw)

    def test_starttls_refuses_an_untrusted_certificate(self):
        cert, key = self.make_certificate()
        server = self.start_server("--starttls-cert", cert, "--starttls-key", key)
        # No smtp_ca_file: the system's CAs do not know the self-signed certificate.
        self.write_config(smtp_url=f"smtp://127.0.0.1:{server.port}", smtp_starttls=True)
        self.assert_failed_cleanly(self.tfa_mail_test())
        self.assertEqual(server.messages(expected=0, wait=0), [])

    def test_starttls_required_but_not_offered_fails(self):
        server = self.start_server("--user", USER, "--password", PASSWORD)
        self.write_config(smtp_url=f"smtp://127.0.0.1:{server.port}", smtp_username=USER,
                          smtp_password=PASSWORD, smtp_starttls=True)
        self.assert_failed_cleanly(self.tfa_mail_test(), PASSWORD)
        self.assertEqual(server.messages(expected=0, wait=0), [])

    # (f) smtps://: TLS from the first byte
    def test_smtps_delivers_with_a_trusted_certificate(self):
        cert, key = self.make_certificate()
        server = self.start_server("--user", USER, "--password", PASSWORD,
                                   "--tls-cert", cert, "--tls-key", key)
        self.write_config(smtp_url=f"smtps://127.0.0.1:{server.port}", smtp_username=USER,
                          smtp_password=PASSWORD, smtp_ca_file=cert)
        result = self.tfa_mail_test()
        self.assertEqual(result.returncode, 0, result)
        self.assertEqual(result.stdout, f"sent test message to {RECIPIENT}\n")
        (envelope, raw), = server.messages()
        self.assertTrue(envelope["tls"])
        self.assertEqual(envelope["auth"], USER)
        self.assertEqual(envelope["rcpt_tos"], [RECIPIENT])
        self.assert_test_message(raw)

    def test_smtps_refuses_an_untrusted_certificate(self):
        cert, key = self.make_certificate()
        server = self.start_server("--user", USER, "--password", PASSWORD,
                                   "--tls-cert", cert, "--tls-key", key)
        # No smtp_ca_file: the system's CAs do not know the self-signed certificate.
        self.write_config(smtp_url=f"smtps://127.0.0.1:{server.port}", smtp_username=USER,
                          smtp_password=PASSWORD)
        self.assert_failed_cleanly(self.tfa_mail_test(), PASSWORD)
        self.assertEqual(server.messages(expected=0, wait=0), [])

    def test_smtps_refuses_a_certificate_for_another_host(self):
        # Trusted, but made out to another name: the host name check refuses it.
        cert = os.path.join(self.tmp, "other.pem")
        key = os.path.join(self.tmp, "other-key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=mail.example.com", "-addext", "subjectAltName=DNS:mail.example.com",
             "-keyout", key, "-out", cert],
            check=True, capture_output=True, timeout=TIMEOUT)
        server = self.start_server("--tls-cert", cert, "--tls-key", key)
        self.write_config(smtp_url=f"smtps://127.0.0.1:{server.port}", smtp_ca_file=cert)
        self.assert_failed_cleanly(self.tfa_mail_test())
        self.assertEqual(server.messages(expected=0, wait=0), [])

    # the command's own checks
    def test_bad_address_and_bad_config_are_usage_errors(self):
        self.write_config()
        result = self.tfa_mail_test("not-an-address")
        self.assertEqual(result.returncode, 2, result)
        self.write_config(smtp_url="http://mail.example.com", smtp_password=PASSWORD)
        result = self.tfa_mail_test()
        self.assertEqual(result.returncode, 2, result)
        self.assertIn("mail.smtp_url", result.stderr)
        self.assertNotIn(PASSWORD, result.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    TFA = os.path.abspath(sys.argv.pop(1))
    unittest.main()
