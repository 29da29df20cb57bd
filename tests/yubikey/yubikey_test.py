#!/usr/bin/python3
"""YubiKeys through `tfa serve` and `tfa yubikey`, with OTPs made by two independent
generators (ykgenerate from libyubikey, and python3-yubiotp) standing in for a key:

- the import command: one key, the Personalization Tool's CSV, duplicates, bad input;
- tfa's validation server checked by Yubico's own client, ykclient: OK, REPLAYED_OTP,
  BAD_OTP, BAD_SIGNATURE, NO_SUCH_CLIENT for a revoked client;
- the console: register a key by its OTP, sign in with a fresh one, a replay refused, a key
  of another account refused, remove it;
- the API: a Yubico OTP accepted where a code is, registration and removal;
- remote mode: a second tfa asking the first one as its validation server.

    /usr/bin/python3 yubikey_test.py PATH/TO/tfa [unittest options]
"""
import binascii
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
import console_test  # noqa: E402
import server_test  # noqa: E402
from console_test import PASSWORD, ConsoleCase, unique_name  # noqa: E402
from console_test import Outbox  # noqa: E402
from server_test import Server  # noqa: E402

from yubiotp.otp import OTP, encode_otp  # noqa: E402

MODHEX = "cbdefghijklnrtuv"


def modhex(data):
    return "".join(MODHEX[b >> 4] + MODHEX[b & 15] for b in data)


class SoftKey:
    """A YubiKey in software: its secrets, and counters that move on with every touch. OTPs
    come alternately from ykgenerate and from python3-yubiotp."""

    def __init__(self):
        self.public_id = "vv" + modhex(secrets.token_bytes(5))
        self.private_id = secrets.token_bytes(6)
        self.aes_key = secrets.token_bytes(16)
        self.usage = 1
        self.session = 0
        self.touches = 0

    def otp(self):
        self.session += 1
        self.touches += 1
        if self.touches % 2:
            token = subprocess.run(
                ["ykgenerate", self.aes_key.hex(), self.private_id.hex(), f"{self.usage:04x}",
                 f"{self.session * 8:04x}", "00", f"{self.session:02x}"],
                check=True, capture_output=True, text=True).stdout.strip()
            assert re.fullmatch(f"[{MODHEX}]{{32}}", token), token
            return self.public_id + token
        otp = OTP(self.private_id, self.usage, self.session * 8, self.session, secrets.randbelow(65536))
        return encode_otp(otp, self.aes_key, self.public_id.encode()).decode()

    def forged(self):
        """An OTP of this public ID under another AES key."""
        otp = OTP(self.private_id, self.usage, 0, self.session + 1, 1)
        return encode_otp(otp, secrets.token_bytes(16), self.public_id.encode()).decode()

    def import_args(self):
        return [self.public_id, self.private_id.hex(), self.aes_key.hex()]


def tfa(data_dir, *args, stdin=None, env=None):
    return subprocess.run([server_test.TFA, *args, "--data-dir", data_dir], input=stdin, text=True,
                          capture_output=True, env=server_test.clean_environment(**(env or {})))


def data_of(server):
    return os.path.join(server.dir, "data")


def import_key(server, key=None):
    key = key or SoftKey()
    out = tfa(data_of(server), "yubikey", "import", *key.import_args())
    assert out.returncode == 0, out.stderr
    return key


def add_client(server):
    out = tfa(data_of(server), "yubikey", "client", "add", "--name", "test")
    assert out.returncode == 0, out.stderr
    client_id = re.search(r"^client id: (\d+)$", out.stdout, re.M).group(1)
    api_key = re.search(r"^api key: (\S+)$", out.stdout, re.M).group(1)
    return client_id, api_key


def api_call(server, method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    try:
        headers = {"Connection": "close"}
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=data, headers=headers)
        raw = conn.getresponse()
        text = raw.read().decode()
        return raw.status, (json.loads(text) if text else None)
    finally:
        conn.close()


class ImportCommandTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tfa-yubikey-import-")
        self.data = os.path.join(self.dir, "data")

    def test_one_key_then_a_duplicate_then_replace_then_remove(self):
        key = SoftKey()
        first = tfa(self.data, "yubikey", "import", *key.import_args())
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("imported 1 YubiKey", first.stdout)
        again = tfa(self.data, "yubikey", "import", *key.import_args())
        self.assertEqual(again.returncode, 2)
        self.assertIn("already imported", again.stderr)
        replaced = tfa(self.data, "yubikey", "import", *key.import_args(), "--replace")
        self.assertEqual(replaced.returncode, 0, replaced.stderr)
        listed = tfa(self.data, "yubikey", "list")
        self.assertIn(key.public_id, listed.stdout)
        self.assertEqual(tfa(self.data, "yubikey", "remove", key.public_id).returncode, 0)
        self.assertNotIn(key.public_id, tfa(self.data, "yubikey", "list").stdout)
        self.assertNotEqual(tfa(self.data, "yubikey", "remove", key.public_id).returncode, 0)

    def test_the_personalization_tools_csv(self):
        keys = [SoftKey(), SoftKey()]
        path = os.path.join(self.dir, "configuration_log.csv")
        with open(path, "w") as f:
            f.write("LOGGING START,12/02/26 06:00\n")
            for key in keys:
                f.write(f"Yubico OTP,12/02/26 06:01,1,{key.public_id},{key.private_id.hex()},"
                        f"{key.aes_key.hex()},,,0,0,0,0,0,0,0,0,0,0\n")
        out = tfa(self.data, "yubikey", "import", "--csv", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("imported 2 YubiKeys", out.stdout)
        listed = tfa(self.data, "yubikey", "list").stdout
        for key in keys:
            self.assertIn(key.public_id, listed)

    def test_bad_input_is_exit_2_and_imports_nothing(self):
        for args in (["vvcccchnrhbx", "8792ebfe26cc", "ecde18dbe76fbd0c33330f1c354871db"],  # x: not modhex
                     ["vvcccchnrhbr", "8792ebfe26", "ecde18dbe76fbd0c33330f1c354871db"],
                     ["vvcccchnrhbr", "8792ebfe26cc", "ecde18dbe76fbd0c33330f1c354871"]):
            out = tfa(self.data, "yubikey", "import", *args)
            self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
        self.assertEqual(tfa(self.data, "yubikey", "list").stdout, "")


class ValidationServerTest(server_test.OwnServer, unittest.TestCase):
    """tfa's /wsapi/2.0/verify, asked by Yubico's own client."""

    def ykclient(self, client_id, api_key, otp):
        out = subprocess.run(
            ["ykclient", "--debug", "--url", f"http://127.0.0.1:{self.server.port}/wsapi/2.0/verify",
             "--apikey", api_key, client_id, otp], capture_output=True, text=True, timeout=30)
        status = re.search(r"^\s*status: (\S+)", out.stdout + out.stderr, re.M)
        return out.returncode, status.group(1) if status else None

    def test_ok_then_replayed_otp(self):
        key = import_key(self.server)
        client_id, api_key = add_client(self.server)
        otp = key.otp()
        self.assertEqual(self.ykclient(client_id, api_key, otp), (0, "OK"))
        self.assertEqual(self.ykclient(client_id, api_key, otp), (2, "REPLAYED_OTP"))
        self.assertEqual(self.ykclient(client_id, api_key, key.otp()), (0, "OK"))

    def test_a_forged_otp_is_bad_otp(self):
        key = import_key(self.server)
        client_id, api_key = add_client(self.server)
        code, status = self.ykclient(client_id, api_key, key.forged())
        self.assertEqual(status, "BAD_OTP")
        self.assertNotEqual(code, 0)
        unknown = SoftKey()  # never imported
        self.assertEqual(self.ykclient(client_id, api_key, unknown.otp())[1], "BAD_OTP")

    def test_a_bad_signature_is_bad_signature_and_uses_up_nothing(self):
        key = import_key(self.server)
        client_id, api_key = add_client(self.server)
        wrong_key = binascii.b2a_base64(secrets.token_bytes(20), newline=False).decode()
        otp = key.otp()
        code, status = self.ykclient(client_id, wrong_key, otp)
        self.assertEqual(status, "BAD_SIGNATURE")
        self.assertNotEqual(code, 0)
        self.assertEqual(self.ykclient(client_id, api_key, otp), (0, "OK"))

    def test_a_revoked_client_is_no_such_client(self):
        key = import_key(self.server)
        client_id, api_key = add_client(self.server)
        self.assertEqual(tfa(data_of(self.server), "yubikey", "client", "revoke", client_id).returncode, 0)
        self.assertIn("revoked", tfa(data_of(self.server), "yubikey", "client", "list").stdout)
        code, status = self.ykclient(client_id, api_key, key.otp())
        self.assertEqual(status, "NO_SUCH_CLIENT")
        self.assertNotEqual(code, 0)


class YubiKeyCase(ConsoleCase):
    def register(self, browser, otp, label="Work key"):
        """Confirms the password if needed and posts `otp` on the YubiKey page."""
        page = browser.get("/profile/security/yubikey")
        if page.status == 303:
            confirm = browser.get(page.header("Location"))
            self.assertEqual(confirm.status, 200, confirm.body[:500])
            r = browser.post("/profile/security/enable",
                             {"csrf": confirm.csrf(), "password": PASSWORD, "next": "yubikey"})
            self.assert_redirect(r, "/profile/security/yubikey")
            page = browser.get("/profile/security/yubikey")
        self.assertEqual(page.status, 200, page.body[:500])
        self.assertIn("Insert your YubiKey and touch it", page.body)
        return browser.post("/profile/security/yubikey", {"csrf": page.csrf(), "otp": otp, "label": label})

    def sign_in_with(self, browser, name, otp):
        """Password, then the "Use your YubiKey" page; the answer to the OTP."""
        self.assert_redirect(self.sign_in(browser, name), "/login/code")
        code_page = browser.get("/login/code")
        self.assertIn('href="/login/yubikey"', code_page.body)
        self.assertIn("Use your YubiKey", code_page.body)
        page = browser.get("/login/yubikey")
        self.assertEqual(page.status, 200)
        return browser.post("/login/code", {"csrf": page.csrf(), "code": otp, "via": "yubikey"})


class ConsoleTest(server_test.OwnServer, YubiKeyCase):
    def test_an_app_enrollment_left_open_while_a_key_turned_two_factor_on_is_refused(self):
        key = import_key(self.server)
        browser = self.browser()
        self.signup(browser)
        secret, enroll_page = self.start_enrollment(browser)
        codes = self.assert_enabled(self.register(browser, key.otp()))
        r = browser.post("/profile/security/enroll", {"csrf": enroll_page.csrf(), "code": console_test.totp(secret, time.time())})
        self.assert_html_error(r, 409, "Two-factor authentication is already on")
        self.assertIn("Your backup codes have not changed", r.body)
        security = browser.get("/profile/security")
        self.assertIn("Backup codes left: <strong>10</strong>", security.body)
        self.assertNotIn("Authenticator app", security.body)
        self.assertEqual(len(codes), 10)

    def test_register_sign_out_and_sign_in_with_a_fresh_otp(self):
        key = import_key(self.server)
        browser = self.browser()
        name = self.signup(browser)
        self.assert_enabled(self.register(browser, key.otp()))  # the first factor: backup codes
        security = browser.get("/profile/security")
        self.assertIn("Two-factor authentication is on.", security.body)
        self.assertIn(f"YubiKey \u201cWork key\u201d ({key.public_id})", security.body)
        self.assertIn("YubiKey added", security.body)
        self.sign_out(browser)

        otp = key.otp()
        self.assert_redirect(self.sign_in_with(browser, name, otp), "/profile/security")
        self.assertTrue(self.is_signed_in(browser))
        self.assertIn("Signed in with a YubiKey", browser.get("/profile/security").body)
        self.sign_out(browser)

        # The same OTP again is a replay; an older one too.
        replay = self.sign_in_with(browser, name, otp)
        self.assert_html_error(replay, 401, "not accepted")
        self.assertFalse(self.is_signed_in(browser))
        mail = Outbox(self.server).wait_for(f"{name}@example.com", "two-factor authentication was turned on")
        self.assertTrue(mail)

    def test_a_key_of_another_account_or_a_forged_otp_does_not_sign_in(self):
        mine, theirs = import_key(self.server), import_key(self.server)
        owner, other = self.browser(), self.browser()
        name = self.signup(owner)
        self.assert_enabled(self.register(owner, mine.otp()))
        self.signup(other)
        self.assert_enabled(self.register(other, theirs.otp()))
        self.sign_out(owner)
        browser = self.browser()
        self.assert_html_error(self.sign_in_with(browser, name, theirs.otp()), 401, "not accepted")
        self.assert_html_error(self.sign_in_with(browser, name, mine.forged()), 401, "not accepted")
        self.assert_redirect(self.sign_in_with(browser, name, mine.otp()), "/profile/security")

    def test_a_key_is_registered_once_and_an_unknown_key_not_at_all(self):
        key = import_key(self.server)
        first, second = self.browser(), self.browser()
        self.signup(first)
        self.assert_enabled(self.register(first, key.otp()))
        self.signup(second)
        self.assert_html_error(self.register(second, key.otp()), 409, "already registered")
        self.assert_html_error(self.register(second, SoftKey().otp()), 400, "not accepted")
        self.assert_html_error(self.register(second, "not an otp"), 400, "not accepted")
        self.assertFalse(self.two_factor_state(second))

    def test_adding_a_second_key_and_removing_keys(self):
        one, two = import_key(self.server), import_key(self.server)
        browser = self.browser()
        name = self.signup(browser)
        self.assert_enabled(self.register(browser, one.otp(), "Key one"))
        # With 2FA on, another key is just added: no new backup codes.
        self.assert_redirect(self.register(browser, two.otp(), "Key two"), "/profile/security")
        self.assertIn("a YubiKey was added",
                      " ".join(m["Subject"] for m in Outbox(self.server).wait_for(f"{name}@example.com", "YubiKey was added")))
        manage = browser.get("/profile/security/manage")
        self.assertEqual(manage.status, 200)
        ids = re.findall(r'name="factor" value="(\d+)"', manage.body)
        self.assertEqual(len(ids), 2, manage.body[:3000])
        self.assertIn("Key one", manage.body)
        removed = browser.post("/profile/security/yubikey/remove", {"csrf": manage.csrf(), "factor": ids[0]})
        self.assert_redirect(removed, "/profile/security/manage")
        # The last one is the only second factor: refused, and it still works.
        last = browser.post("/profile/security/yubikey/remove", {"csrf": manage.csrf(), "factor": ids[1]})
        self.assert_html_error(last, 409, "only second factor")
        self.assert_html_error(
            browser.post("/profile/security/yubikey/remove", {"csrf": manage.csrf(), "factor": "999999"}), 404)
        self.sign_out(browser)
        self.assert_html_error(self.sign_in_with(self.browser(), name, one.otp()), 401)
        self.assert_redirect(self.sign_in_with(self.browser(), name, two.otp()), "/profile/security")

    def test_a_touch_turns_two_factor_off_from_the_profile(self):
        key = import_key(self.server)
        browser = self.browser()
        self.signup(browser)
        self.assert_enabled(self.register(browser, key.otp()))
        manage = browser.get("/profile/security/manage")
        self.assertEqual(manage.status, 200)
        self.assertIn('maxlength="64"', manage.body)
        wrong = browser.post("/profile/security/disable", {"csrf": manage.csrf(), "code": key.forged()})
        self.assert_html_error(wrong, 401, "touch your YubiKey")
        self.assertTrue(self.two_factor_state(browser))
        self.assert_redirect(browser.post("/profile/security/disable", {"csrf": manage.csrf(), "code": key.otp()}),
                             "/profile/security")
        self.assertFalse(self.two_factor_state(browser))

    def test_registering_needs_a_fresh_password_confirmation_and_csrf(self):
        key = import_key(self.server)
        browser = self.browser()
        self.signup(browser)
        self.assert_redirect(browser.get("/profile/security/yubikey"), "/profile/security/enable?next=yubikey")
        csrf = browser.csrf_of("/profile/security")
        self.assert_redirect(browser.post("/profile/security/yubikey", {"csrf": csrf, "otp": key.otp()}),
                             "/profile/security/enable?next=yubikey")
        self.assert_html_error(browser.post("/profile/security/yubikey", {"csrf": "nope", "otp": key.otp()}), 403)
        self.assertFalse(self.two_factor_state(browser))


class ApiTest(server_test.OwnServer, unittest.TestCase):
    def add_user(self):
        name = unique_name("api")
        out = tfa(data_of(self.server), "user", "add", name, "--email", f"{name}@example.com",
                  "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        return name

    def token(self, name, otp=None):
        body = {"username": name, "password": PASSWORD}
        if otp:
            body["otp"] = otp
        status, answer = api_call(self.server, "POST", "/api/v1/auth/login", body)
        self.assertEqual(status, 200, answer)
        return answer["token"]

    def test_register_sign_in_with_an_otp_and_remove(self):
        key, spare = import_key(self.server), import_key(self.server)
        name = self.add_user()
        token = self.token(name)
        status, added = api_call(self.server, "POST", "/api/v1/me/yubikeys",
                                 {"password": PASSWORD, "otp": key.otp(), "label": "Desk"}, token)
        self.assertEqual(status, 201, added)
        self.assertEqual((added["label"], added["public_id"], added["enabled"]), ("Desk", key.public_id, True))
        self.assertEqual(len(added["backup_codes"]), 10)

        status, body = api_call(self.server, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["message"], "Additional authentications steps required.")
        otp = key.otp()
        signed = self.token(name, otp)
        status, _ = api_call(self.server, "POST", "/api/v1/auth/login",
                             {"username": name, "password": PASSWORD, "otp": otp})
        self.assertEqual(status, 401, "a replayed OTP")
        status, me = api_call(self.server, "GET", "/api/v1/me", token=signed)
        self.assertEqual(status, 200)
        factors = me["two_factor"]["factors"]
        self.assertEqual([(f["type"], f["public_id"]) for f in factors], [("yubico", key.public_id)])

        # A second key, then the first removed; the last one cannot be.
        status, second = api_call(self.server, "POST", "/api/v1/me/yubikeys",
                                  {"password": PASSWORD, "otp": spare.otp()}, signed)
        self.assertEqual(status, 201, second)
        self.assertNotIn("backup_codes", second)
        self.assertEqual(second["label"], "YubiKey")
        status, _ = api_call(self.server, "DELETE", f"/api/v1/me/yubikeys/{added['factor_id']}",
                             {"password": "wrong password"}, signed)
        self.assertEqual(status, 401)
        status, _ = api_call(self.server, "DELETE", f"/api/v1/me/yubikeys/{added['factor_id']}",
                             {"password": PASSWORD}, signed)
        self.assertEqual(status, 204)
        status, body = api_call(self.server, "DELETE", f"/api/v1/me/yubikeys/{second['factor_id']}",
                                {"password": PASSWORD}, signed)
        self.assertEqual(status, 409, body)
        status, _ = api_call(self.server, "POST", "/api/v1/auth/login",
                             {"username": name, "password": PASSWORD, "otp": key.otp()})
        self.assertEqual(status, 401, "a removed key")
        self.token(name, spare.otp())

    def test_a_touch_creates_an_api_key_and_turns_two_factor_off(self):
        key = import_key(self.server)
        name = self.add_user()
        token = self.token(name)
        status, _ = api_call(self.server, "POST", "/api/v1/me/yubikeys", {"password": PASSWORD, "otp": key.otp()}, token)
        self.assertEqual(status, 201)
        status, body = api_call(self.server, "POST", "/api/v1/keys",
                                {"name": "deploy", "password": PASSWORD, "otp": key.forged()}, token)
        self.assertEqual(status, 401, body)
        status, body = api_call(self.server, "POST", "/api/v1/keys",
                                {"name": "deploy", "password": PASSWORD, "otp": key.otp()}, token)
        self.assertEqual(status, 201, body)
        status, body = api_call(self.server, "POST", "/api/v1/me/two-factor/disable",
                                {"password": PASSWORD, "code": key.otp()}, token)
        self.assertEqual((status, body), (200, {"enabled": False}))

    def test_an_app_enrollment_begun_before_a_key_turned_two_factor_on_cannot_be_confirmed(self):
        key = import_key(self.server)
        name = self.add_user()
        token = self.token(name)
        status, started = api_call(self.server, "POST", "/api/v1/me/totp", {"password": PASSWORD}, token)
        self.assertEqual(status, 201, started)
        status, added = api_call(self.server, "POST", "/api/v1/me/yubikeys", {"password": PASSWORD, "otp": key.otp()},
                                 token)
        self.assertEqual(status, 201, added)
        code = console_test.totp(started["secret"], time.time())
        status, body = api_call(self.server, "POST", "/api/v1/me/totp/confirm",
                                {"factor_id": started["factor_id"], "code": code}, token)
        self.assertEqual((status, body["error"]["message"]), (409, "Two-factor authentication is already enabled."))
        status, me = api_call(self.server, "GET", "/api/v1/me", token=token)
        self.assertEqual([f["type"] for f in me["two_factor"]["factors"]], ["yubico"])
        # The backup codes that came with the key still work.
        self.token(name, added["backup_codes"][0])

    def test_a_key_added_again_is_refused_without_using_its_otp(self):
        key = import_key(self.server)
        owner, other = self.add_user(), self.add_user()
        status, _ = api_call(self.server, "POST", "/api/v1/me/yubikeys", {"password": PASSWORD, "otp": key.otp()},
                             self.token(owner))
        self.assertEqual(status, 201)
        owner_token, other_token = self.token(owner, key.otp()), self.token(other)
        otp = key.otp()
        status, body = api_call(self.server, "POST", "/api/v1/me/yubikeys", {"password": PASSWORD, "otp": otp},
                                owner_token)
        self.assertEqual(status, 409, body)
        self.token(owner, otp)  # the OTP the refusal carried still signs its owner in
        # Another account learns that the key is taken only from a genuine OTP: a forged one
        # with the same public ID is a bad OTP, whether or not the key is registered anywhere.
        status, body = api_call(self.server, "POST", "/api/v1/me/yubikeys",
                                {"password": PASSWORD, "otp": key.forged()}, other_token)
        self.assertEqual(status, 400, body)
        status, body = api_call(self.server, "POST", "/api/v1/me/yubikeys", {"password": PASSWORD, "otp": key.otp()},
                                other_token)
        self.assertEqual(status, 409, body)

    def test_bad_registrations_are_4xx(self):
        key = import_key(self.server)
        name = self.add_user()
        token = self.token(name)
        for body, expected in (({"password": PASSWORD}, 400),
                               ({"password": PASSWORD, "otp": 7}, 400),
                               ({"password": PASSWORD, "otp": "x" * 44}, 400),
                               ({"password": PASSWORD, "otp": key.forged()}, 400),
                               ({"password": "wrong password", "otp": key.otp()}, 401)):
            status, answer = api_call(self.server, "POST", "/api/v1/me/yubikeys", body, token)
            self.assertEqual(status, expected, (body, answer))
        status, me = api_call(self.server, "GET", "/api/v1/me", token=token)
        self.assertFalse(me["two_factor"]["enabled"])


class RemoteModeTest(YubiKeyCase):
    """A second tfa in remote mode, asking the first one as its validation server."""

    @classmethod
    def setUpClass(cls):
        cls.validator = Server()
        cls.client_id, cls.api_key = add_client(cls.validator)
        cls.server = Server(
            TFA_YUBIKEY_MODE="remote",
            TFA_YUBIKEY_REMOTE_URL=f"http://127.0.0.1:{cls.validator.port}/wsapi/2.0/verify",
            TFA_YUBIKEY_REMOTE_CLIENT_ID=cls.client_id, TFA_YUBIKEY_REMOTE_API_KEY=cls.api_key)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.validator.close()

    def test_register_and_sign_in_through_the_validation_server(self):
        key = import_key(self.validator)  # known to the validation server only
        browser = self.browser()
        name = self.signup(browser)
        self.assert_enabled(self.register(browser, key.otp()))
        self.sign_out(browser)
        otp = key.otp()
        self.assert_redirect(self.sign_in_with(browser, name, otp), "/profile/security")
        self.sign_out(browser)
        self.assert_html_error(self.sign_in_with(browser, name, otp), 401, "not accepted")
        self.assert_html_error(self.sign_in_with(browser, name, key.forged()), 401, "not accepted")
        # The validation server saw each OTP: a replay there is refused here as well.
        fresh = key.otp()
        status = subprocess.run(
            ["ykclient", "--url", f"http://127.0.0.1:{self.validator.port}/wsapi/2.0/verify",
             "--apikey", self.api_key, self.client_id, fresh], capture_output=True).returncode
        self.assertEqual(status, 0)
        self.assert_html_error(self.sign_in_with(browser, name, fresh), 401, "not accepted")

    def test_a_key_unknown_to_the_validation_server_is_refused(self):
        browser = self.browser()
        self.signup(browser)
        self.assert_html_error(self.register(browser, SoftKey().otp()), 400, "not accepted")


class MisconfiguredRemoteTest(YubiKeyCase):
    """Remote mode whose answers do not verify (the wrong API key): nothing is accepted."""

    @classmethod
    def setUpClass(cls):
        cls.validator = Server()
        cls.client_id, _ = add_client(cls.validator)
        wrong = binascii.b2a_base64(secrets.token_bytes(20), newline=False).decode()
        cls.server = Server(
            TFA_YUBIKEY_MODE="remote",
            TFA_YUBIKEY_REMOTE_URL=f"http://127.0.0.1:{cls.validator.port}/wsapi/2.0/verify",
            TFA_YUBIKEY_REMOTE_CLIENT_ID=cls.client_id, TFA_YUBIKEY_REMOTE_API_KEY=wrong)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.validator.close()

    def test_registration_fails_closed(self):
        key = import_key(self.validator)
        browser = self.browser()
        self.signup(browser)
        answer = self.register(browser, key.otp())
        self.assertEqual(answer.status, 503, answer.body[:500])
        self.assertFalse(self.two_factor_state(browser))


if __name__ == "__main__":
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    console_test.server_test.TFA = server_test.TFA
    unittest.main(verbosity=2)
