// Sign-up, confirmed by the link in a mail: the new account is signed in and starts with
// two-factor authentication off. A taken name gets the same page; only the mail tells.

import assert from 'node:assert/strict';

import { e2eTest, readOutbox } from './harness.mjs';
import {
  action, button, clickAndLoad, expectHeading, expectPath, expectSignedIn, expectText, newUser, pathOf,
  signIn, signOut, signUp,
} from './flows.mjs';

e2eTest('sign-up lands on Security with two-factor authentication off', async (ctx) => {
  const { page, goto } = ctx;

  await goto('/', 'root-signed-out');
  expectPath(page, '/login', '/ sends a visitor who is not signed in to the sign-in page');

  await signUp(ctx, newUser());
  await expectSignedIn(page);
  await expectText(page, 'Two-factor authentication is off.');
  assert.equal(await page.getByText('Two-factor authentication is on.').count(), 0);
  await action(page, 'Enable two-factor authentication').first().waitFor({ timeout: 5000 });

  await goto('/', 'root-signed-in');
  expectPath(page, '/profile/security', '/ sends a signed-in user to Security');

  // Signed out, Security is not shown: a redirect away, or an error status.
  await signOut(ctx);
  const response = await goto('/profile/security', 'security-signed-out');
  assert.ok(pathOf(page) !== '/profile/security' || response.status() >= 400,
            `Security once signed out: HTTP ${response.status()} at ${page.url()}`);
  assert.equal(await page.getByText('Two-factor authentication is off.').count(), 0);
});

e2eTest('a taken username gets the same "Check your e-mail" page, and the mail says so', async (ctx) => {
  const { page, goto, server } = ctx;
  const owner = newUser('carol');
  await signUp(ctx, owner);
  await signOut(ctx);

  const other = { ...owner, email: 'someone-else@example.com', password: 'another password 1' };
  await goto('/signup', 'signup-taken-form');
  await page.locator('input[name="username"]').fill(other.username);
  await page.locator('input[name="email"]').fill(other.email);
  await page.locator('input[name="password"]').fill(other.password);
  await clickAndLoad(page, button(page, 'Create account'));
  await ctx.shot('signup-taken-mailed');
  await expectHeading(page, 'Check your e-mail');
  await expectText(page, `We sent an e-mail to ${other.email}.`);
  assert.equal(await page.getByText('taken').count(), 0, 'the page does not say the name is taken');

  const mail = (await readOutbox(server, { atLeast: 2 })).filter((m) => m.to === other.email);
  assert.equal(mail.length, 1);
  assert.match(mail[0].subject, /that username is taken/);
  assert.doesNotMatch(mail[0].text, /token=/);
  // Nothing changed for the owner, and the other password does not sign in.
  assert.equal(await signIn(ctx, other), '/login');
  assert.equal(await signIn(ctx, owner), '/profile/security');
});
