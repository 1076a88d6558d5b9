// Browser story of the report's texts (issue 10): a mediator writes the
// editorials with their signatures, a three-row highlights table with bold
// and a list, reorders its rows (with and without the page's script),
// previews, edits an introduction page and goes back to its default, writes a
// commentary and the fraud focus; the downloaded PDF holds every text at its
// place (pdftotext), the HTML report too; hostile markup is printed as text;
// a statistics reader and a mediator of another fund cannot write.
//
// Env: AMIABLE_BIN (default ../build/amiable), SHOTS (folder for screenshots
// and the PDF's pages, default a temporary folder).
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
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-report-texts-'));
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'amiable-shots-texts');
fs.mkdirSync(shots, { recursive: true });
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'motdepasse-solide-1';
const year = 2025;
process.env.AMIABLE_REPORT_DIR = path.join(tmp, 'report');

function cli(args, input) {
  return execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['organisme', 'add', '--code', '671', '--name', 'Caf du Bas-Rhin', '--zone', 'alsace_moselle']);
cli(['organisme', 'add', '--code', '974', '--name', 'Caf de La Réunion', '--zone', 'reunion']);
cli(['import', path.join(root, 'tests', 'fixtures', 'examples', 'cases-small.jsonl')]);
cli(['user', 'add', '--name', 'marie', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'paul', '--role', 'mediator', '--organisme', '671', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'stat', '--role', 'statistics', '--all-funds', '--password-stdin'], password + '\n');

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], { AMIABLE_DOCUMENTS_DIR: path.join(tmp, 'documents') });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d.toString(); });
const browser = await launchChromium();
const stories = new Stories();
const story = (name, fn) => stories.story(name, fn);

async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true, ...options });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('status of 404')) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.consoleErrors = consoleErrors;
  return page;
}

async function signIn(page, name) {
  await page.goto(`${base}/connexion`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

async function axe(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const v = results.violations.map((x) => `${x.id} (${x.nodes.length}): ${x.nodes[0]?.target}`);
  await page.screenshot({ path: path.join(shots, `${label}.png`), fullPage: true });
  assert.deepEqual(v, [], `axe violations on ${label}`);
}

const page = `${base}/rapport/textes?annee=${year}&organisme=631`;
async function save(p, form) {
  await Promise.all([p.waitForNavigation(), p.click(`#f-${form} .form-actions button[value=save]`)]);
  assert.equal(await p.locator('.alert.ok').count(), 1, await p.textContent('main'));
  assert.ok(p.url().endsWith(`#f-${form}`), p.url());
}
async function submit(p, selector) {
  await Promise.all([p.waitForNavigation(), p.click(selector)]);
}
const themes = async (p) => p.locator('#f-highlights input[name^=hl_theme_]').evaluateAll((es) => es.map((e) => e.value));

const rows = [
  ['Communication', 'mars', '**Article** dans la lettre aux partenaires\n\nDeux temps :\n- une réunion\n- un webinaire'],
  ['Réseau des médiateurs', 'avril', 'Réunion **régionale** à Lyon'],
  ['Évolutions réglementaires', 'septembre', 'Réforme du **complément de mode de garde**'],
];

let marie;
await story('a mediator writes the editorials with their signatures and previews them', async () => {
  marie = await newPage();
  await signIn(marie, 'marie');
  await marie.goto(page);
  await axe(marie, 'textes-empty');
  await marie.screenshot({ path: path.join(shots, 'textes-top.png') });
  // The introduction pages come with their default text.
  assert.ok((await marie.inputValue('#t-intro_conflict')).includes('déport'));
  assert.equal(await marie.locator('#f-intro_conflict strong:text("Texte par défaut.")').count(), 1);

  await marie.fill('#t-editorial_director', 'Une année **charnière** pour la Caf.\n\nMerci aux équipes.');
  await marie.fill('#sn-editorial_director', 'Jean Exemple');
  await marie.fill('#st-editorial_director', 'Directeur de la Caf du Puy-de-Dôme');
  await submit(marie, '#f-editorial_director button[value=preview]');
  const preview = marie.locator('#f-editorial_director .preview');
  assert.equal(await preview.locator('strong:text("charnière")').count(), 1, 'bold in the preview');
  assert.equal(await preview.locator('p.signature strong:text("Jean Exemple")').count(), 1);
  assert.equal(await marie.inputValue('#t-editorial_director'), 'Une année **charnière** pour la Caf.\n\nMerci aux équipes.', 'the typed text is kept');
  assert.ok((await marie.textContent('#f-editorial_director')).includes('Modifications non enregistrées'));
  await axe(marie, 'textes-preview');
  await marie.locator('#f-editorial_director').screenshot({ path: path.join(shots, 'textes-editorial-preview.png') });
  await save(marie, 'editorial_director');
  assert.equal(await marie.inputValue('#sn-editorial_director'), 'Jean Exemple');

  await marie.fill('#t-editorial', 'Ma troisième année de **médiatrice**.');
  await marie.fill('#sn-editorial', 'Anne Exemple');
  await marie.fill('#st-editorial', 'Médiatrice administrative');
  await save(marie, 'editorial');
  assert.deepEqual(marie.consoleErrors, []);
});

await story('she fills a three-row highlights table, reorders it with the script, and previews it', async () => {
  await marie.goto(page + '#f-highlights');
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) await marie.click('#f-highlights button[value=add]');  // in the page: no round trip
    await marie.fill(`#hl-theme-${i}`, rows[i][0]);
    await marie.fill(`#hl-period-${i}`, rows[i][1]);
    await marie.fill(`#hl-actions-${i}`, rows[i][2]);
  }
  assert.equal(await marie.inputValue('#f-highlights input[name=hl_rows]'), '3');
  // Move the last row up once: Communication, Évolutions, Réseau.
  await marie.click('#f-highlights button[aria-label="Monter la ligne 3"]');
  assert.deepEqual(await themes(marie), ['Communication', 'Évolutions réglementaires', 'Réseau des médiateurs']);
  assert.equal(await marie.inputValue('#hl-period-1'), 'septembre', 'the row moves whole');
  await submit(marie, '#f-highlights button[value=preview]');
  const preview = marie.locator('#f-highlights .preview');
  assert.equal(await preview.locator('tbody tr').count(), 3);
  assert.equal(await preview.locator('tbody tr').first().locator('li').count(), 2, 'the list in a cell');
  assert.equal(await preview.locator('strong:text("Article")').count(), 1);
  await marie.locator('#f-highlights').screenshot({ path: path.join(shots, 'textes-highlights-preview.png') });
  await save(marie, 'highlights');
  assert.deepEqual(await themes(marie), ['Communication', 'Évolutions réglementaires', 'Réseau des médiateurs']);
  assert.equal(await marie.inputValue('#hl-actions-0'), rows[0][2]);
  assert.deepEqual(marie.consoleErrors, []);
});

