#!/usr/bin/python3
"""HTTP-level tests of "Change password" (/profile/password) through `tfa serve`: the current
password is needed and its guesses are limited, the new one follows the password rules and is
typed twice, and a change signs out every browser of the account, leaves two-factor
authentication as it was, and mails the owner. Every refused request changes nothing.

    /usr/bin/python3 password_test.py PATH/TO/tfa [unittest options]
"""
import http.client
import json
import os
import sys
import unittest

import server_test
from console_test import PASSWORD, ConsoleCase, Outbox, Server, text_of

NEW_PASSWORD = "a new and longer passphrase"


class ChangePasswordTest(ConsoleCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.outbox = Outbox(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def change(self, browser, current, new, again=None):
        page = browser.get("/profile/password")
        self.assertEqual(page.status, 200, page.body[:500])
        return browser.post("/profile/password", {
            "csrf": page.csrf(), "current_password": current, "new_password": new,
            "new_password_again": new if again is None else again})

    def api(self, method, path, body=None, token=None):
        """(status, parsed JSON) of one API request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = conn.getresponse()
        status, data = response.status, json.loads(response.read() or b"null")
        conn.close()
        return status, data

    def assert_password_is(self, name, password, other):
        """`password` signs `name` in and `other` does not."""
        self.assertEqual(self.sign_in(self.browser(), name, other).status, 401)
        self.assert_redirect(self.sign_in(self.browser(), name, password), "/profile/security")

    def test_the_security_page_links_to_the_form(self):
        b = self.browser()
        self.signup(b)
        page = b.get("/profile/security")
        self.assertIn('href="/profile/password"', page.body)
        form = b.get("/profile/password")
        self.assertEqual(form.status, 200)
        self.assertIn("<h1 id=\"page-heading\">Change password</h1>", form.body)
        for field in ("current_password", "new_password", "new_password_again"):
            self.assertIn(f'name="{field}"', form.body)

    def test_a_change_signs_every_browser_out_and_mails_the_owner(self):
        b = self.browser()
        name = self.signup(b)
        other = self.browser()
        self.assert_redirect(self.sign_in(other, name), "/profile/security")
        status, signed_in = self.api("POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
        self.assertEqual(status, 200, signed_in)
        token = signed_in["token"]
        self.assertEqual(self.api("GET", "/api/v1/me", token=token)[0], 200)
        # Without 2FA, a key needs only the password: one made with the old password must end.
        status, key = self.api("POST", "/api/v1/keys", {"name": "made with the old password",
                                                        "password": PASSWORD}, token=token)
        self.assertEqual(status, 201, key)
        self.assertEqual(self.api("GET", "/api/v1/me", token=key["key"])[0], 200)
        r = self.change(b, PASSWORD, NEW_PASSWORD)
        self.assert_redirect(r, "/login?changed=password")
        login = b.get("/login?changed=password")
        self.assertIn("Your password was changed and every browser was signed out.", login.body)
        self.assertFalse(self.is_signed_in(b))
        self.assertFalse(self.is_signed_in(other), "the other browser is signed out too")
        self.assertEqual(self.api("GET", "/api/v1/me", token=token)[0], 401,
                         "the API sign-in token ends with the sessions")
        self.assertEqual(self.api("GET", "/api/v1/me", token=key["key"])[0], 401, "and so does the API key")
        self.assert_password_is(name, NEW_PASSWORD, PASSWORD)
        mail = self.outbox.wait_for(f"{name}@example.com", "your password was changed")
        self.assertIn("has been signed out", text_of(mail[0]))
        self.assertIn("every API token and API key", " ".join(text_of(mail[0]).split()))
        # The change is in "Recent security activity".
        again = self.browser()
        self.sign_in(again, name, NEW_PASSWORD)
        self.assertIn("Password changed", again.get("/profile/security").body)

    def test_two_factor_stays_on_after_a_change(self):
        b = self.browser()
        name = self.signup(b)
        self.enable_two_factor(b)
        self.assert_redirect(self.change(b, PASSWORD, NEW_PASSWORD), "/login?changed=password")
        self.assert_redirect(self.sign_in(self.browser(), name, NEW_PASSWORD), "/login/code")

    def test_a_wrong_current_password_is_401_and_changes_nothing(self):
        b = self.browser()
        name = self.signup(b)
        r = self.change(b, "not my password", NEW_PASSWORD)
        self.assert_html_error(r, 401, "Your current password is incorrect.")
        self.assertTrue(self.is_signed_in(b))
        self.assertIn("Wrong current password when changing the password", b.get("/profile/security").body)
        self.assert_password_is(name, PASSWORD, NEW_PASSWORD)

    def test_the_limit_is_shared_with_the_reconfirmation_before_2fa_changes(self):
        b = self.browser()
        name = self.signup(b)
        for _ in range(3):
            page = b.get("/profile/security/enable")
            r = b.post("/profile/security/enable", {"csrf": page.csrf(), "password": "a wrong guess"})
            self.assertEqual(r.status, 401)
        statuses = [self.change(b, "a wrong guess", NEW_PASSWORD).status for _ in range(4)]
        self.assertEqual(statuses, [401, 401, 401, 429], "six failures of one counter, then a wait")
        self.assert_password_is(name, PASSWORD, NEW_PASSWORD)

    def test_mistakes_in_the_new_password_cost_no_attempt(self):
        b = self.browser()
        name = self.signup(b)
        for _ in range(8):
            r = self.change(b, "a wrong guess", NEW_PASSWORD, again="something else entirely")
            self.assert_html_error(r, 400, "The new passwords do not match.")
            r = self.change(b, "a wrong guess", "short")
            self.assert_html_error(r, 400, "at least 8 characters")
        self.assertNotIn("Wrong current password", b.get("/profile/security").body)
        self.assert_redirect(self.change(b, PASSWORD, NEW_PASSWORD), "/login?changed=password")
        self.assert_password_is(name, NEW_PASSWORD, PASSWORD)

    def test_new_passwords_that_differ_or_break_the_rules_are_400(self):
        b = self.browser()
        name = self.signup(b)
        r = self.change(b, PASSWORD, NEW_PASSWORD, again=NEW_PASSWORD + "x")
        self.assert_html_error(r, 400, "The new passwords do not match.")
        r = self.change(b, PASSWORD, "short", again="short")
        self.assert_html_error(r, 400, "the password must have at least 8 characters")
        r = self.change(b, PASSWORD, "x" * 1025)
        self.assert_html_error(r, 400, "longer than 1024 bytes")
        self.assertTrue(self.is_signed_in(b))
        self.assert_password_is(name, PASSWORD, "short")

    def test_without_the_right_csrf_it_is_403_and_changes_nothing(self):
        b = self.browser()
        name = self.signup(b)
        for csrf in ("", "forged", self.browser().csrf_of("/login")):
            r = b.post("/profile/password", {"csrf": csrf, "current_password": PASSWORD,
                                             "new_password": NEW_PASSWORD,
                                             "new_password_again": NEW_PASSWORD})
            self.assert_html_error(r, 403)
        self.assertTrue(self.is_signed_in(b))
        self.assert_password_is(name, PASSWORD, NEW_PASSWORD)

    def test_the_pages_need_a_signed_in_session(self):
        b = self.browser()
        self.assert_redirect(b.get("/profile/password"), "/login")
        r = b.post("/profile/password", {"csrf": b.csrf_of("/login"), "current_password": PASSWORD,
                                         "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
        self.assert_redirect(r, "/login")

    def test_guessing_the_current_password_is_limited(self):
        b = self.browser()
        name = self.signup(b)
        statuses = []
        for _ in range(7):
            r = self.change(b, "a wrong guess", NEW_PASSWORD)
            statuses.append(r.status)
        # Five are free; the sixth starts a 2 s wait, so the seventh, at once, is refused.
        self.assertEqual(statuses, [401] * 6 + [429])
        self.assertRegex(r.header("Retry-After") or "", r"^[1-9][0-9]*$")
        # While the wait lasts, the right password changes nothing either.
        self.assertEqual(self.change(b, PASSWORD, NEW_PASSWORD).status, 429)
        self.assert_password_is(name, PASSWORD, NEW_PASSWORD)


if __name__ == "__main__":
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
