// Browser story of letters from templates (issue 8, item 3): a manager edits
// the acknowledgement template and previews it on a demo case; a mediator
// composes a letter on a case, produces it for post and downloads its PDF.
// Starts the real server on a temporary SQLite database seeded with
// `demo seed`, drives Debian's chromium with playwright-core, scans the
// pages with axe-core and takes screenshots (SHOTS, default a temporary
// folder).
//
// Env: AMIABLE_BIN (default ../build/amiable), SHOTS.
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
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-letters-'));
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'amiable-letters-shots');
fs.mkdirSync(shots, { recursive: true });
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'motdepasse-solide-1';

function cli(args, input) {
  return execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}
cli(['demo', 'seed', '--years', '1']);
cli(['user', 'add', '--name', 'sophie', '--display-name', 'Sophie Responsable', '--role', 'manager', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'marie', '--display-name', 'Marie Médiatrice', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], { AMIABLE_DOCUMENTS_DIR: path.join(tmp, 'documents') });
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

// A demo case of 631 (the first of the case list).
async function demoCase(page) {
  await page.goto(`${base}/dossiers`);
  const href = await page.locator('a[href^="/dossiers/631-"]').first().getAttribute('href');
  return href.split('/').pop();
}

let reference = '';

await stories.story('a manager edits the acknowledgement and previews it on a demo case', async () => {
  const page = await newPage();
  await signIn(page, 'sophie');
  reference = await demoCase(page);
  await page.click('nav a[href="/modeles"]');
  assert.equal(await page.inputValue('#tpl-subject'), 'Accusé de réception de votre demande de médiation — {{reference}}');
  await axe(page, 'letters-templates');
  // A broken template is refused with its line and column.
  await page.fill('#tpl-body', '{{> opening}}\n\n{{#deadline}}Délai : {{deadline}}\n\n{{> closing}}');
  await page.click('button[value=save]');
  const error = await page.textContent('#tpl-body-err');
  assert.match(error, /section « deadline » n'est pas fermée \(ligne 3, colonne 1\)/);
  await axe(page, 'letters-template-error');
  // Preview the edited text on a real case, then save it.
  await page.fill('#tpl-body', "{{> opening}}\n\nNous avons bien reçu votre demande du {{received_on}}, référence {{reference}}. Le médiateur la prendra en charge au plus tard le {{deadline}}.\n\n{{> closing}}");
  await page.fill('#tpl-case', reference);
  await Promise.all([page.waitForNavigation(), page.click('button[value=preview]')]);
  const preview = await page.textContent('#apercu-texte');
  assert.ok(preview.includes(`référence ${reference}`), preview);
  assert.match(preview, /du \d{1,2}(er)? [a-zéû]+ \d{4}/);
  assert.ok(preview.includes('Madame, Monsieur,'));
  await axe(page, 'letters-template-preview');
  // The PDF of the edited text.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[formaction="/modeles/apercu.pdf"]')]);
  const file = path.join(tmp, 'apercu.pdf');
  await download.saveAs(file);
  assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  await Promise.all([page.waitForNavigation(), page.click('button[value=save]')]);
  assert.ok((await page.textContent('.alert.ok')).includes('Modèle enregistré'));
  assert.ok((await page.textContent('nav[aria-labelledby=tpl-kinds]')).includes('modifié'));
});

await stories.story('a mediator produces the acknowledgement for post and downloads its PDF', async () => {
  const page = await newPage();
  await signIn(page, 'marie');
  await page.goto(`${base}/dossiers/${reference}`);
  assert.equal(await page.locator('#courriers').count(), 1);
  // The requester and her postal address, for the window of the envelope.
  const add = page.locator('#ajout-personne');
  await add.locator('summary').click();
  await add.locator('select[name=role]').selectOption('beneficiary');
  await add.locator('input[name=name]').fill('Léa Dupont');
  await add.locator('input[name=address]').fill('12 rue des Gras, 63000 Clermont-Ferrand');
  await Promise.all([page.waitForNavigation(), add.locator('button[type=submit]').click()]);
  await page.goto(`${base}/dossiers/${reference}/courriers?modele=acknowledgement`);
  const body = await page.inputValue('#lt-body');
  assert.ok(body.includes(`référence ${reference}`), body);
  assert.ok(!body.includes('{{'), body);
  await axe(page, 'letters-case');
  // The mediator edits the text before producing the letter.
  await page.fill('#lt-body', body.replace('Madame, Monsieur,', 'Madame, Monsieur,\n\nSuite à votre appel de ce jour,'));
  await Promise.all([page.waitForNavigation(), page.click('button[value=courrier]')]);
  assert.ok((await page.textContent('.alert.ok')).includes('Courrier produit'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#telecharger-courrier')]);
  const file = path.join(tmp, 'courrier.pdf');
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  let text = '';
  try { text = execFileSync('pdftotext', ['-layout', file, '-']).toString(); } catch { /* no poppler */ }
  if (text) {
    assert.ok(text.includes('Suite à votre appel de ce jour,'), text);
    assert.ok(text.includes('Léa Dupont') && text.includes('63000 Clermont-Ferrand'), text);
    assert.ok(text.includes(`Référence : ${reference}`), text);
    assert.ok(text.includes('Marie Médiatrice') || text.includes('Le médiateur administratif'), text);
    try { execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(shots, 'letters-pdf')]); } catch { /* optional */ }
  }
  // The letter is listed and in the history.
  assert.ok((await page.textContent('#lt-list ~ table, section[aria-labelledby=lt-list]')).includes('Courrier postal'));
  await axe(page, 'letters-case-produced');
  await page.goto(`${base}/dossiers/${reference}`);
  assert.ok((await page.textContent('#courriers')).includes('Courrier postal'));
  assert.ok((await page.textContent('#h-docs ~ ul')).includes('courrier-accuse-reception-'));
});

await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
console.log(`screenshots: ${shots}`);
console.log(`${stories.passed} passed, ${stories.failed} failed`);
if (stories.failed) process.exit(1);
fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
