// Plumbing for the end-to-end tests of the web console: a real `tfa serve` on a free port of
// 127.0.0.1 with a fresh data directory, Debian's headless Chromium driven by playwright-core,
// one-time codes from oathtool, QR codes read back by zbarimg, and a screenshot of every page
// a test visits.
//
//   TFA_BIN              the tfa binary under test (ctest sets it)
//   TFA_E2E_SCREENSHOTS  where screenshots and server logs go (default: build/e2e-screenshots)
//
// Each test gets its own server, browser and browser context (see e2eTest), so the tests
// share no account, cookie or used one-time code and may run in any order.

import { spawn, execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

export const SCREENSHOT_ROOT = path.resolve(
  process.env.TFA_E2E_SCREENSHOTS || path.join(repoRoot, 'build', 'e2e-screenshots'));

// Debian's chromium; the flags keep it from reaching for Google's hosts on a closed network
// (every refused connection slows it down) and let it run as root in a container.
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Fast password hashing: the tests sign in many times and Argon2id's defaults would make
// each sign-in cost a noticeable fraction of a second, more under the sanitizers.
const FAST_HASHING = { TFA_PASSWORD_ARGON2_OPS: '1', TFA_PASSWORD_ARGON2_MEMORY_KIB: '8' };

const TOTP_PERIOD = 30;

// ---------------------------------------------------------------------------------------------
// The server

function tfaBinary() {
  const bin = process.env.TFA_BIN;
  if (!bin) {
    throw new Error('TFA_BIN is not set: run the e2e tests through ctest, or set TFA_BIN to the ' +
                    'tfa binary (e.g. TFA_BIN=build/tfa node --test tests/e2e/)');
  }
  if (!fs.existsSync(bin)) throw new Error(`TFA_BIN=${bin}: no such file`);
  return path.resolve(bin);
}

/** A free TCP port on 127.0.0.1, found by binding port 0 and letting it go again. */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

// The child's environment: the caller's, less every TFA_* setting a developer may have
// exported (TFA_CONFIG above all), so that only what a test asks for configures the server.
function serverEnvironment(extraEnv) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TFA_')) env[name] = value;
  }
  return { ...env, ...FAST_HASHING, ...extraEnv };
}

const LISTENING = /tfa listening on http:\/\/(\S+):(\d+)/;

// Servers not yet stopped, killed if the test process ends without stopping them (an
// uncaught error, a timeout), so that no tfa outlives the run.
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

