#!/usr/bin/python3
"""HTTP-level tests of backup codes, turning 2FA off and recovery by e-mail through
`tfa serve`: each code works once, regenerating voids the old set, disabling needs the
password and a code, and the token mailed to the outbox turns 2FA off once, for its own
account only. Every refused request changes nothing.

    /usr/bin/python3 recovery_test.py PATH/TO/tfa [unittest options]

The mail is read from the server's outbox folder (<data dir>/outbox/*.eml), parsed with
Python's email package.
"""
import http.client
import json
import os
import re
import sys
import time
import unittest

import server_test
from console_test import PASSWORD, Browser, ConsoleCase, Outbox, Server, text_of, totp

WRONG_BACKUP_TEXT = "That backup code is not valid"


class BackupAndRecoveryTest(ConsoleCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.outbox = Outbox(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def user_with_two_factor(self):
        owner = self.browser()
        name = self.signup(owner)
        secret, t0 = self.enable_two_factor(owner)
        return name, secret, t0, owner.backup_codes

    def at_code_step(self, name):
        b = self.browser()
        self.assert_redirect(self.sign_in(b, name), "/login/code")
        return b

    def backup_codes_left(self, browser):
        page = browser.get("/profile/security")
        self.assertEqual(page.status, 200)
        match = re.search(r"Backup codes left: <strong>(\d+)</strong>", page.body)
        self.assertIsNotNone(match, page.body[:3000])
        return int(match.group(1))

    def reconfirmed(self, browser):
        """Opens Manage two-factor authentication, confirming the password on the way."""
        self.assert_redirect(browser.get("/profile/security/manage"), "/profile/security/enable?next=manage")
        page = browser.get("/profile/security/enable?next=manage")
        self.assertIn('name="next" value="manage"', page.body)
        r = browser.post("/profile/security/enable", {"csrf": page.csrf(), "password": PASSWORD, "next": "manage"})
        self.assert_redirect(r, "/profile/security/manage")
        page = browser.get("/profile/security/manage")
        self.assertEqual(page.status, 200)
        self.assertIn("Regenerate backup codes", page.body)
        return page

    # --- backup codes ---------------------------------------------------------------------

    def test_the_success_page_shows_ten_codes_and_a_download(self):
        owner = self.browser()
        self.signup(owner)
        secret, page = self.start_enrollment(owner)
        r = owner.post("/profile/security/enroll", {"csrf": page.csrf(), "code": totp(secret, time.time())})
        codes = self.assert_enabled(r)
        self.assertEqual(len(set(codes)), 10)
        self.assertIn('download="backup-codes.txt"', r.body)
        self.assertIn("data:text/plain;charset=utf-8,", r.body)
        self.assertIn("script-src 'self'", r.header("Content-Security-Policy"))
        # Shown once: the security page has the count, not the codes.
        security = owner.get("/profile/security").body
        self.assertIn("Backup codes left: <strong>10</strong>", security)
        for code in codes:
            self.assertNotIn(code, security)

    def test_a_backup_code_signs_in_once(self):
        name, _, _, codes = self.user_with_two_factor()
        b = self.at_code_step(name)
        page = b.get("/login/backup")
        self.assertEqual(page.status, 200)
        self.assertIn("Use a backup code", page.body)
        # Typed in capitals, with a space instead of the hyphen.
        typed = codes[0].upper().replace("-", " ")
        self.assert_redirect(b.post("/login/backup", {"csrf": page.csrf(), "code": typed}), "/profile/security")
        self.assertEqual(self.backup_codes_left(b), 9)
        used = self.outbox.wait_for(f"{name}@example.com", "a backup code was used")
        self.assertIn("9 backup codes left", text_of(used[0]))

        again = self.at_code_step(name)
        r = again.post("/login/backup", {"csrf": again.csrf_of("/login/backup"), "code": codes[0]})
        self.assert_html_error(r, 401, WRONG_BACKUP_TEXT)
        self.assertFalse(self.is_signed_in(again))
        self.assertEqual(self.backup_codes_left(b), 9)

    def test_the_profile_warns_when_three_or_fewer_codes_are_left(self):
        name, _, _, codes = self.user_with_two_factor()
        for i, code in enumerate(codes[:7]):
            b = self.at_code_step(name)
            self.assert_redirect(b.post("/login/backup", {"csrf": b.csrf_of("/login/backup"), "code": code}),
                                 "/profile/security")
            page = b.get("/profile/security").body
            if i < 6:
                self.assertNotIn("backup codes left. Regenerate", page, f"{9 - i} left")
        self.assertEqual(self.backup_codes_left(b), 3)
        self.assertIn("You have only 3 backup codes left. Regenerate backup codes", b.get("/profile/security").body)
        mail = self.outbox.wait_for(f"{name}@example.com", "a backup code was used", count=7)
        last = [m for m in mail if "You have 3 backup codes left" in text_of(m)]
        self.assertEqual(len(last), 1)
        self.assertIn("You are running out of backup codes", text_of(last[0]))

    def test_recent_security_activity_lists_what_happened(self):
        name, _, _, codes = self.user_with_two_factor()
        b = self.at_code_step(name)
        self.assertEqual(b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": "000000"}).status, 401)
        self.assert_redirect(b.post("/login/backup", {"csrf": b.csrf_of("/login/backup"), "code": codes[0]}),
                             "/profile/security")
        page = b.get("/profile/security").body
        section = page[page.index("Recent security activity"):]
        order = [section.index(text) for text in (
            "Signed in with a backup code", "Wrong authentication code", "Password accepted at sign-in",
            "Two-factor authentication turned on", "Account created")]
        self.assertEqual(order, sorted(order), "newest first")
        self.assertIn('class="row-warning"', section)
        self.assertIn("127.0.0.1", section)

    def test_the_code_field_takes_a_backup_code_too(self):
        name, _, _, codes = self.user_with_two_factor()
        b = self.at_code_step(name)
        r = b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": codes[4]})
        self.assert_redirect(r, "/profile/security")

    def test_wrong_backup_codes_change_nothing(self):
        name, _, _, codes = self.user_with_two_factor()
        b = self.at_code_step(name)
        # The blank one is refused like the others but not counted: it is no guess.
        for wrong in ("zzzzz-zzzzz", "not a code", "", "123456", codes[0] + "x", "aaaaa-aaaaa"):
            with self.subTest(wrong):
                r = b.post("/login/backup", {"csrf": b.csrf_of("/login/backup"), "code": wrong})
                self.assert_html_error(r, 401, WRONG_BACKUP_TEXT)
                self.assertFalse(self.is_signed_in(b))
        # Five failures are free; the sixth blocks the backup codes (not the account) a while.
        r = b.post("/login/backup", {"csrf": b.csrf_of("/login/backup"), "code": "zzzzz-zzzzy"})
        self.assertEqual(r.status, 401)
        r = b.post("/login/backup", {"csrf": b.csrf_of("/login/backup"), "code": codes[1]})
        self.assertEqual(r.status, 429, r.body[:300])
        self.assertTrue(r.header("Retry-After").isdigit())
        owner = self.browser()
        self.assert_redirect(self.sign_in(owner, name), "/login/code")

    def test_backup_pages_need_the_password_step(self):
        b = self.browser()
        self.assert_redirect(b.get("/login/backup"), "/login")
        self.assert_redirect(b.post("/login/backup", {"csrf": "x", "code": "zzzzz-zzzzz"}), "/login")

    def test_regenerating_needs_the_password_and_voids_the_old_set(self):
        name, secret, t0, old = self.user_with_two_factor()
        b = self.at_code_step(name)
        self.assert_redirect(b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": old[0]}),
                             "/profile/security")
        # Without the re-confirmation, or without the CSRF token: nothing happens.
        r = b.post("/profile/security/backup-codes", {"csrf": b.csrf_of("/profile/security")})
        self.assert_redirect(r, "/profile/security/enable?next=manage")
        manage = self.reconfirmed(b)
        r = b.post("/profile/security/backup-codes", {"csrf": "wrong"})
        self.assert_html_error(r, 403)
        self.assertEqual(self.backup_codes_left(b), 9)

        r = b.post("/profile/security/backup-codes", {"csrf": manage.csrf()})
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn("New backup codes", r.body)
        new = re.findall(r"<li><code>([0-9a-z]{5}-[0-9a-z]{5})</code></li>", r.body)
        self.assertEqual(len(new), 10)
        self.assertEqual(self.backup_codes_left(b), 10)
        self.outbox.wait_for(f"{name}@example.com", "new backup codes were made")

        c = self.at_code_step(name)
        r = c.post("/login/backup", {"csrf": c.csrf_of("/login/backup"), "code": old[1]})
        self.assert_html_error(r, 401, WRONG_BACKUP_TEXT)
        r = c.post("/login/backup", {"csrf": c.csrf_of("/login/backup"), "code": new[1]})
        self.assert_redirect(r, "/profile/security")

    # --- turning 2FA off from the profile --------------------------------------------------

    def test_disabling_needs_the_password_and_a_valid_code(self):
        name, secret, t0, codes = self.user_with_two_factor()
        b = self.at_code_step(name)
        self.assert_redirect(b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": codes[0]}),
                             "/profile/security")
        r = b.post("/profile/security/disable", {"csrf": b.csrf_of("/profile/security"), "code": codes[1]})
        self.assert_redirect(r, "/profile/security/enable?next=manage")
        self.assertTrue(self.two_factor_state(b))
        manage = self.reconfirmed(b)
        for wrong in ("000000", "zzzzz-zzzzz", codes[0], ""):
            with self.subTest(wrong):
                r = b.post("/profile/security/disable", {"csrf": manage.csrf(), "code": wrong})
                self.assert_html_error(r, 401, "That code is not valid")
                self.assertTrue(self.two_factor_state(b))
        r = b.post("/profile/security/disable", {"csrf": "x", "code": codes[1]})
        self.assert_html_error(r, 403)
        self.assertTrue(self.two_factor_state(b))

        r = b.post("/profile/security/disable", {"csrf": manage.csrf(), "code": totp(secret, t0 + 30)})
        self.assert_redirect(r, "/profile/security")
        self.assertFalse(self.two_factor_state(b))
        self.outbox.wait_for(f"{name}@example.com", "two-factor authentication was turned off")
        # Every factor, code and device is gone: the password alone signs in.
        self.assert_redirect(self.sign_in(self.browser(), name), "/profile/security")

    # --- lost device: the token by e-mail --------------------------------------------------

    def request_token(self, name):
        """At the code step, "Lost your device?": returns (browser, token from the mail)."""
        b = self.at_code_step(name)
        before = len([m for m in self.outbox.messages(f"{name}@example.com", timeout=0)
                      if "turn off two-factor authentication" in m["Subject"]])
        page = b.get("/login/code")
        self.assertIn("Lost your device? Disable two-factor authentication", page.body)
        r = b.post("/login/recover/send", {"csrf": page.csrf()})
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn("We sent an e-mail with a one-time token to ", r.body)
        self.assertNotIn(f"{name}@example.com", r.body, "the address is masked")
        mail = self.outbox.wait_for(f"{name}@example.com", "turn off two-factor authentication",
                                    count=before + 1)
        match = re.search(r"^([A-Za-z0-9_-]{43})\r?$", text_of(mail[-1]), re.M)
        self.assertIsNotNone(match, text_of(mail[-1]))
        return b, match.group(1)

    def test_the_mailed_token_turns_two_factor_off_and_signs_in_once(self):
        name, _, _, _ = self.user_with_two_factor()
        b, token = self.request_token(name)
        mail = self.outbox.wait_for(f"{name}@example.com", "turn off two-factor authentication")[-1]
        for header in ("From", "To", "Subject", "Date", "Message-ID"):
            self.assertTrue(mail[header], header)
        self.assertIn(f"http://127.0.0.1:{self.server.port}/login/recover?token={token}", text_of(mail))
        self.assertIn(token, mail.get_body(preferencelist=("html",)).get_content())

        for junk in ("", "not-a-token", "A" * 43):
            with self.subTest(junk):
                r = b.post("/login/recover", {"csrf": b.csrf_of("/login/recover"), "token": junk})
                self.assert_html_error(r, 400, "That token is not valid")
                self.assertFalse(self.is_signed_in(b))
        r = b.post("/login/recover", {"csrf": "x", "token": token})
        self.assert_html_error(r, 403)

        r = b.post("/login/recover", {"csrf": b.csrf_of("/login/recover"), "token": f" {token}\n"})
        self.assert_redirect(r, "/profile/security")
        self.assertTrue(self.is_signed_in(b))
        self.assertFalse(self.two_factor_state(b))
        self.outbox.wait_for(f"{name}@example.com", "two-factor authentication was turned off")

        again = self.browser()
        r = again.post("/login/recover", {"csrf": again.csrf_of("/login/recover"), "token": token})
        self.assert_html_error(r, 400, "That token has been used already")
        self.assertFalse(self.is_signed_in(again))

    def test_the_link_only_fills_the_form(self):
        name, _, _, _ = self.user_with_two_factor()
        _, token = self.request_token(name)
        c = self.browser()
        page = c.get(f"/login/recover?token={token}")
        self.assertEqual(page.status, 200)
        self.assertIn(f'value="{token}"', page.body)
        # Opening the link (as a mail scanner would) changed nothing.
        self.assert_redirect(self.sign_in(self.browser(), name), "/login/code")
        r = c.post("/login/recover", {"csrf": page.csrf(), "token": token})
        self.assert_redirect(r, "/profile/security")
        self.assertFalse(self.two_factor_state(c))

    def test_a_token_of_another_account_changes_nothing(self):
        alice, _, _, _ = self.user_with_two_factor()
        bob, _, _, _ = self.user_with_two_factor()
        _, bobs_token = self.request_token(bob)
        a = self.at_code_step(alice)
        r = a.post("/login/recover", {"csrf": a.csrf_of("/login/recover"), "token": bobs_token})
        self.assert_html_error(r, 400, "That token belongs to another account")
        self.assertFalse(self.is_signed_in(a))
        # Both still have 2FA on, and Bob's token still works for Bob.
        self.assert_redirect(self.sign_in(self.browser(), alice), "/login/code")
        b = self.at_code_step(bob)
        self.assert_redirect(b.post("/login/recover", {"csrf": b.csrf_of("/login/recover"),
                                                        "token": bobs_token}), "/profile/security")

    def test_wrong_codes_after_the_right_password_tell_the_owner_once(self):
        name, secret, t0, _ = self.user_with_two_factor()
        to = f"{name}@example.com"
        valid = {totp(secret, t0 + d * 30) for d in range(-2, 4)}
        wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
        b = self.at_code_step(name)
        statuses = []
        for _ in range(6):
            statuses.append(b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": wrong}).status)
        self.assertEqual(statuses[:5], [401] * 5, statuses)
        mail = self.outbox.wait_for(to, "someone knows your password")
        self.assertEqual(len(mail), 1)
        text = text_of(mail[0])
        self.assertIn("with your password, then entered 6 wrong codes in a row", text)
        self.assertIn("Change it now", text)
        self.assertIn("from address 127.0.0.1", text)
        # The same series does not mail again: more refused codes through the console and the
        # API (blocked or wrong) add nothing.
        for _ in range(3):
            b.post("/login/code", {"csrf": b.csrf_of("/login/code"), "code": wrong})
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        conn.request("POST", "/api/v1/auth/login",
                     body=json.dumps({"username": name, "password": PASSWORD, "otp": wrong}),
                     headers={"Content-Type": "application/json", "Connection": "close"})
        self.assertIn(conn.getresponse().status, (401, 429))
        conn.close()
        time.sleep(0.5)
        subjects = [m["Subject"] for m in self.outbox.messages(to, timeout=0)]
        self.assertEqual(sum("someone knows your password" in s for s in subjects), 1, subjects)

    def test_asking_for_mail_needs_the_password_step_and_is_limited(self):
        b = self.browser()
        self.assert_redirect(b.post("/login/recover/send", {"csrf": b.csrf_of("/login")}), "/login")
        name, _, _, _ = self.user_with_two_factor()
        c = self.at_code_step(name)
        self.assert_html_error(c.post("/login/recover/send", {"csrf": "x"}), 403)
        time.sleep(0.3)
        recovery_mail = [m for m in self.outbox.messages(f"{name}@example.com", timeout=0)
                         if "turn off two-factor" in m["Subject"]]
        self.assertEqual(recovery_mail, [], "a refused request sends no mail")
        for _ in range(3):
            self.assertEqual(c.post("/login/recover/send", {"csrf": c.csrf_of("/login/code")}).status, 200)
        r = c.post("/login/recover/send", {"csrf": c.csrf_of("/login/code")})
        self.assertEqual(r.status, 429)
        self.assertTrue(r.header("Retry-After").isdigit())


if __name__ == "__main__":
    server_test.TFA = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
