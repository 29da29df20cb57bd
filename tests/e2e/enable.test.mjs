// Enabling TOTP from Security: password re-confirmation, the QR code (read back with zbarimg),
// the secret for manual entry, a wrong code and then the right one from oathtool.

import assert from 'node:assert/strict';

import { Authenticator, e2eTest, wrongCode } from './harness.mjs';
import {
  action, button, clickAndLoad, expectHeading, expectPath, expectText, newUser, openEnrollment,
  readQr, signUp, submitEnrollmentCode,
  readBackupCodes,
} from './flows.mjs';

// Not the default, and with a space, so the test sees the configured issuer reach the URI.
const ISSUER = 'Example Cloud';

// Secret shown "in groups of four": base32 groups separated by (any kind of) space.
const GROUPED_SECRET = /(?:^|\s)([A-Z2-7]{4}(?:[ \u00a0\u2009\u202f][A-Z2-7]{1,4})+)(?=\s|$)/m;

e2eTest('enable two-factor authentication with the QR code', async (ctx) => {
  const { page, goto, diagnostic } = ctx;
  const user = newUser('alice');
  await signUp(ctx, user);

  // Enable → "Confirm your password" → Confirm → "Scan the QR code".
  const confirmed = await openEnrollment(ctx, user);
  assert.ok(confirmed, 'enabling asks for the password again ("Confirm your password")');

  // The QR code holds an otpauth://totp URI labelled with the issuer and the username.
  const { uri, otp } = await readQr(ctx, 'qr-first');
  diagnostic(`QR code: ${uri.replace(/secret=[^&]*/, 'secret=…')}`);
  assert.match(uri, /^otpauth:\/\/totp\//);
  assert.equal(otp.type, 'totp');
  assert.equal(otp.labelIssuer, ISSUER, `the label "${otp.label}" starts with the issuer`);
  assert.equal(otp.account, user.username, `the label "${otp.label}" names the user`);
  assert.equal(otp.issuer, ISSUER, 'the issuer parameter');
  assert.match(otp.secret, /^[A-Z2-7]+$/, 'the secret is base32');
  assert.ok(otp.secret.length >= 26, `a secret of at least 128 bits (got ${otp.secret.length} characters)`);
  // oathtool computes 6-digit SHA-1 codes over 30 s, the parameters apps assume by default.
  assert.deepEqual([otp.algorithm, otp.digits, otp.period], ['SHA1', 6, 30]);

  // "Show secret for manual entry": the same secret in groups of four, and the URI.
  // A <details> summary opens in place; a link or a form's button loads a page.
  const toggle = page.getByText('Show secret for manual entry', { exact: true }).first();
  if (await toggle.evaluate((e) => Boolean(e.closest('a[href], form button')))) {
    await clickAndLoad(page, toggle);
  } else {
    await toggle.click();
  }
  await ctx.shot('manual-entry');
  const section = page.locator('details', { hasText: 'Show secret for manual entry' });
  const shown = (await section.count()) ? section.first() : page.locator('body');
  // What the section shows: its text, and the values of any copyable fields in it.
  const text = [await shown.innerText(),
                ...await shown.locator('input, textarea').evaluateAll((es) => es.map((e) => e.value))]
    .join('\n');
  const grouped = GROUPED_SECRET.exec(text);
  assert.ok(grouped, `the manual-entry section shows the secret in groups of four:\n${text}`);
  const groups = grouped[1].split(/\s/);
  assert.ok(groups.slice(0, -1).every((g) => g.length === 4), `groups of four: ${grouped[1]}`);
  assert.equal(groups.join(''), otp.secret, "the shown secret is the QR code's");
  assert.ok(text.includes(uri), `the manual-entry section shows the otpauth URI ${uri}:\n${text}`);

  // A wrong code: an error, and the same QR code again.
  await submitEnrollmentCode(ctx, await wrongCode(otp.secret));
  expectPath(page, '/profile/security/enroll', 'a wrong code stays on the enrollment page');
  await expectHeading(page, 'Scan the QR code');
  await page.getByRole('alert').or(page.getByText(/not valid/i)).first()
    .waitFor({ state: 'visible', timeout: 5000 });
  const again = await readQr(ctx, 'qr-after-wrong-code');
  assert.equal(again.uri, uri, 'after a wrong code the QR code holds the same URI');

  // The right code: the success page, and Security says 2FA is on.
  const authenticator = new Authenticator(otp.secret);
  await submitEnrollmentCode(ctx, await authenticator.freshCode());
  await expectHeading(page, 'Two-factor authentication is enabled');
  assert.equal((await readBackupCodes(page)).length, 10, 'the success page shows the backup codes');

  await goto('/profile/security', 'security-2fa-on');
  await expectText(page, 'Two-factor authentication is on.');
  assert.equal(await page.getByText('Two-factor authentication is off.').count(), 0);
  assert.equal(await action(page, 'Enable two-factor authentication').count(), 0,
               'no Enable button once two-factor authentication is on');
  await button(page, 'Sign out').waitFor({ timeout: 5000 });
}, { env: { TFA_ISSUER: ISSUER } });
