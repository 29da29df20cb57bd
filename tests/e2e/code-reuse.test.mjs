// A code is good once: accepted at one sign-in, it is refused at the next one even while its
// time step is still within the accepted window; a fresh code still works afterwards.

import assert from 'node:assert/strict';

import { e2eTest } from './harness.mjs';
import {
  expectSignedIn, expectText, signIn, signOut, signUpWithTwoFactor, submitCode,
} from './flows.mjs';

e2eTest('a code accepted once is refused the second time', async (ctx) => {
  const { page, diagnostic } = ctx;
  const { user, authenticator } = await signUpWithTwoFactor(ctx);
  await signOut(ctx);

  const { code, step } = await authenticator.freshCodeWithStep();
  assert.equal(await signIn(ctx, user), '/login/code');
  assert.equal(await submitCode(ctx, code), '/profile/security', 'the code is accepted once');
  await expectSignedIn(page);
  await signOut(ctx);

  assert.equal(await signIn(ctx, user), '/login/code');
  const nowStep = Math.floor(Date.now() / 30000);
  assert.ok(Math.abs(nowStep - step) <= 1, 'the code is still within one step of now');
  assert.equal(await submitCode(ctx, code), '/login/code', 'the same code is refused');
  await expectText(page, 'That code is not valid.');

  // The refusal was the replay, not a lock-out: the next unused code signs in (this may
  // wait for the clock to reach a step not spent yet).
  const started = Date.now();
  const fresh = await authenticator.freshCode();
  diagnostic(`waited ${((Date.now() - started) / 1000).toFixed(1)} s for an unused time step`);
  assert.equal(await submitCode(ctx, fresh), '/profile/security');
  await expectSignedIn(page);
});
