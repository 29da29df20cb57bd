#!/usr/bin/python3
"""The JSON API through `tfa serve`: every endpoint and every error, the exact body of seed
002 when the second factor is missing, the code appended to the password, a reused code
refused, API keys that cannot manage 2FA, and the OpenAPI document checked against both the
server's route table and every answer these tests saw.

    /usr/bin/python3 api_test.py PATH/TO/tfa [unittest options]

Users are made with `tfa user add` on the server's data folder; TOTP codes come from oathtool.
"""
import http.client
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
import console_test  # noqa: E402
import server_test  # noqa: E402
from console_flows_test import Authenticator  # noqa: E402
from console_test import totp, unique_name  # noqa: E402
from server_test import Server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PASSWORD = "correct horse battery"
SEED_002_BODY = ('{"error": {"message": "Additional authentications steps required.", "code": 401, '
                 '"identity": null, "title": "Unauthorized"}}')
BAD_CREDENTIALS = "Incorrect username or password."
STEP = 30
# (method, path template, status) of every answer, for the OpenAPI check at the end.
OBSERVED = set()


def template_of(path):
    path = path.split("?")[0]
    return re.sub(r"/(me/devices|keys)/[^/]+$", r"/\1/{id}", path)


class Answer:
    def __init__(self, raw):
        self.status = raw.status
        self.headers = raw.msg
        self.text = raw.read().decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.text)

    def header(self, name):
        return self.headers.get(name)


