// Browser test of the "Courrier électronique" section of /administration:
// an administrator sets a fund's mailbox, relay and emitter rules; refusals
// are shown on their form; the command line sees what the page saved; a
// mediator may not post. Starts the real server on a temporary SQLite
// database, drives Debian's chromium, scans the page with axe-core.
//
// Env: AMIABLE_BIN (default ../build/amiable), SHOTS (a folder: a screenshot of the section).
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
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-admin-mail-'));
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'motdepasse-solide-1';
const cli = (args, input) =>
  execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['organisme', 'add', '--code', '974', '--name', 'Caf de La Réunion', '--zone', 'reunion']);
cli(['user', 'add', '--name', 'admin', '--role', 'administrator', '--all-funds', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'marie', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], {});
const browser = await launchChromium();
const stories = new Stories();

async function signIn(name) {
  const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  await page.goto(`${base}/connexion`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return page;
}
async function axe(page, label) {
  const results = await new AxeBuilder({ page }).include('#courrier').analyze();
  assert.deepEqual(results.violations.map((x) => `${x.id}: ${x.nodes[0]?.target}`), [], `axe on ${label}`);
}
const submit = (page, form) =>
  Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]).then(([r]) => r);

const admin = await signIn('admin');

await stories.story('an administrator sets the mailbox of a fund, a bad URL refused on its form', async () => {
  await admin.goto(`${base}/administration?courrier=974`);
  assert.equal(await admin.inputValue('#m-fund'), '974');
  assert.equal(await admin.inputValue('#mb-inbox'), 'INBOX');
  await axe(admin, 'mail section');
  await admin.fill('#mb-url', 'http://imap.caf974.example');
  await admin.fill('#mb-user', 'mediation974');
  await admin.fill('#mb-penv', 'AMIABLE_IMAP_974');
  await admin.fill('#mb-archive', 'Archive amiable');
  const refused = await submit(admin, '#mailbox-form');
  assert.equal(refused.status(), 400);
  assert.ok((await admin.textContent('#mb-error')).includes('Adresse du serveur IMAP invalide'));
  assert.equal(await admin.getAttribute('#mb-url', 'aria-invalid'), 'true');
  assert.equal(await admin.inputValue('#mb-user'), 'mediation974', 'the values posted are kept');
  await axe(admin, 'mail section refused');
  await admin.fill('#mb-url', 'imaps://imap.caf974.example:993');
  await submit(admin, '#mailbox-form');
  assert.ok((await admin.textContent('.alert.ok')).includes('Réglages de courrier enregistrés'));
  assert.equal(await admin.inputValue('#m-fund'), '974');
  assert.equal(await admin.inputValue('#mb-url'), 'imaps://imap.caf974.example:993');
  assert.equal(await admin.inputValue('#mb-archive'), 'Archive amiable');
});

await stories.story('the relay, its signature and the emitter rules; the command line sees them', async () => {
  await admin.goto(`${base}/administration?courrier=974`);
  await admin.fill('#sm-url', 'smtp://smtp.caf974.example:587');
  await admin.fill('#sm-from', 'Médiation de la Caf <mediation@caf974.example>');
  await admin.fill('#sm-reply', 'mediation@caf974.example');
  await admin.fill('#sm-signature', 'Le médiateur\nCaf de La Réunion');
  await submit(admin, '#smtp-form');
  assert.ok((await admin.textContent('.alert.ok')).includes('enregistrés'));
  assert.equal(await admin.inputValue('#sm-signature'), 'Le médiateur\nCaf de La Réunion');
  await admin.fill('#em-match', '@DefenseurDesDroits.fr');
  await admin.selectOption('#em-emitter', 'defenseur_droits');
  await submit(admin, '#emitter-form');
  assert.ok((await admin.textContent('#courrier table')).includes('@defenseurdesdroits.fr'));
  if (process.env.SHOTS) await admin.locator('#courrier').screenshot({ path: path.join(process.env.SHOTS, 'admin-mail.png') });
  await admin.fill('#em-match', '@defenseurdesdroits.fr');
  const dup = await submit(admin, '#emitter-form');
  assert.equal(dup.status(), 409);
  assert.ok((await admin.textContent('#em-error')).includes('existe déjà'));
  const shown = JSON.parse(cli(['organisme', 'mail-settings', '--code', '974', '--json']));
  assert.equal(shown.mailbox.password_env, 'AMIABLE_IMAP_974');
  assert.equal(shown.smtp.signature, 'Le médiateur\nCaf de La Réunion');
  assert.equal(shown.emitter_rules.length, 1);
  await admin.goto(`${base}/administration?courrier=974`);
  await submit(admin, '#courrier table');  // its Supprimer button
  assert.equal(await admin.locator('#courrier table').count(), 0, 'the rule is removed');
  assert.equal(JSON.parse(cli(['organisme', 'emitter', 'list', '--code', '974', '--json'])).length, 0);
});

await stories.story('a mediator neither sees nor posts the mail settings', async () => {
  const marie = await signIn('marie');
  const page = await marie.goto(`${base}/administration`);
  assert.equal(page.status(), 403);
  const r = await marie.request.post(`${base}/administration/courrier/smtp`, {
    form: { organisme: '631', smtp_url: 'smtp://evil.example:25', from: 'x@evil.example' },
  });
  assert.ok(r.status() === 403 || r.status() === 400, `status ${r.status()}`);
  assert.equal(JSON.parse(cli(['organisme', 'mail-settings', '--code', '631', '--json'])).smtp, null);
});

await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
console.log(`${stories.passed} passed, ${stories.failed} failed`);
fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
if (stories.failed) process.exit(1);
