// "Do not challenge me on this device for the next 7 days": the device is listed on Security,
// skips the code until it is forgotten, and the tfa_device cookie is kept for 7 days.

import assert from 'node:assert/strict';

import { e2eTest } from './harness.mjs';
import {
  button, clickAndLoad, expectHeading, expectSignedIn, signIn, signOut,
  signUpWithTwoFactor, submitCode,
} from './flows.mjs';

const SEVEN_DAYS = 7 * 24 * 3600;

e2eTest('a trusted device skips the code until it is forgotten', async (ctx) => {
  const { page, context, goto } = ctx;
  const { user, authenticator } = await signUpWithTwoFactor(ctx);
  assert.equal(await button(page, 'Forget this device').count(), 0, 'no trusted device yet');

  await signOut(ctx);
  assert.equal(await signIn(ctx, user), '/login/code');
  const before = Date.now() / 1000;
  assert.equal(await submitCode(ctx, await authenticator.freshCode(), { remember: true }),
               '/profile/security');
  await expectSignedIn(page);

  // The cookie: HttpOnly, SameSite=Lax, Path=/, for 7 days (Max-Age=604800).
  const device = (await context.cookies()).find((c) => c.name === 'tfa_device');
  assert.ok(device, 'ticking the box sets the tfa_device cookie');
  assert.equal(device.httpOnly, true);
  assert.equal(device.sameSite, 'Lax');
  assert.equal(device.path, '/');
  assert.ok(Math.abs(device.expires - before - SEVEN_DAYS) < 120,
            `tfa_device expires in 7 days (in ${Math.round(device.expires - before)} s)`);

  // Security lists this one device.
  await goto('/profile/security', 'security-one-device');
  assert.equal(await button(page, 'Forget this device').count(), 1, 'one trusted device listed');
  await page.getByText('This device', { exact: true }).waitFor({ timeout: 5000 });

  // Signed out and in again: no code asked.
  await signOut(ctx);
  assert.equal(await signIn(ctx, user), '/profile/security',
               'the trusted device signs in with the password alone');
  await expectSignedIn(page);

  // Forgotten: the list is empty and the code is asked again.
  await clickAndLoad(page, button(page, 'Forget this device'));
  await ctx.shot('device-forgotten');
  await goto('/profile/security', 'security-no-device');
  assert.equal(await button(page, 'Forget this device').count(), 0, 'the device is gone from the list');
  assert.equal(await page.getByText('This device', { exact: true }).count(), 0);

  await signOut(ctx);
  assert.equal(await signIn(ctx, user), '/login/code', 'a forgotten device is asked for the code');
  await expectHeading(page, 'Two-factor authentication');
});
