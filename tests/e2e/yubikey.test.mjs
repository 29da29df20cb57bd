// A YubiKey as the second factor (seed 003): the operator imports the key; the user chooses
// "YubiKey" instead of the time-based code, names the key and touches it into the field,
// gets the backup codes, signs out, and signs in again with a fresh touch on "Use your
// YubiKey". The same one-time password a second time is refused. OTPs come from ykgenerate.

import assert from 'node:assert/strict';

import { SoftYubiKey, e2eTest } from './harness.mjs';
import {
  button, clickAndLoad, expectHeading, expectPath, expectSignedIn, expectText, newUser, openEnrollment,
  readBackupCodes, signIn, signOut, signUp,
} from './flows.mjs';

e2eTest('register a YubiKey by touching it, sign out, sign in with a fresh touch', async (ctx) => {
  const { page, server } = ctx;
  const key = new SoftYubiKey();
  await key.importInto(server);
  const user = newUser();
  await signUp(ctx, user);

  // Enable two-factor authentication → confirm the password → choose "YubiKey".
  await openEnrollment(ctx, user);
  await clickAndLoad(page, page.getByRole('link', { name: 'YubiKey', exact: true }));
  await ctx.shot('yubikey-form');
  expectPath(page, '/profile/security/yubikey');
  await expectHeading(page, 'Add a YubiKey');
  await page.getByLabel('Name this key', { exact: true }).fill('Desk key');
  const field = page.getByLabel('Insert your YubiKey and touch it', { exact: true });
  assert.equal(await field.getAttribute('autocomplete'), 'off');
  await field.fill(await key.touch());
  await clickAndLoad(page, button(page, 'Add YubiKey'));
  await ctx.shot('yubikey-added');
  await expectHeading(page, 'Two-factor authentication is enabled');
  assert.equal((await readBackupCodes(page)).length, 10, 'turning 2FA on with a YubiKey gives backup codes');

  await ctx.goto('/profile/security', 'security-with-yubikey');
  await expectText(page, 'Two-factor authentication is on.');
  await expectText(page, `YubiKey \u201cDesk key\u201d (${key.publicId})`);
  await signOut(ctx);

  assert.equal(await signIn(ctx, user), '/login/code', 'with a YubiKey the password leads to the second page');
  await clickAndLoad(page, page.getByRole('link', { name: 'Use your YubiKey', exact: true }));
  await ctx.shot('use-your-yubikey');
  expectPath(page, '/login/yubikey');
  await expectHeading(page, 'Use your YubiKey');
  const otp = await key.touch();
  await page.getByLabel('YubiKey one-time password', { exact: true }).fill(otp);
  await clickAndLoad(page, button(page, 'Verify'));
  await ctx.shot('signed-in-with-yubikey');
  await expectSignedIn(page);
  await expectText(page, 'Signed in with a YubiKey');
  await signOut(ctx);

  // The same touch again is a replay.
  assert.equal(await signIn(ctx, user), '/login/code');
  await ctx.goto('/login/yubikey', 'use-your-yubikey-again');
  await page.getByLabel('YubiKey one-time password', { exact: true }).fill(otp);
  await clickAndLoad(page, button(page, 'Verify'));
  await ctx.shot('replay-refused');
  await expectText(page, 'That YubiKey one-time password was not accepted. Touch your YubiKey again.');
  await expectHeading(page, 'Use your YubiKey');
});
