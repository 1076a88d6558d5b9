// Browser story of the register of findings and recommendations (issue 10,
// item 6): a mediator adds two recommendations in 2024 on /registre, edits,
// reorders and deletes, follows one up in 2025 as « mise en œuvre » with a
// dated note and adds a 2025 one; the 2025 report (HTML on /rapport, PDF
// read with pdftotext) shows the 2025 items by theme and the follow-up of
// the 2024 ones; `amiable register list` reads the same rows; a forged post
// without the CSRF token and a mediator of another fund are refused.
// Starts the real server on a temporary SQLite database seeded through the
// command line with the worked example (tests/fixtures/examples/
// cases-small.jsonl); scans the pages with axe-core.
//
// Env: AMIABLE_BIN (default ../build/amiable), SHOTS (folder for screenshots
// and the PDF page images, default a temporary folder).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, launchChromium, headerProblems as securityHeaderProblems, Stories } from './lib/harness.mjs';
import { AxeBuilder } from '@axe-core/playwright';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AMIABLE_BIN || path.join(root, 'build', 'amiable');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-register-web-'));
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'amiable-register-shots');
fs.mkdirSync(shots, { recursive: true });
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'motdepasse-solide-1';
process.env.AMIABLE_REPORT_DIR = path.join(tmp, 'report');

function cli(args, input) {
  return execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['organisme', 'add', '--code', '671', '--name', 'Caf du Bas-Rhin', '--zone', 'alsace_moselle']);
cli(['organisme', 'add', '--code', '974', '--name', 'Caf de La Réunion', '--zone', 'reunion']);
cli(['import', path.join(root, 'tests', 'fixtures', 'examples', 'cases-small.jsonl')]);
cli(['user', 'add', '--name', 'marie', '--display-name', 'Marie Médiatrice', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'paul', '--role', 'mediator', '--organisme', '671', '--password-stdin'], password + '\n');

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], { AMIABLE_DOCUMENTS_DIR: path.join(tmp, 'documents') });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d.toString(); });
const browser = await launchChromium();

const stories = new Stories();
const story = (name, fn) => stories.story(name, fn);
const headerProblems = [];

async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.on('response', (r) => {
    if (!r.url().startsWith(base)) return;
    const p = securityHeaderProblems(r.headers());
    if (p.length) headerProblems.push(`${r.url()}: ${p.join(', ')}`);
  });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('status of 404')) consoleErrors.push(m.text()); });
  page.consoleErrors = consoleErrors;
  return page;
}

async function axe(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const v = results.violations.map((x) => `${x.id} (${x.nodes.length}): ${x.nodes[0]?.target}`);
  await page.screenshot({ path: path.join(shots, `${label}.png`), fullPage: true });
  assert.deepEqual(v, [], `axe violations on ${label}`);
}