/** One `tfa serve` process; use startServer() to get a running one. */
class Server {
  constructor(child, dataDir, logFile) {
    this.child = child;
    this.pid = child.pid;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.output = '';
    this.exit = null;  // {code, signal} once the process has ended
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(child);
        resolve(this.exit);
      });
    });
    const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
    this.logClosed = log ? new Promise((resolve) => log.on('close', resolve)) : Promise.resolve();
    let open = 2;
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (text) => {
        this.output += text;
        log?.write(text);
      });
      stream.on('end', () => { if (--open === 0) log?.end(); });
    }
    running.add(child);
  }

  /** Resolves with {host, port} at the "tfa listening on" line, or null if tfa exits first. */
  async listening(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = LISTENING.exec(this.output);
      if (match) return { host: match[1], port: Number(match[2]) };
      if (this.exit) return null;
      await sleep(20);
    }
    throw new Error(`tfa printed no "tfa listening on" line within ${timeoutMs / 1000} s\n` +
                    this.tail());
  }

  /** The last lines the server printed, for error messages. */
  tail(lines = 40) {
    const all = this.output.trimEnd().split('\n');
    return `--- tfa output (last ${Math.min(lines, all.length)} lines` +
           `${this.logFile ? `; all of it in ${this.logFile}` : ''}) ---\n` +
           all.slice(-lines).join('\n');
  }

  /** SIGTERM by PID, SIGKILL after 5 s; resolves with {code, signal}. */
  async stop() {
    if (!this.exit) {
      try { process.kill(this.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = new Promise((resolve) => setTimeout(resolve, 5000, 'timeout'));
      if (await Promise.race([this.exited, timer]) === 'timeout') {
        try { process.kill(this.pid, 'SIGKILL'); } catch { /* already gone */ }
        await this.exited;
        this.exit.afterSigkill = true;
      }
    }
    await this.logClosed;
    return this.exit;
  }

  url(pathname = '/') {
    return new URL(pathname, this.baseUrl).href;
  }
}

function spawnServer(listen, dataDir, env, logFile) {
  if (logFile) fs.appendFileSync(logFile, `$ tfa --data-dir ${dataDir} serve --listen ${listen}\n`);
  const child = spawn(tfaBinary(), ['--data-dir', dataDir, 'serve', '--listen', listen], {
    env: serverEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Server(child, dataDir, logFile);
}

async function waitForHealth(server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (server.exit) break;
    try {
      const response = await fetch(server.url('/healthz'), { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code || error.message;
    }
    await sleep(50);
  }
  throw new Error(`GET /healthz did not answer 200 (last: ${last})\n${server.tail()}`);
}

/**
 * Starts `tfa serve` on 127.0.0.1 with a fresh temporary data directory and waits until
 * GET /healthz answers 200.
 *   env      extra environment, e.g. {TFA_LOGIN_CODE_IN_PASSWORD: 'true'}
 *   logFile  where the server's output goes (appended), besides memory
 * Port 0 lets the system pick a free port, read back from the "listening on" line; should
 * tfa not take port 0, a free port is picked here and the start tried again.
 */
export async function startServer({ env = {}, logFile = null, startTimeoutMs = 30000 } = {}) {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tfa-e2e-'));
  const attempts = [];
  try {
    for (const listen of ['127.0.0.1:0', null, null]) {
      const address = listen ?? `127.0.0.1:${await freePort()}`;
      const server = spawnServer(address, dataDir, env, logFile);
      const bound = await server.listening(startTimeoutMs);
      if (bound && bound.port !== 0) {
        server.baseUrl = `http://${bound.host}:${bound.port}/`;
        server.port = bound.port;
        await waitForHealth(server, startTimeoutMs);
        return server;
      }
      // Exited early (port 0 refused, or the picked port taken meanwhile), or bound to a port
      // it reports as 0: try again on a port picked here.
      await server.stop();
      attempts.push(`--listen ${address}: ${server.exit ? `exited ${describeExit(server.exit)}`
                                                        : 'reported port 0'}\n${server.tail(20)}`);
    }
    throw new Error(`tfa serve did not start:\n${attempts.join('\n')}`);
  } catch (error) {
    await fsp.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function describeExit({ code, signal, afterSigkill }) {
  if (afterSigkill) return 'only after SIGKILL (SIGTERM was ignored for 5 s)';
  return signal ? `on signal ${signal}` : `with status ${code}`;
}

// ---------------------------------------------------------------------------------------------
// Mail: without an SMTP server, tfa writes each message to <data dir>/outbox/ as an .eml file.

/** The text/plain part of an RFC 5322 message with base64 MIME parts, as tfa writes them. */
function plainTextOf(raw) {
  const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
  if (!boundary) return raw;
  for (const part of raw.split(`--${boundary}`)) {
    const [head, ...rest] = part.split('\r\n\r\n');
    if (!/Content-Type: text\/plain/i.test(head)) continue;
    const body = rest.join('\r\n\r\n').replace(/\s+/g, '');
    return /base64/i.test(head) ? Buffer.from(body, 'base64').toString('utf8') : rest.join('\r\n\r\n');
  }
  return raw;
}

/**
 * The server's mail so far, oldest first: [{to, subject, text}]. Waits up to `timeoutMs` for
 * at least `atLeast` messages, since mail leaves through a queue.
 */
export async function readOutbox(server, { atLeast = 1, timeoutMs = 5000 } = {}) {
  const folder = path.join(server.dataDir, 'outbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let names = [];
    try { names = (await fsp.readdir(folder)).filter((n) => n.endsWith('.eml')).sort(); } catch { /* none yet */ }
    const messages = [];
    for (const name of names) {
      const raw = await fsp.readFile(path.join(folder, name), 'utf8');
      const header = (field) => new RegExp(`^${field}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
      const subject = header('Subject').replace(/=\?UTF-8\?B\?([^?]*)\?=/gi,
        (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
      messages.push({ to: header('To'), subject, text: plainTextOf(raw) });
    }
    if (messages.length >= atLeast || Date.now() > deadline) return messages;
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// One-time codes (oathtool)

function currentStep(nowMs = Date.now()) {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD);
}

/** The TOTP code of `secret` (base32) for time step `step`, by oathtool. */
export async function codeForStep(secret, step) {
  const { stdout } = await run('oathtool', ['--totp', '-b', secret, '-N', `@${step * TOTP_PERIOD}`]);
  const code = stdout.trim();
  if (!/^\d{6}$/.test(code)) throw new Error(`oathtool printed ${JSON.stringify(stdout)}`);
  return code;
}

/** The code an authenticator app shows now: `oathtool --totp -b SECRET`. */
export async function computeCode(secret) {
  const { stdout } = await run('oathtool', ['--totp', '-b', secret]);
  return stdout.trim();
}

/** The next time step's code (`-N @<its start>`); the server accepts it as one step of drift. */
export async function computeNextCode(secret) {
  return codeForStep(secret, currentStep() + 1);
}

/** A 6-digit code valid in none of the steps from `spread` before now to `spread` after. */
export async function wrongCode(secret, spread = 3) {
  const now = currentStep();
  const valid = new Set();
  for (let step = now - spread; step <= now + spread; ++step) valid.add(await codeForStep(secret, step));
  let n = Number(await codeForStep(secret, now));
  let code;
  do {
    n = (n + 111111) % 1000000;
    code = String(n).padStart(6, '0');
  } while (valid.has(code));
  return code;
}

/**
 * The authenticator app of one account. The server refuses a code whose time step, or an
 * earlier one, was already accepted, and accepts one step of drift either way; so each
 * fresh code is the current step's, or the next step's if the current one was handed out,
 * or, if that one was too, the next step's after waiting for the clock to move on.
 */
export class Authenticator {
  constructor(secret) {
    this.secret = secret;
    this.lastStep = -Infinity;  // the latest step whose code was handed out
  }

  /** A code the server has not seen yet, and the step it belongs to. */
  async freshCodeWithStep() {
    let now = currentStep();
    if (this.lastStep >= now + 1) {
      // Both the current and the next step are spent: wait for the next step to begin,
      // plus a little so the server's clock is past the boundary too.
      const nextStepStartsMs = this.lastStep * TOTP_PERIOD * 1000;
      await sleep(Math.max(0, nextStepStartsMs - Date.now()) + 500);
      now = currentStep();
    }
    const step = Math.max(now, this.lastStep + 1);
    this.lastStep = step;
    return { code: await codeForStep(this.secret, step), step };
  }

  async freshCode() {
    return (await this.freshCodeWithStep()).code;
  }
}

/** Runs `tfa ARGS --data-dir <the server's data folder>`, as an operator would; its stdout. */
export async function runTfa(server, args) {
  const { stdout } = await run(tfaBinary(), [...args, '--data-dir', server.dataDir],
                               { env: serverEnvironment({}) });
  return stdout;
}

// ---------------------------------------------------------------------------------------------
// YubiKeys

const MODHEX = 'cbdefghijklnrtuv';

/**
 * A YubiKey in software: random secrets, imported into a server with `tfa yubikey import`,
 * and one-time passwords made by ykgenerate (libyubikey) with counters that grow with each
 * touch, as a key types them.
 */
export class SoftYubiKey {
  constructor() {
    const bytes = crypto.randomBytes(5);
    this.publicId = 'vv' + [...bytes].map((b) => MODHEX[b >> 4] + MODHEX[b & 15]).join('');
    this.privateId = crypto.randomBytes(6).toString('hex');
    this.aesKey = crypto.randomBytes(16).toString('hex');
    this.session = 0;
  }

  async importInto(server) {
    await runTfa(server, ['yubikey', 'import', this.publicId, this.privateId, this.aesKey]);
  }

  /** What the key types when touched: its public ID and a fresh token. */
  async touch() {
    this.session += 1;
    const hex2 = (n, width) => n.toString(16).padStart(width, '0');
    const { stdout } = await run('ykgenerate', [this.aesKey, this.privateId, '0001',
                                                hex2(this.session * 8, 4), '00', hex2(this.session, 2)]);
    const token = stdout.trim();
    if (!/^[cbdefghijklnrtuv]{32}$/.test(token)) throw new Error(`ykgenerate printed ${JSON.stringify(stdout)}`);
    return this.publicId + token;
  }
}

// ---------------------------------------------------------------------------------------------
// QR codes and otpauth URIs

/**
 * Reads the QR code on the page: screenshots the <figure> around the QR code's SVG (or the
 * SVG itself), with a margin of page background for zbar's quiet zone, and decodes the
 * PNG with zbarimg. Returns the text the QR code holds.
 *   file  where to keep the screenshot (default: a temporary file, removed afterwards)
 */
export async function decodeQrFromScreenshot(page, { file = null } = {}) {
  const handle = await page.evaluateHandle(() => {
    // The QR code is the largest SVG on the page (the others are icons); the <figure> around
    // it, when there is one, is what a user sees as the QR code, with its padding.
    const area = (e) => { const r = e.getBoundingClientRect(); return r.width * r.height; };
    const qr = [...document.querySelectorAll('svg')].sort((a, b) => area(b) - area(a))[0];
    return qr ? (qr.closest('figure') ?? qr) : null;
  });
  const element = handle.asElement();
  if (!element) throw new Error(`no <svg> on ${page.url()} to read a QR code from`);
  await element.scrollIntoViewIfNeeded();
  const box = await element.boundingBox();
  if (!box || box.width < 20) throw new Error(`the QR code on ${page.url()} is not visible`);

  const target = file ?? path.join(await fsp.mkdtemp(path.join(os.tmpdir(), 'tfa-qr-')), 'qr.png');
  // boundingBox() is relative to the viewport, a full-page clip to the document.
  const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  const margin = Math.max(16, box.width / 8);
  const clip = {
    x: Math.max(0, scroll.x + box.x - margin),
    y: Math.max(0, scroll.y + box.y - margin),
    width: box.width + 2 * margin,
    height: box.height + 2 * margin,
  };
  await page.screenshot({ path: target, clip, fullPage: true });
  try {
    // -Sbinary keeps zbar from guessing a character set and converting the bytes; only QR
    // symbols are looked for, so no linear barcode is "found" in the modules.
    const { stdout } = await run('zbarimg',
      ['--raw', '-q', '--nodbus', '-Sdisable', '-Sqrcode.enable', '-Sbinary', target]);
    return stdout.replace(/\n$/, '');
  } catch (error) {
    throw new Error(`zbarimg found no QR code in ${target} (screenshot of ${page.url()}): ` +
                    `${error.stderr || error.message}`);
  } finally {
    if (!file) await fsp.rm(path.dirname(target), { recursive: true, force: true });
  }
}

/**
 * The parts of an otpauth:// Key URI: {type, label, issuer, account, secret, algorithm,
 * digits, period}. The label is percent-decoded; `issuer` is the parameter's, else the
 * label's prefix.
 */
export function parseOtpauth(uri) {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:') throw new Error(`not an otpauth URI: ${uri}`);
  const label = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const colon = label.indexOf(':');
  const labelIssuer = colon >= 0 ? label.slice(0, colon) : null;
  const account = colon >= 0 ? label.slice(colon + 1).trimStart() : label;
  const param = (name) => url.searchParams.get(name);
  const secret = param('secret');
  if (!secret) throw new Error(`otpauth URI without a secret: ${uri}`);
  return {
    type: url.hostname,
    label,
    labelIssuer,
    issuer: param('issuer') ?? labelIssuer,
    account,
    secret: secret.toUpperCase().replace(/=+$/, ''),
    algorithm: param('algorithm') ?? 'SHA1',
    digits: Number(param('digits') ?? 6),
    period: Number(param('period') ?? 30),
  };
}

// ---------------------------------------------------------------------------------------------
// Browser

let playwright;
async function chromium() {
  if (!playwright) {
    try {
      playwright = await import('playwright-core');
    } catch (error) {
      throw new Error('playwright-core is not installed in tests/e2e/node_modules: run ' +
                      `scripts/setup (or npm ci --prefix tests/e2e) (${error.message})`);
    }
  }
  return playwright.chromium;
}

/** Debian's Chromium, headless, with a fresh temporary profile (Playwright's default). */
export async function launchBrowser() {
  return (await chromium()).launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// ---------------------------------------------------------------------------------------------
// Tests

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A node:test test with its own server, browser, context and page. `body` gets
 * {server, browser, context, page, shot, goto, diagnostic, screenshots}.
 *   shot(step)  screenshots the whole page as NN-step.png in this test's folder
 *   goto(path)  opens a path of the server and screenshots it
 * On failure the error names the page it was on, its screenshot and the server's output.
 */
export function e2eTest(name, body, { env = {}, timeout = 150000 } = {}) {
  test(name, { timeout }, async (t) => {
    const file = path.basename(process.argv[1] ?? 'e2e', '.test.mjs');
    const screenshots = path.join(SCREENSHOT_ROOT, `${slug(file)}--${slug(name)}`);
    await fsp.rm(screenshots, { recursive: true, force: true });
    await fsp.mkdir(screenshots, { recursive: true });
    t.diagnostic(`screenshots and server log: ${screenshots}`);

    const server = await startServer({ env, logFile: path.join(screenshots, 'server.log') });
    let browser;
    let failed = false;
    let count = 0;
    const ctx = { server, screenshots, diagnostic: (m) => t.diagnostic(m) };
    try {
      browser = await launchBrowser();
      // Light colours, whatever the machine prefers, so the QR code stays dark on light.
      const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1000, height: 800 } });
      context.setDefaultTimeout(15000);
      const page = await context.newPage();
      Object.assign(ctx, { browser, context, page });
      ctx.shot = async (step) => {
        const shotFile = path.join(screenshots, `${String(++count).padStart(2, '0')}-${slug(step)}.png`);
        await page.screenshot({ path: shotFile, fullPage: true });
        return shotFile;
      };
      ctx.goto = async (pathname, step = pathname) => {
        const response = await page.goto(server.url(pathname));
        await ctx.shot(step);
        return response;
      };
      await body(ctx);
    } catch (error) {
      failed = true;
      let where = '';
      if (ctx.page && !ctx.page.isClosed()) {
        try {
          const shotFile = await ctx.shot('failure');
          const text = (await ctx.page.locator('body').innerText({ timeout: 2000 })).trim();
          where = `\n--- page ${ctx.page.url()} (screenshot ${shotFile}) ---\n${text.slice(0, 2000)}`;
        } catch (detail) {
          where = `\n(no screenshot of the page: ${detail.message})`;
        }
      }
      // Playwright's call logs carry terminal colour codes, noise in ctest's log.
      error.message = `${error.message}${where}\n${server.tail()}`.replace(/\x1b\[[0-9;]*m/g, '');
      throw error;
    } finally {
      await browser?.close().catch(() => {});
      const exit = await server.stop();
      await fsp.rm(server.dataDir, { recursive: true, force: true });
      if (exit.afterSigkill || exit.code !== 0) {
        const what = `tfa serve (pid ${server.pid}), sent SIGTERM, exited ${describeExit(exit)}`;
        // A server that does not stop cleanly (or a sanitizer report, which makes it exit
        // non-zero) fails the test, unless the test failed already for its own reason.
        if (failed) t.diagnostic(what);
        else throw new Error(`${what}\n${server.tail()}`);
      }
    }
  });
}