await story('without the script, the row buttons are submits: move down, remove, add, save', async () => {
  const nojs = await newPage({ javaScriptEnabled: false });
  await signIn(nojs, 'marie');
  await nojs.goto(page);
  await submit(nojs, '#f-highlights button[aria-label="Descendre la ligne 1"]');
  assert.deepEqual(await themes(nojs), ['Évolutions réglementaires', 'Communication', 'Réseau des médiateurs']);
  assert.ok((await nojs.textContent('#f-highlights')).includes('Modifications non enregistrées'));
  await submit(nojs, '#f-highlights button[value=add]');
  assert.equal((await themes(nojs)).length, 4);
  await nojs.fill('#hl-theme-3', 'Projets transverses');
  await nojs.fill('#hl-period-3', 'août');
  await nojs.fill('#hl-actions-3', 'Outil G@ci pour les sollicitations internes');
  await submit(nojs, '#f-highlights button[aria-label="Supprimer la ligne 4"]');
  assert.equal((await themes(nojs)).length, 3);
  // Back to the order she wants: Réseau, Communication, Évolutions.
  await submit(nojs, '#f-highlights button[aria-label="Monter la ligne 3"]');
  await submit(nojs, '#f-highlights button[aria-label="Monter la ligne 2"]');
  assert.deepEqual(await themes(nojs), ['Réseau des médiateurs', 'Évolutions réglementaires', 'Communication']);
  await submit(nojs, '#f-highlights button[aria-label="Descendre la ligne 2"]');
  assert.deepEqual(await themes(nojs), ['Réseau des médiateurs', 'Communication', 'Évolutions réglementaires']);
  // A row without a theme is refused with its line number, nothing written.
  await submit(nojs, '#f-highlights button[value=add]');
  await nojs.fill('#hl-period-3', 'décembre');
  await submit(nojs, '#f-highlights .form-actions button[value=save]');
  assert.ok((await nojs.textContent('#f-highlights .alert.error')).includes('ligne 4 : indiquez le thème'));
  await submit(nojs, '#f-highlights button[aria-label="Supprimer la ligne 4"]');
  await save(nojs, 'highlights');
  assert.deepEqual(await themes(nojs), ['Réseau des médiateurs', 'Communication', 'Évolutions réglementaires']);
  await nojs.context().close();
});

