// Browser story of the second factor (TOTP): a manager, on a server that
// requires it of her role, is sent to the enrolment page at sign-in, reads
// the secret shown beside the QR code, confirms with a code computed here
// (RFC 6238 with node's crypto), gets 10 recovery codes once; signs out,
// signs in with password + code; a replayed code is refused; a recovery code
// works once. Starts the real server on a temporary SQLite database, drives
// Debian's chromium.
//
// Env: AMIABLE_BIN (default ../build/amiable).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, launchChromium, headerProblems, Stories } from './lib/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AMIABLE_BIN || path.join(root, 'build', 'amiable');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-second-factor-'));
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'motdepasse-solide-1';
const cli = (args, input) =>
  execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['user', 'add', '--name', 'claire', '--role', 'manager', '--organisme', '631', '--password-stdin'], password + '\n');

// RFC 4648 base32 and RFC 6238 TOTP (SHA-1, 30 s, 6 digits).
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 15;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}
const nowStep = () => Math.floor(Date.now() / 1000 / 30);

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1',
  '--web-root', path.join(root, 'web'), '--no-access-log', '--require-second-factor'], {});
const browser = await launchChromium();
const stories = new Stories();
const problems = [];
const context = await browser.newContext({ locale: 'fr-FR' });
const page = await context.newPage();
page.on('response', (r) => {
  if (r.url().startsWith(base)) for (const p of headerProblems(r.headers())) problems.push(`${r.url()}: ${p}`);
});

async function signInPassword() {
  await page.goto(`${base}/connexion`);
  await page.fill('#name', 'claire');
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
}
async function signOut() {
  await Promise.all([page.waitForNavigation(), page.click('form.signout button[type=submit]')]);
  assert.ok(page.url().endsWith('/connexion'));
}
async function typeCode(code) {
  await page.fill('#code', code);
  return (await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]))[0];
}

let secret = '';
let recovery = [];
let usedStep = 0;

await stories.story('a manager is sent to enrolment and enrols with the secret shown as text', async () => {
  await signInPassword();
  assert.ok(page.url().endsWith('/compte/second-facteur'), page.url());
  await page.goto(`${base}/tableau`);
  assert.ok(page.url().endsWith('/compte/second-facteur'), 'nothing else before enrolment');
  secret = (await page.textContent('#totp-secret')).trim();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const qrOk = await page.evaluate(() => {
    const img = document.querySelector('img[src="/compte/second-facteur/qr.svg"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  assert.ok(qrOk, 'the QR code is displayed');
  const wrong = await typeCode(totp(secret, nowStep() - 5));
  assert.equal(wrong.status(), 400);
  usedStep = nowStep();
  await typeCode(totp(secret, usedStep));
  recovery = await page.$$eval('#recovery-codes code', (els) => els.map((e) => e.textContent.trim()));
  assert.equal(recovery.length, 10);
  assert.equal(new Set(recovery).size, 10);
  await Promise.all([page.waitForNavigation(), page.click('#recovery-continue')]);
  assert.ok(page.url().endsWith('/tableau'));
  await page.goto(`${base}/compte/second-facteur`);
  assert.ok(await page.isVisible('#second-factor-enabled'));
  assert.equal(await page.isVisible('#totp-secret'), false, 'the secret is never shown again');
  const qr = await page.request.get(`${base}/compte/second-facteur/qr.svg`);
  assert.equal(qr.status(), 404, 'nor its QR code');
  await signOut();
});

await stories.story('sign-in asks the code after the password; a replayed code is refused', async () => {
  await signInPassword();
  assert.ok(page.url().endsWith('/connexion'), 'the code form answers the password');
  assert.ok(await page.isVisible('#code'));
  const replay = await typeCode(totp(secret, usedStep));
  assert.equal(replay.status(), 401, 'the enrolment code is not accepted again');
  assert.ok((await page.textContent('#code-error')).includes('Code incorrect'));
  const step = Math.max(nowStep(), usedStep + 1);
  await typeCode(totp(secret, step));
  usedStep = step;
  assert.ok(page.url().endsWith('/tableau'), page.url());
  await signOut();
});

await stories.story('a recovery code signs in once', async () => {
  await signInPassword();
  await typeCode(recovery[0].toUpperCase());
  assert.ok(page.url().endsWith('/tableau'), page.url());
  await page.goto(`${base}/compte/second-facteur`);
  assert.equal((await page.textContent('#codes-left')).trim(), '9');
  await signOut();
  await signInPassword();
  const again = await typeCode(recovery[0]);
  assert.equal(again.status(), 401, 'a used recovery code is refused');
});

await stories.story('every response follows the security headers', async () => {
  assert.deepEqual(problems, []);
});

await browser.close();
server.kill('SIGTERM');
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${stories.passed} passed, ${stories.failed} failed`);
process.exit(stories.failed ? 1 : 0);
