// Backup codes (seed 004): shown once after enabling 2FA, downloadable as a text file; each
// signs in once; "Regenerate backup codes" (after the password) voids the old set. And
// "Disable two-factor authentication" from the profile, with the password and a code.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';

import { Authenticator, e2eTest, readOutbox } from './harness.mjs';
import {
  action, button, clickAndLoad, expectHeading, expectPath, expectSignedIn, expectText, newUser,
  openEnrollment, pathOf, readBackupCodes, readQr, signIn, signOut, signUp, signUpWithTwoFactor,
  submitEnrollmentCode,
} from './flows.mjs';

/** From the code step: "Use a backup code", type it, Verify; returns the path landed on. */
async function signInWithBackupCode(ctx, user, code) {
  const { page, shot } = ctx;
  assert.equal(await signIn(ctx, user), '/login/code');
  await clickAndLoad(page, page.getByRole('link', { name: 'Use a backup code', exact: true }));
  expectPath(page, '/login/backup');
  await expectHeading(page, 'Use a backup code');
  await page.getByLabel('Backup code', { exact: true }).fill(code);
  await clickAndLoad(page, button(page, 'Verify'));
  await shot(`backup-code-to-${pathOf(page)}`);
  return pathOf(page);
}

/** Security -> "Manage two-factor authentication" -> password -> the Manage page. */
async function openManage(ctx, user) {
  const { page, goto, shot } = ctx;
  await goto('/profile/security', 'security');
  await clickAndLoad(page, action(page, 'Manage two-factor authentication'));
  if (pathOf(page) === '/profile/security/enable') {
    await expectHeading(page, 'Confirm your password');
    await page.locator('input[name="password"]').fill(user.password);
    await clickAndLoad(page, button(page, 'Confirm'));
  }
  await shot('manage');
  expectPath(page, '/profile/security/manage');
  await expectHeading(page, 'Manage two-factor authentication');
}

e2eTest('backup codes: download, sign in once with each, regenerate', async (ctx) => {
  const { page, goto, server } = ctx;
  const user = newUser();
  await signUp(ctx, user);
  await openEnrollment(ctx, user);
  const { otp } = await readQr(ctx);
  await submitEnrollmentCode(ctx, await new Authenticator(otp.secret).freshCode());
  await expectHeading(page, 'Two-factor authentication is enabled');
  const codes = await readBackupCodes(page);
  assert.equal(codes.length, 10);
  for (const code of codes) assert.match(code, /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  assert.equal(new Set(codes).size, 10, 'ten different codes');

  // Download: a .txt file with every code.
  const [download] = await Promise.all([page.waitForEvent('download'),
                                        action(page, 'Download').first().click()]);
  assert.equal(download.suggestedFilename(), 'backup-codes.txt');
  const text = await fsp.readFile(await download.path(), 'utf8');
  for (const code of codes) assert.ok(text.includes(code), `the download holds ${code}`);
  // Copy and Print are there, with the script.
  await button(page, 'Copy').waitFor({ timeout: 5000 });
  await button(page, 'Print').waitFor({ timeout: 5000 });

  await goto('/profile/security', 'security-10-codes');
  await expectText(page, 'Backup codes left:');
  assert.equal(await page.locator('.backup-count strong').textContent(), '10');

  // A code signs in once, typed in capitals.
  await signOut(ctx);
  assert.equal(await signInWithBackupCode(ctx, user, codes[0].toUpperCase()), '/profile/security');
  await expectSignedIn(page);
  assert.equal(await page.locator('.backup-count strong').textContent(), '9');
  await signOut(ctx);
  assert.equal(await signInWithBackupCode(ctx, user, codes[0]), '/login/backup', 'a used code is refused');
  await expectText(page, 'That backup code is not valid, or it has been used already.');
  await page.getByLabel('Backup code', { exact: true }).fill(codes[1]);
  await clickAndLoad(page, button(page, 'Verify'));
  await expectSignedIn(page);

  // Regenerate: the old codes stop working, the new ones work.
  await openManage(ctx, user);
  await clickAndLoad(page, button(page, 'Regenerate backup codes'));
  await ctx.shot('new-backup-codes');
  await expectHeading(page, 'New backup codes');
  const fresh = await readBackupCodes(page);
  assert.equal(fresh.length, 10);
  assert.equal(fresh.filter((c) => codes.includes(c)).length, 0, 'a whole new set');
  await goto('/profile/security', 'security-after-regenerate');
  assert.equal(await page.locator('.backup-count strong').textContent(), '10');
  await signOut(ctx);
  assert.equal(await signInWithBackupCode(ctx, user, codes[2]), '/login/backup', 'an old code is refused');
  await page.getByLabel('Backup code', { exact: true }).fill(fresh[0]);
  await clickAndLoad(page, button(page, 'Verify'));
  await expectSignedIn(page);

  // The notices reached the outbox.
  const subjects = (await readOutbox(server, { atLeast: 5 })).map((m) => m.subject);
  for (const subject of ['two-factor authentication was turned on', 'a backup code was used',
                         'new backup codes were made']) {
    assert.ok(subjects.some((s) => s.includes(subject)), `a mail "${subject}" in ${subjects}`);
  }
});

e2eTest('disable two-factor authentication from the profile', async (ctx) => {
  const { page } = ctx;
  const { user, authenticator } = await signUpWithTwoFactor(ctx);
  await openManage(ctx, user);
  const field = page.getByLabel('Authentication code or backup code', { exact: true });
  await field.fill('000000');
  await clickAndLoad(page, button(page, 'Disable two-factor authentication'));
  await ctx.shot('disable-wrong-code');
  await expectText(page, 'That code is not valid.');
  await page.getByLabel('Authentication code or backup code', { exact: true }).fill(await authenticator.freshCode());
  await clickAndLoad(page, button(page, 'Disable two-factor authentication'));
  await ctx.shot('disabled');
  await expectSignedIn(page);
  await expectText(page, 'Two-factor authentication is off.');
  await signOut(ctx);
  assert.equal(await signIn(ctx, user), '/profile/security', 'the password alone signs in now');
});
