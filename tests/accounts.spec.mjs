// Browser test of « Mon compte » (/compte) and the « Comptes » section of
// /administration: a mediator changes her own password (a wrong current
// password refused on its field), signs in with the new one; an
// administrator disables and re-enables an account with the page's buttons.
// axe-core on both. Starts the real server on a temporary SQLite database and
// drives Debian's chromium.
//
// Env: AMIABLE_BIN (default ../build/amiable).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, launchChromium, Stories } from './lib/harness.mjs';
import { AxeBuilder } from '@axe-core/playwright';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AMIABLE_BIN || path.join(root, 'build', 'amiable');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-accounts-'));
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'une phrase de passe assez longue';
const fresh = 'ma nouvelle phrase de passe, bien à moi';
const cli = (args, input) =>
  execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['user', 'add', '--name', 'admin', '--role', 'administrator', '--all-funds', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'marie', '--role', 'mediator', '--organisme', '631',
  '--email', 'marie@caf631.fr', '--password-stdin'], password + '\n');
cli(['token', 'create', '--user', 'marie', '--label', 'tableur']);

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], {});
const browser = await launchChromium();
const stories = new Stories();

async function signIn(name, pass) {
  const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  await page.goto(`${base}/connexion`);
  await page.fill('#name', name);
  await page.fill('#password', pass);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return page;
}
async function axe(page, label) {
  const results = await new AxeBuilder({ page }).include('main').analyze();
  assert.deepEqual(results.violations.map((x) => `${x.id}: ${x.nodes[0]?.target}`), [], `axe on ${label}`);
}
const submit = (page, selector) =>
  Promise.all([page.waitForNavigation(), page.click(selector)]).then(([r]) => r);

await stories.story('a mediator changes her own password on « Mon compte »', async () => {
  const marie = await signIn('marie', password);
  await Promise.all([marie.waitForNavigation(), marie.click('a[href="/compte"]')]);
  assert.ok((await marie.textContent('main')).includes('marie@caf631.fr'));
  assert.ok((await marie.textContent('#tokens')).includes('tableur'));
  await axe(marie, '/compte');
  await marie.fill('#pw-current', 'pas le bon mot de passe');
  await marie.fill('#pw-new', fresh);
  await marie.fill('#pw-confirm', fresh);
  const refused = await submit(marie, '#password-form button[type=submit]');
  assert.ok(refused.status() >= 400 && refused.status() < 500, `status ${refused.status()}`);
  assert.ok((await marie.textContent('#pw-error')).includes('Le mot de passe actuel est incorrect'));
  assert.equal(await marie.getAttribute('#pw-current', 'aria-invalid'), 'true');
  await axe(marie, '/compte refused');
  await marie.fill('#pw-current', password);
  await marie.fill('#pw-new', fresh);
  await marie.fill('#pw-confirm', fresh);
  await submit(marie, '#password-form button[type=submit]');
  assert.ok((await marie.textContent('.alert.ok')).includes('Mot de passe changé'));
  const again = await signIn('marie', fresh);
  assert.ok(again.url().endsWith('/tableau'), `signed in with the new password: ${again.url()}`);
});

await stories.story('an administrator disables and re-enables an account from the page', async () => {
  const admin = await signIn('admin', password);
  await admin.goto(`${base}/administration`);
  await axe(admin, '/administration');
  await submit(admin, 'button[aria-label="Désactiver le compte marie"]');
  assert.ok((await admin.textContent('.alert.ok')).includes('Compte désactivé'));
  assert.ok((await admin.textContent('tr[data-account="marie"]')).includes('désactivé'));
  assert.equal(JSON.parse(cli(['user', 'list', '--json'])).find((u) => u.name === 'marie').disabled, true);
  await submit(admin, 'button[aria-label="Réactiver le compte marie"]');
  assert.ok((await admin.textContent('tr[data-account="marie"]')).includes('actif'));
});

await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
console.log(`${stories.passed} passed, ${stories.failed} failed`);
fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
if (stories.failed) process.exit(1);