async function signIn(page, name) {
  await page.goto(`${base}/connexion`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

async function submit(page, form) {
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
}

async function addItem(page, { theme, kind, text, to, status }) {
  await page.click('#ajout summary');
  await page.selectOption('#add-theme', theme);
  await page.selectOption('#add-kind', kind);
  await page.fill('#add-text', text);
  await page.fill('#add-to', to || '');
  if (status) await page.selectOption('#add-status', status);
  await submit(page, page.locator('#ajout form'));
  assert.equal(await page.locator('.alert.ok').count(), 1, await page.textContent('main'));
}

// Text as read, every run of spaces (the report's no-break ones too) as one space.
const norm = (s) => s.replace(/\s+/g, ' ');

const delais2024 = 'Réduire les délais de **prise en charge** des saisines.';
const constat2024 = 'Les notifications de trop-perçu restent mal comprises.';
const extra = 'Élément saisi par erreur.';
const note2025 = 'Délai moyen ramené à 6 jours ouvrés.';
const item2025 = 'Former les agents aux règles de la prime d\'activité.';

let marie;
await story('a mediator adds two recommendations in 2024, edits, reorders and deletes', async () => {
  marie = await newPage();
  await signIn(marie, 'marie');
  await Promise.all([marie.waitForNavigation(), marie.click('nav a:text("Registre des préconisations")')]);
  await marie.goto(`${base}/registre?organisme=631&annee=2024`);
  assert.ok((await marie.textContent('main')).includes('Aucun constat ni préconisation pour 2024.'));
  await axe(marie, 'registre-vide');

  // A refused add: the text is empty, the message names the field, what was typed stays.
  await marie.click('#ajout summary');
  await marie.fill('#add-to', 'Direction de la relation de service');
  await submit(marie, marie.locator('#ajout form'));
  const err = await marie.textContent('#ajout .alert.error');
  assert.ok(err.includes('champ « texte »'), err);
  assert.equal(await marie.inputValue('#add-to'), 'Direction de la relation de service');
  await axe(marie, 'registre-refus');
  // The browser logs the refusal's 400 as a console error: expected, forgotten.
  marie.consoleErrors.length = 0;

  await marie.goto(`${base}/registre?organisme=631&annee=2024`);
  await addItem(marie, { theme: 'delais', kind: 'preconisation', text: 'Réduire les délais.', to: 'Direction de la relation de service' });
  await addItem(marie, { theme: 'information', kind: 'constat', text: constat2024 });
  await addItem(marie, { theme: 'delais', kind: 'preconisation', text: extra });
  let main = await marie.textContent('main');
  assert.ok(main.includes('Constats et préconisations de 2024 (3)'), main);

  // Edit the first one's text.
  const first = marie.locator('article', { hasText: 'Réduire les délais.' });
  await first.locator('summary:text("Modifier")').click();
  await first.locator('textarea[name=text]').fill(delais2024);
  await submit(marie, first.locator('form[action="/registre/modifier"]'));
  assert.ok((await marie.textContent('.alert.ok')).includes('Recommandation modifiée.'));
  assert.ok((await marie.textContent('main')).includes(delais2024));

  // Reorder within the theme: the extra one goes up, before the first.
  const delaisItems = () => marie.locator('article')
    .filter({ has: marie.locator('h4', { hasText: 'Délais de traitement' }) }).locator('p.note').allTextContents();
  assert.deepEqual(await delaisItems(), [delais2024, extra]);
  const extraItem = marie.locator('article', { hasText: extra });
  await submit(marie, extraItem.locator('form[action="/registre/deplacer"]'));
  assert.deepEqual(await delaisItems(), [extra, delais2024]);

  // Delete it.
  const again = marie.locator('article', { hasText: extra });
  await again.locator('summary:text("Supprimer")').click();
  await submit(marie, again.locator('form[action="/registre/supprimer"]'));
  main = await marie.textContent('main');
  assert.ok(!main.includes(extra));
  assert.ok(main.includes('Constats et préconisations de 2024 (2)'), main);
  await axe(marie, 'registre-2024');
  assert.deepEqual(marie.consoleErrors, []);
});

await story('in 2025 she follows one up as « mise en œuvre » and adds a 2025 one', async () => {
  await marie.goto(`${base}/registre?organisme=631&annee=2025`);
  const earlier = marie.locator('section[aria-labelledby="r-suivi-title"]');
  assert.equal(await earlier.locator('article').count(), 2, 'both 2024 items are to follow in 2025');
  const item = earlier.locator('article', { hasText: 'prise en charge' });
  await item.locator('summary:text("Noter le suivi")').click();
  assert.equal(await item.locator('input[name=suivi_annee]').inputValue(), '2025');
  await item.locator('input[name=date]').fill('2025-03-12');
  await item.locator('select[name=statut]').selectOption('mise_en_oeuvre');
  await item.locator('textarea[name=note]').fill(note2025);
  await submit(marie, item.locator('form[action="/registre/suivi"]'));
  assert.ok((await marie.textContent('.alert.ok')).includes('Suivi enregistré'));
  const followed = marie.locator('section[aria-labelledby="r-suivi-title"] article', { hasText: 'prise en charge' });
  const t = await followed.textContent();
  assert.ok(t.includes('Statut : mise en œuvre'), t);
  assert.ok(t.includes(`Suivi 2025, le 12/03/2025 (marie) : mise en œuvre — ${note2025}`), t);

  await addItem(marie, { theme: 'competences', kind: 'preconisation', text: item2025, to: 'Responsable du service Prestations' });
  assert.ok((await marie.textContent('main')).includes('Constats et préconisations de 2025 (1)'));
  await axe(marie, 'registre-2025');

  // A forged post without the token is refused, and nothing changes.
  const forged = await marie.request.post(`${base}/registre/ajouter`, { form: { organisme: '631', annee: '2025', theme: 'delais', kind: 'constat', text: 'forgé', status: 'proposee' } });
  assert.equal(forged.status(), 403);
  // The command line reads the same register.
  const rows = JSON.parse(cli(['register', 'list', '--organisme', '631', '--json']));
  assert.equal(rows.length, 3);
  const done = rows.find((r) => r.text === delais2024);
  assert.equal(done.status, 'mise_en_oeuvre');
  assert.deepEqual(done.follow_ups.map((f) => [f.year, f.on, f.status, f.note, f.author]),
    [[2025, '2025-03-12', 'mise_en_oeuvre', note2025, 'marie']]);
  assert.ok(!rows.some((r) => r.text === 'forgé'));
  assert.deepEqual(marie.consoleErrors, []);
});

await story('the 2025 report shows the 2025 items and the follow-up of the 2024 ones (HTML and PDF)', async () => {
  await marie.goto(`${base}/rapport?annee=2025&organisme=631`);
  const report = marie.locator('article.amiable-report');
  const reg = report.locator('#sec-register');
  const regText = norm(await reg.textContent());
  assert.ok(regText.includes('Les constats et préconisations de 2025'), regText);
  assert.ok(regText.includes('Montée en compétence des agents'), 'theme heading');
  assert.ok(regText.includes(item2025), regText);
  assert.ok(regText.includes('Adressée à : Responsable du service Prestations.'), regText);
  const fu = report.locator('#sec-register_follow_up');
  const fuText = norm(await fu.textContent());
  assert.ok(fuText.includes('Le suivi des préconisations des années précédentes'), fuText);
  assert.ok(fuText.includes('Réduire les délais de prise en charge des saisines.'), fuText);
  assert.ok(fuText.includes(`le 12/03/2025 : mise en œuvre — ${note2025}`), fuText);
  assert.ok(fuText.includes(constat2024), 'the open 2024 constat is still followed');
  await reg.screenshot({ path: path.join(shots, 'rapport-registre.png') });
  await fu.screenshot({ path: path.join(shots, 'rapport-registre-suivi.png') });

  const r = await marie.request.get(`${base}/rapport/telecharger?annee=2025&organisme=631&format=pdf&incomplet=oui`);
  assert.equal(r.status(), 200);
  const pdf = path.join(shots, 'rapport-2025-631.pdf');
  fs.writeFileSync(pdf, await r.body());
  const text = execFileSync('pdftotext', [pdf, '-']).toString();
  const flat = text.replace(/\s+/g, ' ');
  for (const s of ['Les constats et préconisations de 2025', item2025, 'Le suivi des préconisations des années précédentes',
                   'mise en œuvre', '12/03/2025', 'Délai moyen ramené à 6', 'restent mal comprises']) {
    assert.ok(flat.includes(s), `PDF: "${s}"`);
  }
  // The pages of the register as images, to look at.
  const pages = text.split('\f');
  // (The contents page names the sections too: find the pages of their texts.)
  const from = pages.findIndex((p) => norm(p).includes('la médiation formule'));
  const to = pages.findIndex((p) => norm(p).includes('Suivi en 2025 des préconisations antérieures'));
  assert.ok(from >= 0 && to >= from, `${from} ${to}`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(from + 1), '-l', String(to + 1), pdf, path.join(shots, 'rapport-registre-pdf')]);
});

await story('a mediator of another fund sees none of it and cannot change it', async () => {
  const paul = await newPage();
  await signIn(paul, 'paul');
  const r = await paul.request.get(`${base}/registre?organisme=631&annee=2024`);
  assert.equal(r.status(), 404);
  await paul.goto(`${base}/registre?annee=2024`);
  assert.ok((await paul.textContent('main')).includes('Aucun constat ni préconisation pour 2024.'));
  const csrf = await paul.locator('input[name=csrf]').first().inputValue();
  const id = JSON.parse(cli(['register', 'list', '--organisme', '631', '--json']))[0].id;
  const del = await paul.request.post(`${base}/registre/supprimer`, { form: { csrf, id: String(id), organisme: '671', annee: '2024' } });
  assert.equal(del.status(), 404);
  assert.equal(JSON.parse(cli(['register', 'list', '--organisme', '631', '--json'])).length, 3);
  assert.deepEqual(headerProblems, []);
});

await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
console.log(`screenshots: ${shots}`);
console.log(`${stories.passed} passed, ${stories.failed} failed`);
if (stories.failed) {
  console.log(serverLog.split('\n').filter((l) => l.includes('level=error')).slice(0, 20).join('\n'));
  process.exit(1);
}
fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
