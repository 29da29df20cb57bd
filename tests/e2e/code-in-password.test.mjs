// [login] code_in_password = true (seed 002): the code typed right after the password signs in
// at once; without it the sign-in page comes back with an extra "One-time code" field and the
// links to the other ways in, of which a backup code is followed here.

import assert from 'node:assert/strict';

import { e2eTest } from './harness.mjs';
import {
  button, clickAndLoad, expectHeading, expectPath, expectSignedIn, expectText, signIn, signOut,
  signUpWithTwoFactor,
} from './flows.mjs';

const CODE_MISSING =
  'Two-factor authentication is enabled for this account. Enter the code from your authenticator app.';

e2eTest('the code typed after the password, or in the extra field', async (ctx) => {
  const { page } = ctx;
  const { user, authenticator } = await signUpWithTwoFactor(ctx);
  await signOut(ctx);
  assert.equal(await page.locator('input[name="otp"]').count(), 0,
               'the sign-in page has no code field until one is needed');

  // Password and code in one field.
  const code = await authenticator.freshCode();
  assert.equal(await signIn(ctx, user, { password: user.password + code }), '/profile/security',
               'password followed by the code signs in without the code page');
  await expectSignedIn(page);
  await signOut(ctx);

  // The password alone: the page again, with the message and the One-time code field.
  assert.equal(await signIn(ctx, user), '/login', 'without the code the sign-in page comes back');
  await expectHeading(page, 'Sign in');
  await expectText(page, CODE_MISSING);
  const otpField = page.getByLabel('One-time code', { exact: true });
  await otpField.waitFor({ timeout: 5000 });
  assert.equal(await otpField.getAttribute('name'), 'otp');

  // The password again, the code in the extra field (a fresh one: the last was used).
  assert.equal(await signIn(ctx, user, { otp: await authenticator.freshCode(), open: false }),
               '/profile/security', 'password plus the code in the One-time code field signs in');
  await expectSignedIn(page);
}, { env: { TFA_LOGIN_CODE_IN_PASSWORD: 'true' } });

e2eTest('without the phone: a backup code from the sign-in page', async (ctx) => {
  // The page that asks for the code links to the other ways in, as the code page does: an
  // owner without the phone is not locked out in this variant either.
  const { page, shot } = ctx;
  const { user, backupCodes } = await signUpWithTwoFactor(ctx);
  await signOut(ctx);
  assert.equal(await signIn(ctx, user), '/login', 'without the code the sign-in page comes back');
  await expectText(page, 'Lost your device? Disable two-factor authentication');
  await clickAndLoad(page, page.getByRole('link', { name: 'Use a backup code', exact: true }));
  expectPath(page, '/login/backup');
  await expectHeading(page, 'Use a backup code');
  await page.getByLabel('Backup code', { exact: true }).fill(backupCodes[0]);
  await clickAndLoad(page, button(page, 'Verify'));
  await shot('code-in-password-backup-code');
  expectPath(page, '/profile/security', 'a backup code signs in');
  await expectSignedIn(page);
}, { env: { TFA_LOGIN_CODE_IN_PASSWORD: 'true' } });
