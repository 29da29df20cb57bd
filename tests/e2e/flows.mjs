// The console's steps as a user takes them, written against docs/console.md: its paths,
// field names, button labels, headings and messages. The tests compose these; each step
// screenshots the page it lands on.

import assert from 'node:assert/strict';
import path from 'node:path';

import { Authenticator, decodeQrFromScreenshot, parseOtpauth, readOutbox } from './harness.mjs';

// Short: the pages are server-rendered, so once a page has loaded, what it shows is there.
const SHOWN = 5000;

// Ends in a letter, so that with the code typed after it the code is the only trailing digits.
export const PASSWORD = 'correct horse battery staple';

export function newUser(username = 'alice') {
  return { username, email: `${username}@example.com`, password: PASSWORD };
}

// -------------------------------------------------------------------------------------------
// Looking at a page

export function pathOf(page) {
  return new URL(page.url()).pathname;
}

export function expectPath(page, pathname, why = '') {
  assert.equal(pathOf(page), pathname, `expected to be on ${pathname}${why ? ` (${why})` : ''}, ` +
                                        `but the browser is at ${page.url()}`);
}

export async function expectHeading(page, name) {
  await page.getByRole('heading', { name, exact: true }).first().waitFor({ timeout: SHOWN });
}

export async function expectText(page, text) {
  await page.getByText(text).first().waitFor({ state: 'visible', timeout: SHOWN });
}

export function button(page, name) {
  return page.getByRole('button', { name, exact: true });
}

// "Enable two-factor authentication" starts a GET flow, so it may be a link styled as a button.
export function action(page, name) {
  return page.getByRole('button', { name, exact: true })
    .or(page.getByRole('link', { name, exact: true }));
}

/** Clicks something that loads a new page and waits until that page has loaded. */
export async function clickAndLoad(page, locator) {
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame(),
  });
  await locator.first().click();
  await navigated;
  await page.waitForLoadState('load');
}

// -------------------------------------------------------------------------------------------
// Account and session

/**
 * /signup → "Create account" → "Check your e-mail"; the link in the mail → "Finish creating
 * your account" → "Create account"; lands signed in on /profile/security.
 */
export async function signUp({ page, goto, shot, server }, user) {
  await goto('/signup', 'signup-form');
  await expectHeading(page, 'Create your account');
  await page.locator('input[name="username"]').fill(user.username);
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await clickAndLoad(page, button(page, 'Create account'));
  await shot('signup-mailed');
  await expectHeading(page, 'Check your e-mail');
  await expectText(page, `We sent an e-mail to ${user.email}.`);
  const url = await signupLink(server, user);
  await page.goto(url);
  await shot('signup-link');
  expectPath(page, '/signup/confirm');
  await expectHeading(page, 'Finish creating your account');
  await clickAndLoad(page, button(page, 'Create account'));
  await shot('signed-up');
  expectPath(page, '/profile/security', 'the link from the mail signs the new user in');
}

