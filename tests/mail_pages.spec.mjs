// Browser story of received mail in the workspace (issue 8, item 1): two
// messages imported with `amiable mail import` (a request with an
// attachment, an out-of-office reply that goes to quarantine); the mediator
// reads the case's correspondence and downloads the attachment (named with
// its sniffed type's extension), replies from the case (the answer letter,
// in reply to the message), examines the quarantine and discards the
// auto-reply with a reason; an .eml dropped on the registration page
// creates a case. Starts the real server on a temporary SQLite database
// seeded with `demo seed`, drives Debian's chromium with playwright-core,
// scans the pages with axe-core and takes screenshots (SHOTS, default a
// temporary folder).
//
// Env: AMIABLE_BIN (default ../build/amiable), SHOTS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, launchChromium, Stories, headerProblems } from './lib/harness.mjs';
import { AxeBuilder } from '@axe-core/playwright';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AMIABLE_BIN || path.join(root, 'build', 'amiable');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-mailpages-'));
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'amiable-mail-pages-shots');
fs.mkdirSync(shots, { recursive: true });
const dbFile = path.join(tmp, 'test.db');
const db = `sqlite:${dbFile}`;
const documents = path.join(tmp, 'documents');
const password = 'motdepasse-solide-1';

function cli(args, input) {
  return execFileSync(bin, ['--db', db, ...args], {
    input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, AMIABLE_DOCUMENTS_DIR: documents },
  }).toString();
}
cli(['demo', 'seed', '--years', '1']);
cli(['user', 'add', '--name', 'marie', '--display-name', 'Marie Médiatrice', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');

// A request with a PDF attachment whose name has no extension.
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n').toString('base64');
const request = [
  'From: =?utf-8?q?Jeanne_Dupr=C3=A9?= <jeanne.dupre@example.org>',
  'To: mediation@caf631.example',
  'Subject: =?utf-8?q?Contestation_d=27un_indu_de_RSA?=',
  'Date: Tue, 1 Dec 2026 18:00:00 +0100',
  'Message-ID: <demande-1@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Bonjour,',
  '',
  "La Caf me réclame un indu de 300 € que je conteste. Ma réclamation est restée sans réponse.",
  '',
  'Jeanne Dupré',
  '--b',
  'Content-Type: application/octet-stream; name="avis-indu"',
  'Content-Disposition: attachment; filename="avis-indu"',
  'Content-Transfer-Encoding: base64',
  '',
  pdf,
  '--b--',
  '',
].join('\r\n');
const autoReply = [
  'From: Paul Martin <paul.martin@example.net>',
  'To: mediation@caf631.example',
  'Subject: =?utf-8?q?Absence_du_bureau_jusqu=27au_7_d=C3=A9cembre?=',
  'Date: Tue, 1 Dec 2026 19:00:00 +0100',
  'Message-ID: <absence-1@example.net>',
  'Auto-Submitted: auto-replied',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Je suis absent du bureau jusqu\'au 7 décembre et ne lis pas mes messages.',
  '',
].join('\r\n');
fs.writeFileSync(path.join(tmp, 'demande.eml'), request);
fs.writeFileSync(path.join(tmp, 'absence.eml'), autoReply);
const imported = cli(['mail', 'import', '--organisme', '631', '--json', path.join(tmp, 'demande.eml'), path.join(tmp, 'absence.eml')])
  .trim().split('\n').map((l) => JSON.parse(l));
assert.equal(imported.length, 2);
assert.equal(imported[0].outcome, 'case');
assert.equal(imported[1].outcome, 'quarantine');
assert.equal(imported[1].reason, 'intake.automatic_unattached');
const reference = imported[0].reference;
// A message naming a closed demo case joins its thread without reopening it.
const closed = execFileSync('sqlite3', [dbFile, "SELECT reference FROM cases WHERE organisme = '631' AND state = 'closed' ORDER BY reference LIMIT 1"]).toString().trim();
assert.ok(closed, 'a closed demo case');
fs.writeFileSync(path.join(tmp, 'clos.eml'), [
  'From: Jeanne <jeanne.dupre@example.org>', 'To: mediation@caf631.example',
  `Subject: Encore une question sur le dossier ${closed}`, 'Message-ID: <clos-1@example.org>',
  'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Bonjour, une dernière question.', ''].join('\r\n'));
const onClosed = JSON.parse(cli(['mail', 'import', '--organisme', '631', '--json', path.join(tmp, 'clos.eml')]).trim());
assert.equal(onClosed.outcome, 'thread');
assert.equal(onClosed.reference, closed);

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], { AMIABLE_DOCUMENTS_DIR: documents });
const browser = await launchChromium();
const stories = new Stories();