class ApiCase(server_test.OwnServer, unittest.TestCase):

    def call(self, method, path, body=None, token=None, raw=None, content_type="application/json",
             headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        try:
            all_headers = {"Connection": "close", "User-Agent": "api_test"}
            data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
            if data and content_type:
                all_headers["Content-Type"] = content_type
            if token:
                all_headers["Authorization"] = f"Bearer {token}"
            all_headers.update(headers or {})
            conn.request(method, path, body=data, headers=all_headers)
            answer = Answer(conn.getresponse())
        finally:
            conn.close()
        OBSERVED.add((method, template_of(path), answer.status))
        self.assertLess(answer.status, 500, f"{method} {path}: {answer.text}")
        if path.startswith("/api/") and answer.status != 204:
            self.assertEqual(answer.header("Content-Type"), "application/json", answer.text)
            parsed = answer.json()
            if answer.status >= 400:
                error = parsed["error"]
                self.assertEqual(error["code"], answer.status)
                self.assertIsInstance(error["message"], str)
                self.assertIsInstance(error["title"], str)
                if answer.status == 401:
                    self.assertIn("identity", error)
                    self.assertIsNone(error["identity"])
        return answer

    def add_user(self, name=None):
        name = name or unique_name()
        subprocess.run([server_test.TFA, "user", "add", name, "--email", f"{name}@example.com",
                        "--password-stdin", "--data-dir", os.path.join(self.server.dir, "data")],
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True,
                       env=server_test.clean_environment(**self.server_env))
        return name

    def sign_in(self, name, password=PASSWORD, otp=None):
        body = {"username": name, "password": password}
        if otp is not None:
            body["otp"] = otp
        return self.call("POST", "/api/v1/auth/login", body)

    def token_for(self, name, **kwargs):
        answer = self.sign_in(name, **kwargs)
        self.assertEqual(answer.status, 200, answer.text)
        return answer.json()["token"]

    def enable(self, token):
        """Turns TOTP on through the API; returns (Authenticator, backup codes)."""
        started = self.call("POST", "/api/v1/me/totp", {"password": PASSWORD}, token=token)
        self.assertEqual(started.status, 201, started.text)
        body = started.json()
        step = int(time.time()) // STEP
        confirmed = self.call("POST", "/api/v1/me/totp/confirm",
                              {"factor_id": body["factor_id"], "code": totp(body["secret"], step * STEP)}, token=token)
        self.assertEqual(confirmed.status, 200, confirmed.text)
        return Authenticator(body["secret"], step * STEP), confirmed.json()["backup_codes"]

    def user_with_two_factor(self):
        name = self.add_user()
        token = self.token_for(name)
        phone, codes = self.enable(token)
        return name, token, phone, codes


class SignInTest(ApiCase):
    def test_a_user_without_2fa_gets_a_token_that_opens_me(self):
        name = self.add_user()
        answer = self.sign_in(name)
        self.assertEqual(answer.status, 200)
        body = answer.json()
        self.assertEqual(set(body), {"token", "expires_at"})
        self.assertRegex(body["expires_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        me = self.call("GET", "/api/v1/me", token=body["token"])
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json()["username"], name)
        self.assertEqual(me.json()["email"], f"{name}@example.com")
        self.assertFalse(me.json()["two_factor"]["enabled"])
        self.assertEqual(me.json()["token"]["kind"], "session")

    def test_unknown_user_and_wrong_password_get_the_same_answer(self):
        name = self.add_user()
        wrong = self.sign_in(name, password="not the password")
        unknown = self.sign_in(unique_name("nobody"), password="not the password")
        self.assertEqual(wrong.status, 401)
        self.assertEqual(wrong.text, unknown.text)
        self.assertEqual(wrong.json()["error"]["message"], BAD_CREDENTIALS)
        self.assertEqual(wrong.header("WWW-Authenticate"), unknown.header("WWW-Authenticate"))

    def test_with_2fa_the_code_is_required_with_seed_002s_exact_body(self):
        name, _, phone, _ = self.user_with_two_factor()
        missing = self.sign_in(name)
        self.assertEqual(missing.status, 401)
        self.assertEqual(missing.text, SEED_002_BODY)
        wrong = self.sign_in(name, otp=phone.wrong_code())
        self.assertEqual((wrong.status, wrong.text), (401, SEED_002_BODY))
        empty = self.sign_in(name, otp="")
        self.assertEqual((empty.status, empty.text), (401, SEED_002_BODY))
        code = phone.next_code()
        self.assertEqual(self.sign_in(name, otp=code).status, 200)
        reused = self.sign_in(name, otp=code)
        self.assertEqual((reused.status, reused.text), (401, SEED_002_BODY), "a code works once")

    def test_the_code_may_be_appended_to_the_password(self):
        name, _, phone, _ = self.user_with_two_factor()
        code = phone.next_code()
        answer = self.sign_in(name, password=PASSWORD + code)
        self.assertEqual(answer.status, 200, answer.text)
        again = self.sign_in(name, password=PASSWORD + code)
        self.assertEqual((again.status, again.text), (401, SEED_002_BODY))

    def test_a_backup_code_is_accepted_once_as_otp(self):
        name, _, _, codes = self.user_with_two_factor()
        token = self.token_for(name, otp=codes[0].upper())
        self.assertEqual(self.call("GET", "/api/v1/me", token=token).json()["two_factor"]["backup_codes_left"], 9)
        self.assertEqual(self.sign_in(name, otp=codes[0]).text, SEED_002_BODY)

    def test_sign_out_revokes_the_token(self):
        name = self.add_user()
        token = self.token_for(name)
        self.assertEqual(self.call("POST", "/api/v1/auth/logout", token=token).status, 204)
        gone = self.call("GET", "/api/v1/me", token=token)
        self.assertEqual(gone.status, 401)
        self.assertEqual(gone.json()["error"]["message"], "The token is not valid or has expired.")

    def test_a_disabled_account_loses_its_tokens(self):
        name = self.add_user()
        token = self.token_for(name)
        subprocess.run([server_test.TFA, "user", "disable", name, "--data-dir",
                        os.path.join(self.server.dir, "data")], check=True, capture_output=True,
                       env=server_test.clean_environment())
        self.assertEqual(self.call("GET", "/api/v1/me", token=token).status, 401)
        self.assertEqual(self.sign_in(name).json()["error"]["message"], BAD_CREDENTIALS)


class LockedDatabaseTest(ApiCase):
    """A database that another process keeps locked for longer than tfa waits: the sign-in
    fails with a 503 and Retry-After, not with a message about YubiKeys, the cause is in the
    server's log, and the sign-in works again once the lock is gone. The console answers the
    same way with a page of its own."""

    def locked_request(self, method, path, body, headers):
        database = sqlite3.connect(os.path.join(self.server.dir, "data", "tfa.db"), timeout=0,
                                   isolation_level=None)
        try:
            database.execute("BEGIN IMMEDIATE")  # the write lock, held past tfa's 10 s
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
            conn.request(method, path, body=body, headers={**headers, "Connection": "close"})
            answer = Answer(conn.getresponse())
            conn.close()
        finally:
            database.execute("ROLLBACK")
            database.close()
        return answer

    def test_a_locked_database_is_a_503_with_retry_after(self):
        name = self.add_user()
        locked = self.locked_request("POST", "/api/v1/auth/login",
                                     json.dumps({"username": name, "password": PASSWORD}),
                                     {"Content-Type": "application/json"})
        OBSERVED.add(("POST", "/api/v1/auth/login", locked.status))  # documented, see tearDownModule
        self.assertEqual(locked.status, 503, locked.text)
        self.assertEqual(locked.header("Retry-After"), "5")
        self.assertEqual(locked.json()["error"],
                         {"message": "The service is briefly unavailable. Try again in a few seconds.",
                          "code": 503, "title": "Service Unavailable"})
        self.assertNotIn("YubiKey", locked.text)
        self.server.wait_for_log(r"POST /api/v1/auth/login: .*database is locked")
        self.assertEqual(self.sign_in(name).status, 200)

    def test_the_console_answers_a_locked_database_with_a_page(self):
        # Opening the sign-in page starts a session, which is a write.
        locked = self.locked_request("GET", "/login", None, {})
        self.assertEqual(locked.status, 503, locked.text)
        self.assertEqual(locked.header("Retry-After"), "5")
        self.assertEqual(locked.header("Content-Type"), "text/html; charset=utf-8")
        self.assertIn("Briefly unavailable", locked.text)
        self.assertIn("Please try again in a few seconds.", locked.text)
        self.server.wait_for_log(r"GET /login: .*database is locked")
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/login", headers={"Connection": "close"})
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()


class TwoFactorSettingsTest(ApiCase):
    def test_enrollment_needs_the_password_and_a_right_code(self):
        name = self.add_user()
        token = self.token_for(name)
        wrong = self.call("POST", "/api/v1/me/totp", {"password": "nope"}, token=token)
        self.assertEqual((wrong.status, wrong.json()["error"]["message"]), (401, "Incorrect password."))
        started = self.call("POST", "/api/v1/me/totp", {"password": PASSWORD}, token=token)
        self.assertEqual(started.status, 201)
        body = started.json()
        uri = urllib.parse.urlparse(body["otpauth_uri"])
        self.assertEqual(uri.scheme, "otpauth")
        self.assertEqual(urllib.parse.parse_qs(uri.query)["secret"], [body["secret"]])
        self.assertTrue(body["qr_svg"].startswith("<svg"))
        phone = Authenticator(body["secret"], (int(time.time()) // STEP - 2) * STEP)
        bad = self.call("POST", "/api/v1/me/totp/confirm",
                        {"factor_id": body["factor_id"], "code": phone.wrong_code()}, token=token)
        self.assertEqual(bad.status, 400)
        self.assertFalse(self.call("GET", "/api/v1/me", token=token).json()["two_factor"]["enabled"])
        other = self.call("POST", "/api/v1/me/totp/confirm", {"factor_id": body["factor_id"] + 1000, "code": "123456"},
                          token=token)
        self.assertEqual(other.status, 404)
        good = self.call("POST", "/api/v1/me/totp/confirm",
                         {"factor_id": body["factor_id"], "code": phone.next_code()}, token=token)
        self.assertEqual(good.status, 200, good.text)
        codes = good.json()["backup_codes"]
        self.assertEqual(len(codes), 10)
        self.assertEqual(len(set(codes)), 10)
        me = self.call("GET", "/api/v1/me", token=token).json()["two_factor"]
        self.assertTrue(me["enabled"])
        self.assertEqual(me["backup_codes_left"], 10)
        self.assertEqual([f["type"] for f in me["factors"]], ["totp"])
        again = self.call("POST", "/api/v1/me/totp", {"password": PASSWORD}, token=token)
        self.assertEqual(again.status, 409)

    def test_regenerating_backup_codes_voids_the_old_ones(self):
        name, token, _, old = self.user_with_two_factor()
        self.assertEqual(self.call("POST", "/api/v1/me/backup-codes", {"password": "nope"}, token=token).status, 401)
        fresh = self.call("POST", "/api/v1/me/backup-codes", {"password": PASSWORD}, token=token)
        self.assertEqual(fresh.status, 200)
        new = fresh.json()["backup_codes"]
        self.assertEqual(len(new), 10)
        self.assertEqual(self.sign_in(name, otp=old[0]).text, SEED_002_BODY)
        self.assertEqual(self.sign_in(name, otp=new[0]).status, 200)

    def test_disabling_needs_password_and_code_then_sign_in_needs_no_code(self):
        name, token, phone, codes = self.user_with_two_factor()
        wrong_code = self.call("POST", "/api/v1/me/two-factor/disable",
                               {"password": PASSWORD, "code": phone.wrong_code()}, token=token)
        self.assertEqual((wrong_code.status, wrong_code.text), (401, SEED_002_BODY))
        wrong_password = self.call("POST", "/api/v1/me/two-factor/disable",
                                   {"password": "nope", "code": codes[0]}, token=token)
        self.assertEqual(wrong_password.status, 401)
        self.assertTrue(self.call("GET", "/api/v1/me", token=token).json()["two_factor"]["enabled"])
        done = self.call("POST", "/api/v1/me/two-factor/disable", {"password": PASSWORD, "code": codes[0]}, token=token)
        self.assertEqual((done.status, done.json()), (200, {"enabled": False}))
        self.assertEqual(self.sign_in(name).status, 200)
        again = self.call("POST", "/api/v1/me/two-factor/disable", {"password": PASSWORD, "code": codes[1]}, token=token)
        self.assertEqual(again.status, 409)
        self.assertEqual(self.call("POST", "/api/v1/me/backup-codes", {"password": PASSWORD}, token=token).status, 409)

    def test_a_blank_code_is_no_guess_and_throttles_nothing(self):
        name, token, phone, _ = self.user_with_two_factor()
        for i in range(8):  # more than the five free failures of the code step
            blank = self.call("POST", "/api/v1/me/two-factor/disable", {"password": PASSWORD, "code": " " * (i % 2)},
                              token=token)
            self.assertEqual((blank.status, blank.text), (401, SEED_002_BODY))
        self.assertEqual(self.sign_in(name, otp=phone.next_code()).status, 200)

    def test_devices_list_and_forget(self):
        name = self.add_user()
        token = self.token_for(name)
        self.assertEqual(self.call("GET", "/api/v1/me/devices", token=token).json(), {"devices": []})
        self.assertEqual(self.call("DELETE", "/api/v1/me/devices/12345", token=token).status, 404)
        self.assertEqual(self.call("DELETE", "/api/v1/me/devices/abc", token=token).status, 404)
        self.assertEqual(self.call("DELETE", "/api/v1/me/devices", token=token).json(), {"forgotten": 0})


class TrustedDeviceTest(ApiCase):
    def test_a_device_trusted_on_the_console_is_listed_and_forgotten_through_the_api(self):
        name, token, phone, _ = self.user_with_two_factor()
        browser = console_test.Browser(self.server)
        csrf = browser.csrf_of("/login")
        answer = browser.post("/login", {"csrf": csrf, "username": name, "password": PASSWORD})
        self.assertEqual(answer.header("Location"), "/login/code")
        answer = browser.post("/login/code", {"csrf": browser.csrf_of("/login/code"), "code": phone.next_code(),
                                              "remember": "on"})
        self.assertEqual(answer.header("Location"), "/profile/security")
        devices = self.call("GET", "/api/v1/me/devices", token=token).json()["devices"]
        self.assertEqual(len(devices), 1)
        self.assertEqual(devices[0]["user_agent"], "console_test")
        self.assertEqual(self.call("GET", "/api/v1/me", token=token).json()["two_factor"]["trusted_devices"], devices)
        # Another user cannot forget it.
        other = self.token_for(self.add_user())
        self.assertEqual(self.call("DELETE", f"/api/v1/me/devices/{devices[0]['id']}", token=other).status, 404)
        self.assertEqual(self.call("DELETE", f"/api/v1/me/devices/{devices[0]['id']}", token=token).status, 204)
        self.assertEqual(self.call("GET", "/api/v1/me/devices", token=token).json(), {"devices": []})
        # The browser is asked for the code again.
        browser.post("/logout", {"csrf": browser.csrf_of("/profile/security")})
        again = browser.post("/login", {"csrf": browser.csrf_of("/login"), "username": name, "password": PASSWORD})
        self.assertEqual(again.header("Location"), "/login/code")


class ApiKeyTest(ApiCase):
    def test_a_key_needs_password_and_code_and_then_works_without_a_code(self):
        name, token, phone, _ = self.user_with_two_factor()
        no_code = self.call("POST", "/api/v1/keys", {"name": "deploy", "password": PASSWORD}, token=token)
        self.assertEqual((no_code.status, no_code.text), (401, SEED_002_BODY))
        bad_password = self.call("POST", "/api/v1/keys", {"name": "deploy", "password": "x", "otp": phone.next_code()},
                                 token=token)
        self.assertEqual(bad_password.status, 401)
        created = self.call("POST", "/api/v1/keys",
                            {"name": "deploy", "password": PASSWORD, "otp": phone.next_code(),
                             "expires_at": "2099-01-01T00:00:00Z"}, token=token)
        self.assertEqual(created.status, 201, created.text)
        key = created.json()
        self.assertEqual(key["name"], "deploy")
        self.assertEqual(key["expires_at"], "2099-01-01T00:00:00Z")
        me = self.call("GET", "/api/v1/me", token=key["key"])
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json()["token"], {"kind": "api_key", "expires_at": "2099-01-01T00:00:00Z", "name": "deploy"})
        listed = self.call("GET", "/api/v1/keys", token=token).json()["keys"]
        self.assertEqual([k["id"] for k in listed], [key["id"]])
        self.assertNotIn("key", listed[0], "the key itself is shown once")
        self.assertIsNotNone(listed[0]["last_used_at"])
        # A key signs in without a code: its owner is told of it.
        mail = console_test.Outbox(self.server).wait_for(f"{name}@example.com", "a new API key")[-1]
        text = console_test.text_of(mail)
        self.assertIn("An API key named \u201cdeploy\u201d was made for your account.", text)
        self.assertIn("It works until 2099-01-01 00:00 UTC.", text)

    def test_a_key_cannot_manage_2fa_or_keys(self):
        name, token, phone, codes = self.user_with_two_factor()
        key = self.call("POST", "/api/v1/keys", {"name": "ci", "password": PASSWORD, "otp": phone.next_code()},
                        token=token).json()
        for method, path, body in [
            ("POST", "/api/v1/me/two-factor/disable", {"password": PASSWORD, "code": codes[0]}),
            ("POST", "/api/v1/me/backup-codes", {"password": PASSWORD}),
            ("POST", "/api/v1/me/totp", {"password": PASSWORD}),
            ("POST", "/api/v1/keys", {"name": "more", "password": PASSWORD, "otp": codes[1]}),
            ("DELETE", "/api/v1/me/devices", None),
            ("DELETE", f"/api/v1/keys/{key['id'] + 1}", None),
        ]:
            refused = self.call(method, path, body, token=key["key"])
            self.assertEqual(refused.status, 403, f"{method} {path}: {refused.text}")
        me = self.call("GET", "/api/v1/me", token=token).json()["two_factor"]
        self.assertTrue(me["enabled"])
        self.assertEqual(me["backup_codes_left"], 10, "no backup code was spent by the refused calls")

    def test_revoking_a_key_ends_it(self):
        name = self.add_user()
        token = self.token_for(name)
        key = self.call("POST", "/api/v1/keys", {"name": "temp", "password": PASSWORD}, token=token).json()
        self.assertEqual(self.call("GET", "/api/v1/me", token=key["key"]).status, 200)
        self.assertEqual(self.call("DELETE", "/api/v1/keys/999999", token=token).status, 404)
        self.assertEqual(self.call("DELETE", f"/api/v1/keys/{key['id']}", token=token).status, 204)
        self.assertEqual(self.call("GET", "/api/v1/me", token=key["key"]).status, 401)
        self.assertEqual(self.call("GET", "/api/v1/keys", token=token).json(), {"keys": []})
        # A key may retire itself.
        own = self.call("POST", "/api/v1/keys", {"name": "self", "password": PASSWORD}, token=token).json()
        self.assertEqual(self.call("DELETE", f"/api/v1/keys/{own['id']}", token=own["key"]).status, 204)
        self.assertEqual(self.call("GET", "/api/v1/me", token=own["key"]).status, 401)

    def test_bad_key_requests_are_400(self):
        name = self.add_user()
        token = self.token_for(name)
        for body in [{"name": "", "password": PASSWORD}, {"name": "x" * 65, "password": PASSWORD},
                     {"name": "a\nb", "password": PASSWORD}, {"name": 5, "password": PASSWORD},
                     {"name": "k", "password": PASSWORD, "expires_at": "tomorrow"},
                     {"name": "k", "password": PASSWORD, "expires_at": "2001-01-01T00:00:00Z"}]:
            self.assertEqual(self.call("POST", "/api/v1/keys", body, token=token).status, 400, body)
        self.assertEqual(self.call("GET", "/api/v1/keys", token=token).json(), {"keys": []})

    def test_a_refused_key_request_leaves_the_code_unused(self):
        name, token, phone, codes = self.user_with_two_factor()
        code = phone.next_code()
        for bad in [{"name": ""}, {"name": "k", "expires_at": "2001-01-01T00:00:00Z"}]:
            for otp in (codes[0], code):
                refused = self.call("POST", "/api/v1/keys", {**bad, "password": PASSWORD, "otp": otp}, token=token)
                self.assertEqual(refused.status, 400, refused.text)
        self.assertEqual(self.call("GET", "/api/v1/me", token=token).json()["two_factor"]["backup_codes_left"], 10)
        for otp in (codes[0], code):
            created = self.call("POST", "/api/v1/keys", {"name": "k", "password": PASSWORD, "otp": otp}, token=token)
            self.assertEqual(created.status, 201, f"{otp}: {created.text}")

    def test_expires_at_takes_any_rfc_3339_form_and_answers_in_utc(self):
        token = self.token_for(self.add_user())
        for sent in ("2099-01-01T01:30:00+01:30", "2098-12-31t19:00:00.250-05:00", "2099-01-01T00:00:00z"):
            created = self.call("POST", "/api/v1/keys", {"name": "k", "password": PASSWORD, "expires_at": sent},
                                token=token)
            self.assertEqual(created.status, 201, created.text)
            self.assertEqual(created.json()["expires_at"], "2099-01-01T00:00:00Z", sent)

    def test_a_name_is_counted_in_characters_and_has_no_control_characters(self):
        name = self.add_user()
        token = self.token_for(name)
        accepted = self.call("POST", "/api/v1/keys", {"name": "\u00e9" * 64, "password": PASSWORD}, token=token)
        self.assertEqual(accepted.status, 201, accepted.text)
        self.assertEqual(accepted.json()["name"], "\u00e9" * 64)
        for bad in ["\u00e9" * 65, "a\u0085b", "a\u007fb", "a\u0000b"]:
            refused = self.call("POST", "/api/v1/keys", {"name": bad, "password": PASSWORD}, token=token)
            self.assertEqual(refused.status, 400, ascii(bad))


def totp8(secret, at):
    """An 8-digit code of the step that holds Unix time `at`, from oathtool."""
    out = subprocess.run(["oathtool", "--totp", "-d", "8", "-b", secret, "-N", f"@{int(at)}"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


class EightDigitCodesTest(ApiCase):
    """login.totp_digits = 8: new factors have 8-digit codes, which oathtool computes from the
    secret the API hands out; the otpauth URI says so; a code cut to 6 digits is no code."""
    server_env = {"TFA_LOGIN_TOTP_DIGITS": "8"}

    def test_enrollment_and_sign_in_with_eight_digit_codes(self):
        name = self.add_user()
        token = self.token_for(name)
        # Three codes of three steps, one before and one after now (the window allows both),
        # so nothing waits for the clock; started early in a step, so that it does not move on.
        while time.time() % STEP > STEP - 8:
            time.sleep(0.5)
        now = int(time.time()) // STEP
        started = self.call("POST", "/api/v1/me/totp", {"password": PASSWORD}, token=token)
        self.assertEqual(started.status, 201, started.text)
        body = started.json()
        self.assertEqual(urllib.parse.parse_qs(urllib.parse.urlparse(body["otpauth_uri"]).query)["digits"], ["8"])
        codes = [totp8(body["secret"], step * STEP) for step in (now - 1, now, now + 1)]
        self.assertEqual([len(code) for code in codes], [8, 8, 8])
        short = self.call("POST", "/api/v1/me/totp/confirm", {"factor_id": body["factor_id"], "code": codes[0][2:]},
                          token=token)
        self.assertEqual(short.status, 400, "six of the eight digits")
        confirmed = self.call("POST", "/api/v1/me/totp/confirm", {"factor_id": body["factor_id"], "code": codes[0]},
                              token=token)
        self.assertEqual(confirmed.status, 200, confirmed.text)

        cut = self.sign_in(name, otp=codes[1][2:])
        self.assertEqual((cut.status, cut.text), (401, SEED_002_BODY))
        self.assertEqual(self.sign_in(name, otp=codes[1]).status, 200)
        again = self.sign_in(name, otp=codes[1])
        self.assertEqual((again.status, again.text), (401, SEED_002_BODY), "a code works once")
        appended = self.sign_in(name, PASSWORD + codes[2])
        self.assertEqual(appended.status, 200, "eight digits after the password")


class ErrorsTest(ApiCase):
    def test_malformed_json_wrong_types_and_missing_fields_are_400(self):
        for raw in [b"{", b"[]", b"\"x\"", b"{\"username\": \"a\", \"password\": }", b"\xff\xfe"]:
            self.assertEqual(self.call("POST", "/api/v1/auth/login", raw=raw).status, 400, raw)
        for body in [{"username": 5, "password": "x"}, {"username": "a", "password": ["x"]},
                     {"username": "a", "password": "x", "otp": 123456}, {"password": "x"}, {"username": "a"}]:
            answer = self.call("POST", "/api/v1/auth/login", body)
            self.assertEqual(answer.status, 400, body)

    def test_the_wrong_content_type_is_415(self):
        answer = self.call("POST", "/api/v1/auth/login", raw=b"username=a&password=b",
                           content_type="application/x-www-form-urlencoded")
        self.assertEqual(answer.status, 415)
        self.assertEqual(self.call("POST", "/api/v1/auth/login", raw=b"{}", content_type=None).status, 415)

    def test_unknown_endpoints_are_404_and_wrong_methods_405_in_json(self):
        self.assertEqual(self.call("GET", "/api/v1/nothing").status, 404)
        self.assertEqual(self.call("GET", "/api/v2/me").status, 404)
        wrong = self.call("GET", "/api/v1/auth/login")
        self.assertEqual(wrong.status, 405)
        self.assertEqual(wrong.header("Allow"), "POST")
        self.assertEqual(self.call("PUT", "/api/v1/keys/3").status, 405)

    def test_a_body_over_the_limit_is_413_in_json(self):
        answer = self.call("POST", "/api/v1/auth/login", raw=b"{\"a\": \"" + b"x" * (70 * 1024) + b"\"}")
        self.assertEqual(answer.status, 413)
        self.assertEqual(answer.json()["error"]["title"], "Payload Too Large")

    def test_the_bearer_scheme_is_case_insensitive(self):
        token = self.token_for(self.add_user())
        for scheme in ("Bearer", "bearer", "BEARER"):
            answer = self.call("GET", "/api/v1/me", headers={"Authorization": f"{scheme} {token}"})
            self.assertEqual(answer.status, 200, scheme)
        self.assertEqual(self.call("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token.lower()}"}).status,
                         401, "the token itself is case-sensitive")

    def test_who_asks_is_checked_before_the_id(self):
        name, token, phone, _ = self.user_with_two_factor()
        key = self.call("POST", "/api/v1/keys", {"name": "ci", "password": PASSWORD, "otp": phone.next_code()},
                        token=token).json()["key"]
        for path in ("/api/v1/me/yubikeys/abc", "/api/v1/me/devices/abc", "/api/v1/keys/abc"):
            self.assertEqual(self.call("DELETE", path, {"password": PASSWORD}).status, 401, path)
        for path in ("/api/v1/me/yubikeys/abc", "/api/v1/me/devices/abc"):
            self.assertEqual(self.call("DELETE", path, {"password": PASSWORD}, token=key).status, 403, path)
        self.assertEqual(self.call("DELETE", "/api/v1/me/yubikeys/abc", {"password": PASSWORD}, token=token).status,
                         404)

    def test_head_is_get_without_the_body(self):
        get = self.call("GET", "/api/v1/openapi.json")
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        conn.request("HEAD", "/api/v1/openapi.json", headers={"Connection": "close"})
        head = conn.getresponse()
        self.assertEqual(head.status, 200)
        self.assertEqual(head.getheader("Content-Length"), str(len(get.text.encode())))
        self.assertEqual(head.read(), b"")
        conn.close()

    def test_requests_that_cannot_be_read_are_answered_in_json_under_api(self):
        def raw_answer(data):
            with self.server.connect() as sock:
                sock.sendall(data)
                return server_test.read_one_response(sock)
        too_long = b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 9000 + b"\r\n\r\n"
        bad_length = b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
        bad_chunk = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\nzz\r\n")
        absolute = too_long.replace(b"GET /api/v1/me", b"GET http://127.0.0.1/api/v1/me")
        for data, status in ((too_long, 431), (absolute, 431), (bad_length, 400), (bad_chunk, 400)):
            answer_status, headers, body = raw_answer(data)
            self.assertEqual(answer_status, status, body)
            self.assertEqual(headers["content-type"], "application/json", body)
            self.assertEqual(json.loads(body)["error"]["code"], status)
        # Elsewhere the answer stays plain text.
        answer_status, headers, _ = raw_answer(bad_length.replace(b"/api/v1/auth/login", b"/login"))
        self.assertEqual((answer_status, headers["content-type"]), (400, "text/plain; charset=utf-8"))

    def test_missing_or_bad_bearer_tokens_are_401(self):
        for headers in [{}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer "},
                        {"Authorization": "Bearer " + "A" * 43}, {"Authorization": "Bearer x\u00e9".encode().decode("latin-1")}]:
            answer = self.call("GET", "/api/v1/me", headers=headers)
            self.assertEqual(answer.status, 401, headers)
            self.assertEqual(answer.header("WWW-Authenticate"), 'Bearer realm="tfa"')

    def test_junk_never_gets_a_5xx(self):
        rng = random.Random(6)
        name = self.add_user()
        token = self.token_for(name)
        paths = [("POST", "/api/v1/auth/login"), ("POST", "/api/v1/me/totp"), ("POST", "/api/v1/me/totp/confirm"),
                 ("POST", "/api/v1/me/backup-codes"), ("POST", "/api/v1/me/two-factor/disable"),
                 ("POST", "/api/v1/keys"), ("DELETE", "/api/v1/keys/-1"), ("DELETE", "/api/v1/me/devices/0")]
        values = [None, True, 0, -1, 2 ** 70, 1.5, "", "x" * 3000, "\u0000", [], {}, "123456"]
        fields = ["username", "password", "otp", "code", "factor_id", "name", "expires_at"]
        for i in range(150):
            method, path = rng.choice(paths)
            body = {f: rng.choice(values) for f in rng.sample(fields, rng.randint(0, len(fields)))}
            # call() fails the test on any 5xx.
            self.call(method, path, body, token=token if i % 3 else None)
        self.assertEqual(self.call("GET", "/api/v1/me", token=token).status, 200)

    def test_repeated_wrong_passwords_are_429_with_retry_after(self):
        name = self.add_user()
        statuses = [self.sign_in(name, password=f"wrong {i}").status for i in range(8)]
        self.assertIn(429, statuses)
        self.assertEqual(statuses[:5], [401] * 5, "five free failures")
        throttled = self.sign_in(name)
        self.assertEqual(throttled.status, 429, "the right password waits too")
        self.assertGreater(int(throttled.header("Retry-After")), 0)


class OpenApiTest(ApiCase):
    def document(self):
        answer = self.call("GET", "/api/v1/openapi.json")
        self.assertEqual(answer.status, 200)
        return answer.json()

    def test_the_document_is_openapi_3_and_matches_the_route_table(self):
        doc = self.document()
        self.assertTrue(doc["openapi"].startswith("3."))
        documented = {(method.upper(), path) for path, item in doc["paths"].items() for method in item}
        with open(os.path.join(ROOT, "src", "api", "api.cpp"), encoding="utf-8") as f:
            source = f.read()
        routed = {(m.upper().rstrip("_"), p) for m, p in re.findall(r'route\(verb::(\w+), "([^"]+)"', source)}
        self.assertTrue(routed)
        self.assertEqual(documented, routed)

    def test_every_documented_operation_answers_and_others_do_not(self):
        doc = self.document()
        for path, item in doc["paths"].items():
            concrete = path.replace("{id}", "1")
            for method in ("GET", "POST", "DELETE", "PUT", "PATCH"):
                answer = self.call(method, concrete, {} if method in ("POST", "PUT", "PATCH") else None)
                if method.lower() in item:
                    self.assertNotIn(answer.status, (404, 405), f"{method} {path}")
                    needs_token = item[method.lower()].get("security", doc.get("security")) != []
                    if needs_token:
                        self.assertEqual(answer.status, 401, f"{method} {path} without a token")
                else:
                    self.assertEqual(answer.status, 405, f"{method} {path}")


VARIABLE_STRINGS = {"token", "otpauth_uri", "secret", "created_at", "last_seen_at"}
VARIABLE_NUMBERS = {"id", "factor_id"}


def same_shape(expected, actual, key=None):
    """True when `actual` is what the docs show, apart from the values that differ on every
    run (tokens, secrets, ids, times)."""
    if isinstance(expected, dict):
        return (isinstance(actual, dict) and set(expected) == set(actual)
                and all(same_shape(expected[k], actual[k], k) for k in expected))
    if isinstance(expected, list):
        return (isinstance(actual, list) and len(expected) == len(actual)
                and all(same_shape(e, a, key) for e, a in zip(expected, actual)))
    if isinstance(expected, str):
        if key in VARIABLE_STRINGS or (key == "expires_at" and not expected.startswith("2099")):
            return isinstance(actual, str)
        return expected == actual
    if isinstance(expected, bool) or expected is None:
        return expected is actual
    if key in VARIABLE_NUMBERS:
        return isinstance(actual, int) and not isinstance(actual, bool)
    return expected == actual


def json_values(text):
    """Every JSON value in `text`, one after the other (jq prints over several lines)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return values
        value, at = decoder.raw_decode(text, at)
        values.append(value)


def docs_examples():
    """The ```sh blocks of docs/api.md with the ```json block after each, in order."""
    with open(os.path.join(ROOT, "docs", "api.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```(sh|json)\n(.*?)```", text, re.S)
    examples = []
    for i, (kind, body) in enumerate(blocks):
        if kind == "sh":
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if following is None or following[0] != "json":
                raise AssertionError(f"the sh block {body!r} has no json block after it")
            examples.append((body, following[1]))
    return examples


class DocsExamplesTest(ApiCase):
    """Runs the curl examples of docs/api.md in one shell, as written, and compares each
    output with the JSON the docs show after it."""

    def test_the_curl_examples_work_as_documented(self):
        self.add_user("alice")
        examples = docs_examples()
        self.assertGreaterEqual(len(examples), 10)
        marker = "@@example-done@@"
        script = ["set -euo pipefail",
                  # A code is taken once per 30-second step: before an example that makes a
                  # code, wait (as a person would) until the step is newer than the last one.
                  "wait_for_new_step() { while [ $(( $(date +%s) / 30 )) -le ${LAST_STEP:--1} ]; do sleep 0.5; done;"
                  " LAST_STEP=$(( $(date +%s) / 30 )); }"]
        for commands, _ in examples:
            if "oathtool" in commands:
                script.append("wait_for_new_step")
            script.append(commands)
            script.append(f"printf '\\n{marker}\\n'")
        workdir = os.path.join(self.server.dir, "docs-examples")
        os.makedirs(workdir)
        env = server_test.clean_environment(TFA=f"http://127.0.0.1:{self.server.port}")
        run = subprocess.run(["bash", "-c", "\n".join(script)], cwd=workdir, env=env,
                             capture_output=True, text=True, timeout=200)
        self.assertEqual(run.returncode, 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")
        outputs = run.stdout.split(marker)[:-1]
        self.assertEqual(len(outputs), len(examples))
        for (commands, expected), output in zip(examples, outputs):
            want, got = json_values(expected), json_values(output)
            self.assertEqual(len(want), len(got), f"{commands}\nprinted:\n{output}")
            for w, g in zip(want, got):
                self.assertTrue(same_shape(w, g), f"{commands}\ndocs show {w}\nbut it printed {g}")


def tearDownModule():
    """Every answer the tests saw must be documented for its operation."""
    server = Server()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        conn.request("GET", "/api/v1/openapi.json")
        doc = json.loads(conn.getresponse().read())
        conn.close()
    finally:
        server.close()
    missing = []
    for method, path, status in sorted(OBSERVED):
        item = doc["paths"].get(path, {}).get(method.lower())
        if item is None:
            continue  # an undocumented path or method; its 404/405 is the point
        if str(status) not in item["responses"]:
            missing.append(f"{method} {path} answered {status}")
    if missing:
        raise AssertionError("answers missing from openapi.json:\n  " + "\n  ".join(missing))


if __name__ == "__main__":
    server_test.TFA = sys.argv.pop(1)
    unittest.main()