/** The link of the newest "confirm your new account" mail to the user. */
export async function signupLink(server, user) {
  const deadline = Date.now() + SHOWN;
  for (;;) {
    const mail = (await readOutbox(server, { timeoutMs: 0 }))
      .filter((m) => m.to === user.email && m.subject.includes('confirm your new account'));
    const link = mail.length ? /(http:\/\/\S+\/signup\/confirm\?token=[A-Za-z0-9_-]+)/.exec(mail.at(-1).text) : null;
    if (link) return link[1];
    assert.ok(Date.now() < deadline, `no sign-up mail to ${user.email}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Signed in: on /profile/security, "Security", with the Sign out button in the header. */
export async function expectSignedIn(page) {
  expectPath(page, '/profile/security');
  await expectHeading(page, 'Security');
  await button(page, 'Sign out').waitFor({ timeout: SHOWN });
}

/** The Sign out button in the page header; ends on /login. */
export async function signOut({ page, shot }) {
  await clickAndLoad(page, button(page, 'Sign out'));
  await shot('signed-out');
  expectPath(page, '/login', 'signing out goes to the sign-in page');
  await expectHeading(page, 'Sign in');
}

/**
 * /login with username and password (and the `otp` field when given and shown); returns the
 * path it lands on: /profile/security when signed in, /login/code when a code is asked for.
 */
export async function signIn({ page, goto, shot }, user, { password = user.password, otp = null,
                                                           open = true } = {}) {
  if (open) await goto('/login', 'sign-in-form');
  await expectHeading(page, 'Sign in');
  await page.locator('input[name="username"]').fill(user.username);
  await page.locator('input[name="password"]').fill(password);
  if (otp !== null) await page.locator('input[name="otp"]').fill(otp);
  await clickAndLoad(page, button(page, 'Sign in'));
  await shot(`signed-in-to-${pathOf(page)}`);
  return pathOf(page);
}

/** On /login/code: types the code, ticks the 7-day box if asked, presses Verify. */
export async function submitCode({ page, shot }, code, { remember = false } = {}) {
  expectPath(page, '/login/code');
  await page.locator('input[name="code"]').fill(code);
  if (remember) {
    await page.getByLabel('Do not challenge me on this device for the next 7 days', { exact: true })
      .check();
  }
  await clickAndLoad(page, button(page, 'Verify'));
  await shot(`code-${remember ? 'remembered-' : ''}to-${pathOf(page)}`);
  return pathOf(page);
}

export const WRONG_CODE_MESSAGE =
  'That code is not valid. Check that the date and time on your phone are correct.';

// -------------------------------------------------------------------------------------------
// Enabling two-factor authentication

/**
 * From /profile/security: "Enable two-factor authentication", then "Confirm your password"
 * unless the server skips it (it may, within 5 minutes of a confirmation); ends on the
 * "Scan the QR code" page. Returns whether the password page was shown.
 */
export async function openEnrollment({ page, goto, shot }, user) {
  if (pathOf(page) !== '/profile/security') await goto('/profile/security', 'security');
  await expectText(page, 'Two-factor authentication is off.');
  await clickAndLoad(page, action(page, 'Enable two-factor authentication'));
  await shot('enable');
  let confirmed = false;
  if (pathOf(page) === '/profile/security/enable') {
    await expectHeading(page, 'Confirm your password');
    await page.locator('input[name="password"]').fill(user.password);
    await clickAndLoad(page, button(page, 'Confirm'));
    await shot('password-confirmed');
    confirmed = true;
  }
  expectPath(page, '/profile/security/enroll');
  await expectHeading(page, 'Scan the QR code');
  return confirmed;
}

/** Reads the enrollment page's QR code; keeps its screenshot beside the page screenshots. */
export async function readQr({ page, screenshots }, name = 'qr') {
  const uri = await decodeQrFromScreenshot(page, { file: path.join(screenshots, `${name}.png`) });
  return { uri, otp: parseOtpauth(uri) };
}

/** On the enrollment page: types a code and presses Confirm. */
export async function submitEnrollmentCode({ page, shot }, code) {
  expectPath(page, '/profile/security/enroll');
  await page.locator('input[name="code"]').fill(code);
  await clickAndLoad(page, button(page, 'Confirm'));
  await shot(`enroll-code-to-${pathOf(page)}`);
  return pathOf(page);
}

/**
 * Signs up and enables TOTP with the secret read from the QR code; ends on
 * /profile/security with 2FA on. Returns {user, uri, otp, authenticator}.
 */
export async function signUpWithTwoFactor(ctx, user = newUser()) {
  await signUp(ctx, user);
  await openEnrollment(ctx, user);
  const { uri, otp } = await readQr(ctx);
  const authenticator = new Authenticator(otp.secret);
  await submitEnrollmentCode(ctx, await authenticator.freshCode());
  await expectHeading(ctx.page, 'Two-factor authentication is enabled');
  const backupCodes = await readBackupCodes(ctx.page);
  assert.equal(backupCodes.length, 10, 'the success page shows ten backup codes');
  await ctx.goto('/profile/security', 'security-2fa-on');
  await expectText(ctx.page, 'Two-factor authentication is on.');
  return { user, uri, otp, authenticator, backupCodes };
}

/** The backup codes listed on the page (after enabling or regenerating). */
export async function readBackupCodes(page) {
  return page.locator('ol.backup-codes code').allTextContents();
}
