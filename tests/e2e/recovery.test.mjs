// Lost device (seed 001): after the password, "Lost your device? Disable two-factor
// authentication" mails a one-time token; the link in the mail fills it in, and the button
// turns 2FA off and signs the user in. The token works once.

import assert from 'node:assert/strict';

import { e2eTest, readOutbox } from './harness.mjs';
import {
  button, clickAndLoad, expectHeading, expectPath, expectSignedIn, expectText, signIn, signOut,
  signUpWithTwoFactor,
} from './flows.mjs';

e2eTest('lose the device, take the token from the mail and get back in', async (ctx) => {
  const { page, goto, server } = ctx;
  const { user } = await signUpWithTwoFactor(ctx);
  await signOut(ctx);
  assert.equal(await signIn(ctx, user), '/login/code');
  await clickAndLoad(page, button(page, 'Lost your device? Disable two-factor authentication'));
  await ctx.shot('recovery-mail-sent');
  await expectHeading(page, 'Disable two-factor authentication');
  await expectText(page, 'We sent an e-mail with a one-time token to a•••@example.com');

  const mail = (await readOutbox(server, { atLeast: 2 }))
    .filter((m) => m.subject.includes('turn off two-factor authentication'));
  assert.equal(mail.length, 1, 'one recovery mail');
  assert.equal(mail[0].to, user.email);
  const link = /(http:\/\/\S+\/login\/recover\?token=([A-Za-z0-9_-]{43}))/.exec(mail[0].text);
  assert.ok(link, `the mail carries a link with the token:\n${mail[0].text}`);
  const [, url, token] = link;

  // A wrong token first: a clear message, still signed out.
  await page.getByLabel('One-time token', { exact: true }).fill('this-is-not-the-token');
  await clickAndLoad(page, button(page, 'Disable two-factor authentication'));
  await expectText(page, 'That token is not valid.');

  // The link fills the token in; the button finishes.
  await page.goto(url);
  await ctx.shot('recovery-link');
  expectPath(page, '/login/recover');
  assert.equal(await page.getByLabel('One-time token', { exact: true }).inputValue(), token);
  await clickAndLoad(page, button(page, 'Disable two-factor authentication'));
  await ctx.shot('recovered');
  await expectSignedIn(page);
  await expectText(page, 'Two-factor authentication is off.');

  // Used once: the same link does nothing the second time.
  await signOut(ctx);
  await goto(new URL(url).pathname + new URL(url).search, 'recovery-link-again');
  await clickAndLoad(page, button(page, 'Disable two-factor authentication'));
  await expectText(page, 'That token has been used already.');
  const subjects = (await readOutbox(server, { atLeast: 3 })).map((m) => m.subject);
  assert.ok(subjects.some((s) => s.includes('two-factor authentication was turned off')), subjects.join(', '));
});