async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  return context.newPage();
}

async function axe(page, label) {
  await page.screenshot({ path: path.join(shots, `${label}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const v = results.violations.map((x) => `${x.id} (${x.nodes.length}): ${x.nodes[0]?.target}`);
  assert.deepEqual(v, [], `axe violations on ${label}`);
}

async function signIn(page, name) {
  await page.goto(`${base}/connexion`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

await stories.story('the case created from a message shows it, its attachment and its original', async () => {
  const page = await newPage();
  await signIn(page, 'marie');
  await page.goto(`${base}/dossiers/${reference}`);
  const thread = page.locator('#correspondance');
  const text = await thread.textContent();
  assert.ok(text.includes("Contestation d'un indu de RSA"), text);
  assert.ok(text.includes('Jeanne Dupré <jeanne.dupre@example.org>'), text);
  assert.ok(text.includes('avis-indu'), text);
  await axe(page, 'mail-case-thread');
  // The attachment: an attachment named with its sniffed type's extension.
  const link = thread.locator('a', { hasText: 'avis-indu' });
  const href = await link.getAttribute('href');
  const r = await page.request.get(`${base}${href}`);
  assert.equal(r.status(), 200);
  assert.equal(r.headers()['content-disposition'], "attachment; filename=\"avis-indu.pdf\"; filename*=UTF-8''avis-indu.pdf");
  assert.deepEqual(headerProblems(r.headers()), []);
  assert.equal((await r.body()).subarray(0, 5).toString(), '%PDF-');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'avis-indu.pdf');
  // The original message, byte for byte.
  const eml = await page.request.get(`${base}${await thread.locator('a', { hasText: "Message d'origine" }).getAttribute('href')}`);
  assert.match(eml.headers()['content-disposition'], /^attachment; filename="[^"]+\.eml"/);
  assert.equal((await eml.body()).toString(), request);
});

await stories.story('a mediator replies from the case: the answer, in reply to the message', async () => {
  const page = await newPage();
  await signIn(page, 'marie');
  await page.goto(`${base}/dossiers/${reference}`);
  await Promise.all([page.waitForNavigation(), page.locator('#correspondance a', { hasText: 'Répondre' }).click()]);
  assert.ok(page.url().includes('/courriers?modele=answer&reponse_a='), page.url());
  assert.equal(await page.inputValue('#lt-kind'), 'answer');
  const banner = await page.textContent('#lt-reply-to');
  assert.ok(banner.includes("Contestation d'un indu de RSA") && banner.includes('Jeanne Dupré'), banner);
  await axe(page, 'mail-reply');
  await Promise.all([page.waitForNavigation(), page.click('button[value=courriel]')]);
  assert.ok((await page.textContent('.alert.ok')).includes('Courriel mis en file'), await page.content());
  // The outbox row answers the message: mail clients thread the reply.
  const rows = execFileSync('sqlite3', [dbFile, `SELECT in_reply_to FROM outbox WHERE case_reference = '${reference}' AND kind = 'letter:answer'`]).toString().trim();
  assert.equal(rows, '<demande-1@example.org>');
  await page.goto(`${base}/dossiers/${reference}`);
  assert.ok((await page.textContent('#correspondance')).includes('Courrier envoyé à jeanne.dupre@example.org'));
});

await stories.story('the dashboard flags the message received on a closed case until seen', async () => {
  const page = await newPage();
  await signIn(page, 'marie');
  const section = page.locator('#messages-clos');
  const text = await section.textContent();
  assert.ok(text.includes(closed) && text.includes(`Encore une question sur le dossier ${closed}`), text);
  assert.equal(await section.locator(`a[href="/dossiers/${closed}#correspondance"]`).count(), 1);
  await axe(page, 'mail-dashboard');
  await Promise.all([page.waitForNavigation(), section.locator('button', { hasText: 'Vu' }).click()]);
  assert.ok((await page.textContent('.alert.ok')).includes('Message marqué comme vu.'));
  assert.equal(await page.locator('#messages-clos').count(), 0);
  // The case stays closed.
  await page.goto(`${base}/dossiers/${closed}`);
  assert.ok((await page.textContent('#correspondance')).includes('Bonjour, une dernière question.'));
});

await stories.story('the quarantine lists the auto-reply; it is discarded with a reason', async () => {
  const page = await newPage();
  await signIn(page, 'marie');
  assert.ok((await page.textContent('main')).includes('1 courriel(s) en quarantaine'));
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/courriel/quarantaine"]')]);
  const entry = page.locator('.quarantine li').first();
  const text = await entry.textContent();
  assert.ok(text.includes("Absence du bureau jusqu'au 7 décembre"), text);
  assert.ok(text.includes('Paul Martin <paul.martin@example.net>'), text);
  assert.ok(text.includes('Réponse automatique non rattachée.'), text);
  assert.ok(text.includes('631 — '), text);
  await axe(page, 'mail-quarantine');
  // Without a reason: refused, the message on the field.
  await entry.locator('summary', { hasText: 'Écarter' }).click();
  await Promise.all([page.waitForNavigation(), entry.locator('button', { hasText: /^Écarter$/ }).click()]);
  const err = page.locator('.field-error');
  assert.equal(await err.textContent(), 'Indiquez pourquoi ce message est écarté.');
  assert.equal(await page.locator('input[name=reason][aria-invalid=true]').count(), 1);
  await axe(page, 'mail-quarantine-refused');
  await page.fill('input[name=reason][aria-invalid=true]', 'Réponse automatique d\'un partenaire, sans demande.');
  await Promise.all([page.waitForNavigation(), page.locator('.quarantine button', { hasText: /^Écarter$/ }).click()]);
  assert.ok((await page.textContent('.alert.ok')).includes('Message écarté'));
  assert.ok((await page.textContent('main')).includes('Aucun message en quarantaine.'));
  await page.goto(`${base}/tableau`);
  assert.ok(!(await page.textContent('main')).includes('en quarantaine'));
  const list = JSON.parse(`[${cli(['mail', 'quarantine', 'list', '--json']).trim().split('\n').filter(Boolean).join(',')}]`);
  assert.equal(list.length, 0);
});

await stories.story('an .eml dropped on the registration page creates its case', async () => {
  const page = await newPage();
  await signIn(page, 'marie');
  await page.goto(`${base}/enregistrer`);
  await axe(page, 'mail-register');
  const other = request.replace('<demande-1@example.org>', '<demande-2@example.org>')
    .replace('Contestation_d=27un_indu_de_RSA', 'Suspension_de_mon_APL');
  await page.setInputFiles('#r-eml', { name: 'apl.eml', mimeType: 'message/rfc822', buffer: Buffer.from(other) });
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Importer le courriel")')]);
  assert.match(page.url(), /\/dossiers\/631-\d{4}-\d+\?ok=case\.registered$/);
  assert.notEqual(page.url().split('/').pop().split('?')[0], reference);
  assert.ok((await page.textContent('#correspondance')).includes('Suspension de mon APL'));
  await axe(page, 'mail-register-created');
});

await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
console.log(`screenshots: ${shots}`);
console.log(`${stories.passed} passed, ${stories.failed} failed`);
if (stories.failed) process.exit(1);
fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
