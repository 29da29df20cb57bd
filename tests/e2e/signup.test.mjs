// Sign-up: a new account is signed in at once and starts with two-factor authentication off.

import assert from 'node:assert/strict';

import { e2eTest } from './harness.mjs';
import { action, expectPath, expectSignedIn, expectText, newUser, pathOf, signOut, signUp }
  from './flows.mjs';

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