await story('she edits an introduction page, then goes back to the default; commentary, fraud, findings, plan', async () => {
  await marie.goto(page);
  await marie.fill('#t-intro_who', 'À la Caf du Puy-de-Dôme, **tout allocataire** peut nous écrire.');
  await save(marie, 'intro_who');
  assert.equal(await marie.locator('#f-intro_who strong:text("Texte par défaut.")').count(), 0);
  assert.equal(await marie.inputValue('#t-intro_who'), 'À la Caf du Puy-de-Dôme, **tout allocataire** peut nous écrire.');
  await marie.fill('#t-intro_not', 'Texte provisoire');
  await save(marie, 'intro_not');
  await submit(marie, '#f-intro_not button[value=reset]');
  assert.ok((await marie.inputValue('#t-intro_not')).includes('recours contentieux'), 'the default is back');
  assert.equal(await marie.locator('#f-intro_not strong:text("Texte par défaut.")').count(), 1);

  await marie.fill('#t-commentary_channel', 'Le **courriel** reste le premier mode de saisine.');
  await save(marie, 'commentary_channel');
  await marie.fill('#t-commentary_delays', 'Les délais de prise en charge sont tenus.');
  await save(marie, 'commentary_delays');
  assert.equal(await marie.inputValue('#t-commentary_channel'), 'Le **courriel** reste le premier mode de saisine.', 'one commentary does not erase another');
  await marie.fill('#t-fraud_focus', 'Les saisines liées à une fraude demandent surtout des explications.');
  await save(marie, 'fraud_focus');
  await marie.fill('#t-findings', '# Les courriers\nDes notifications **peu claires**.\n\n- Simplifier les courriers\n- Expliquer les indus');
  await save(marie, 'findings');
  // Hostile markup is kept as typed and printed as text.
  await marie.fill('#t-plan', 'Poursuivre <script>alert(1)</script> & <b>gras</b> ** non fermé');
  await submit(marie, '#f-plan button[value=preview]');
  assert.equal(await marie.locator('#f-plan .preview script').count(), 0);
  assert.equal(await marie.locator('#f-plan .preview b').count(), 0);
  assert.ok((await marie.textContent('#f-plan .preview')).includes('<script>alert(1)</script> & <b>gras</b> ** non fermé'));
  await save(marie, 'plan');
  await axe(marie, 'textes-filled');
  await marie.screenshot({ path: path.join(shots, 'textes-editor.png'), fullPage: false });
  assert.deepEqual(marie.consoleErrors, []);
});

await story('the PDF and the HTML report print each text at its place', async () => {
  const r = await marie.request.get(`${base}/rapport/telecharger?annee=${year}&organisme=631&format=pdf`);
  assert.equal(r.status(), 200);
  const pdfPath = path.join(shots, 'rapport-textes.pdf');
  fs.writeFileSync(pdfPath, await r.body());
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString();
  const flat = text.replace(/\s+/g, ' ');
  // Each text after the previous one (the contents page names some titles first).
  // The reference's order, from the editorials to the plan.
  const order = [
    'Une année charnière pour la Caf.', 'Jean Exemple', 'Directeur de la Caf du Puy-de-Dôme',
    'Ma troisième année de médiatrice.', 'Anne Exemple',
    'Réseau des médiateurs', 'Communication', 'Évolutions',
    'Introduction', 'tout allocataire peut nous écrire', 'recours contentieux', 'déport',
    'Le courriel reste le premier mode de saisine.', 'Les délais de prise en charge sont tenus.',
    'Les saisines liées à une fraude demandent surtout des explications.',
    'Des notifications peu claires.', 'Simplifier les courriers',
    'Poursuivre <script>alert(1)</script> & <b>gras</b> ** non fermé',
  ];
  let last = -1;
  for (const s of order) {
    const i = flat.indexOf(s, last + 1);
    assert.ok(i > last, `"${s}" in the PDF after the previous text`);
    last = i;
  }
  assert.ok(!flat.includes('**charnière'), 'no markup marker printed');
  assert.ok(flat.includes('• une réunion') || /•\s*une réunion/.test(text), 'the list in the cell');
  assert.ok(!flat.includes('Texte provisoire'), 'the reset page prints its default');
  // The pages to look at.
  execFileSync('pdftoppm', ['-png', '-r', '50', pdfPath, path.join(shots, 'rapport-textes')]);

  await marie.goto(`${base}/rapport?annee=${year}&organisme=631`);
  const report = marie.locator('article.amiable-report');
  assert.equal(await report.locator('#t-highlights tbody tr').count(), 3);
  assert.equal(await report.locator('#t-highlights td li').count(), 2);
  assert.equal(await report.locator('p.signature strong:text("Jean Exemple")').count(), 1);
  assert.equal(await report.locator('script').count(), 0);
});

await story('a statistics reader and a mediator of another fund cannot write 631\'s texts', async () => {
  const stat = await newPage();
  await signIn(stat, 'stat');
  assert.equal((await stat.request.get(page)).status(), 403);
  const paul = await newPage();
  await signIn(paul, 'paul');
  assert.equal((await paul.request.get(page)).status(), 404);
  await paul.goto(`${base}/rapport/textes?annee=${year}`);
  const csrf = await paul.inputValue('input[name=csrf] >> nth=0');
  const w = await paul.request.post(`${base}/rapport/textes`, { form: { csrf, annee: String(year), organisme: '631', form: 'editorial', text: 'intrus' } });
  assert.equal(w.status(), 404);
  const forged = await marie.request.post(`${base}/rapport/textes`, { form: { annee: String(year), organisme: '631', form: 'editorial', text: 'forgé' } });
  assert.equal(forged.status(), 403, 'no CSRF token');
  const unknown = await marie.request.post(`${base}/rapport/textes`, { form: { csrf: await marie.inputValue('input[name=csrf] >> nth=0'), annee: String(year), organisme: '631', form: 'nope' } });
  assert.equal(unknown.status(), 400);
  assert.ok(cli(['report', 'text', 'get', '--year', String(year), '--organisme', '631', '--section', 'editorial']).includes('**médiatrice**'));
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
