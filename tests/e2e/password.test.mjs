// "Change password" from Security: the current password, then the new one twice. A wrong
// current password or two different new ones are refused on the page; a change signs out
// every browser of the account, and the sign-in page says so.

import assert from 'node:assert/strict';

import { e2eTest, readOutbox } from './harness.mjs';
import {
  action, button, clickAndLoad, expectHeading, expectPath, expectSignedIn, expectText, newUser,
  signIn, signUp,
} from './flows.mjs';

const NEW_PASSWORD = 'a new and longer passphrase';

async function fillPasswordForm(page, current, replacement, again = replacement) {
  await page.getByLabel('Current password', { exact: true }).fill(current);
  await page.getByLabel('New password', { exact: true }).fill(replacement);
  await page.getByLabel('Confirm new password', { exact: true }).fill(again);
  await clickAndLoad(page, button(page, 'Change password'));
}

e2eTest('change the password and every browser is signed out', async (ctx) => {
  const { page, browser, server, shot } = ctx;
  const user = newUser('carol');
  await signUp(ctx, user);

  // A second browser signed in to the same account.
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  const other = { page: otherPage, goto: (p) => otherPage.goto(server.url(p)), shot: async () => {} };
  assert.equal(await signIn(other, user), '/profile/security');

  await expectHeading(page, 'Password');
  await clickAndLoad(page, action(page, 'Change password'));
  await shot('change-password-form');
  expectPath(page, '/profile/password');
  await expectHeading(page, 'Change password');

  await fillPasswordForm(page, 'not my password', NEW_PASSWORD);
  await shot('wrong-current-password');
  await expectText(page, 'Your current password is incorrect.');

  await fillPasswordForm(page, user.password, NEW_PASSWORD, `${NEW_PASSWORD}!`);
  await shot('new-passwords-differ');
  await expectText(page, 'The new passwords do not match.');

  await fillPasswordForm(page, user.password, NEW_PASSWORD);
  await shot('password-changed');
  expectPath(page, '/login', 'a change signs this browser out too');
  await expectText(page, 'Your password was changed and every browser was signed out.');

  await otherPage.goto(server.url('/profile/security'));
  assert.equal(new URL(otherPage.url()).pathname, '/login', 'the other browser is signed out');
  await otherContext.close();

  assert.equal(await signIn(ctx, user), '/login', 'the old password no longer works');
  await expectText(page, 'Incorrect username or password.');
  assert.equal(await signIn(ctx, { ...user, password: NEW_PASSWORD }), '/profile/security');
  await expectSignedIn(page);
  await expectText(page, 'Password changed');

  const mail = (await readOutbox(server)).filter((m) => m.subject.includes('your password was changed'));
  assert.equal(mail.length, 1, 'the owner is told by e-mail');
  assert.equal(mail[0].to, user.email);
});
