// Signing in with 2FA on: username and password, then the code page; a wrong code is refused
// with the hint about the phone's clock, the right one from oathtool signs in.

import assert from 'node:assert/strict';

import { e2eTest, wrongCode } from './harness.mjs';
import {
  WRONG_CODE_MESSAGE, expectHeading, expectPath, expectSignedIn, expectText, signIn, signOut,
  signUpWithTwoFactor, submitCode,
} from './flows.mjs';

e2eTest('sign in with password and one-time code', async (ctx) => {
  const { page } = ctx;
  const { user, authenticator } = await signUpWithTwoFactor(ctx);
  await signOut(ctx);

  // A wrong password and an unknown user get the same answer.
  assert.equal(await signIn(ctx, user, { password: 'not the password' }), '/login');
  await expectText(page, 'Incorrect username or password.');
  assert.equal(await signIn(ctx, { ...user, username: 'nobody' }), '/login');
  await expectText(page, 'Incorrect username or password.');

  assert.equal(await signIn(ctx, user), '/login/code', 'with 2FA on, the password leads to the code page');
  await expectHeading(page, 'Two-factor authentication');
  const field = page.locator('input[name="code"]');
  assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await field.getAttribute('inputmode'), 'numeric');
  await page.getByLabel('Do not challenge me on this device for the next 7 days', { exact: true })
    .waitFor({ timeout: 5000 });

  assert.equal(await submitCode(ctx, await wrongCode(authenticator.secret)), '/login/code',
               'a wrong code stays on the code page');
  await expectText(page, 'That code is not valid.');
  await expectText(page, 'Check that the date and time on your phone are correct.');
  await expectText(page, WRONG_CODE_MESSAGE);

  // The enrollment spent the current step's code: this is the next step's.
  assert.equal(await submitCode(ctx, await authenticator.freshCode()), '/profile/security');
  await expectSignedIn(page);
  await expectText(page, 'Two-factor authentication is on.');
  expectPath(page, '/profile/security');
});
