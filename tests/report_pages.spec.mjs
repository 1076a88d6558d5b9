// Browser tests of the annual report in the workspace (issues 4 and 7): the
// report page with its downloads, the data-quality page, the mediator's
// texts; no reference of a case the reader may not see (a recused mediator,
// a statistics reader) in the pages or in the PDF, XLSX and CSV files;
// marking a year published and the changes after publication; the fund
// form of the administration page.
// Starts the real server on a temporary SQLite database seeded through the
// command line with the worked example (tests/fixtures/examples/
// cases-small.jsonl), one case of fund 671 losing its dates so that its
// report has a blocking problem; drives Debian's chromium with
// playwright-core and scans every page with axe-core.
//
// Env: AMIABLE_BIN (default ../build/amiable), SHOTS (folder for screenshots,
// default a temporary folder).
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
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-report-web-'));
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'amiable-shots');
fs.mkdirSync(shots, { recursive: true });
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'motdepasse-solide-1';
const year = 2025;
process.env.AMIABLE_REPORT_DIR = path.join(tmp, 'report');  // the server's and the command line's

function cli(args, input) {
  return execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

// The worked example; the first admissible case of 671 closed in 2025 loses
// its dates (a blocking problem for 671's report only).
const fixture = fs.readFileSync(path.join(root, 'tests', 'fixtures', 'examples', 'cases-small.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim());
let broken = '';
const lines = fixture.map((line) => {
  const c = JSON.parse(line);
  if (!broken && c.organisme === '671' && c.admissibility === 'recevable' &&
      (c.closed_on || '').startsWith(String(year)) && c.taken_in_charge_on) {
    broken = c.reference;
    c.taken_in_charge_on = null;
    c.answered_on = null;
    return JSON.stringify(c);
  }
  return line;
});
assert.ok(broken, 'the fixture has an admissible case of 671 closed in 2025');
// A case of 671 closed without its dates (a blocking problem), which the
// manager reopens, paul recuses from and lea closes again (the story below):
// paul must never find its reference or its reception date.
const hidden = '671-2025-9001';
const hiddenDates = ['17/04/2025', '2025-04-17'];
lines.push(JSON.stringify({ reference: hidden, organisme: '671', received_on: '2025-04-17', channel: 'courriel',
  emitter: 'allocataire', prior_step: 'reclamation', prior_step_on: '2025-04-01', admissibility: 'recevable',
  closed_on: '2025-05-05', motives: ['absence_paiement'], benefits: ['logement'], cause: 'pas_erreur_caf',
  household: 'isole', activity: 'chomeur', quotient_familial: 420, response_modes: ['courriel'],
  resolution: 'confirmee', fraud: false }));
// An open case of 671 received in 2025 that paul sees (changed after publication).
const open671 = { reference: '671-2025-9002', organisme: '671', received_on: '2025-05-12', channel: 'courriel',
  emitter: 'allocataire', prior_step: 'reclamation', prior_step_on: '2025-05-02', admissibility: 'recevable' };
lines.push(JSON.stringify(open671));
const cases = path.join(tmp, 'cases.jsonl');
fs.writeFileSync(cases, lines.join('\n') + '\n');

cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['organisme', 'add', '--code', '671', '--name', 'Caf du Bas-Rhin', '--zone', 'alsace_moselle']);
cli(['organisme', 'add', '--code', '974', '--name', 'Caf de La Réunion', '--zone', 'reunion']);
cli(['import', cases]);
cli(['user', 'add', '--name', 'marie', '--display-name', 'Marie Médiatrice', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'paul', '--role', 'mediator', '--organisme', '671', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'stat', '--role', 'statistics', '--all-funds', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'lea', '--role', 'mediator', '--organisme', '671', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'chef', '--role', 'manager', '--organisme', '671', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'admin', '--role', 'administrator', '--all-funds', '--password-stdin'], password + '\n');
const tokenOf = (name) => cli(['token', 'create', '--user', name]).trim();
const paulToken = tokenOf('paul');
const chefToken = tokenOf('chef');
const leaToken = tokenOf('lea');

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], { AMIABLE_DOCUMENTS_DIR: path.join(tmp, 'documents') });

let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d.toString(); });

const browser = await launchChromium();

async function api(token, method, url, body) {
  const r = await fetch(base + url, {
    method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

// The text a person or a program reads in a downloaded file.
function fileText(bytes, format) {
  const f = path.join(tmp, `dl.${format}`);
  fs.writeFileSync(f, bytes);
  if (format === 'pdf') return execFileSync('pdftotext', ['-layout', f, '-']).toString();
  if (format === 'xlsx') return execFileSync('unzip', ['-p', f]).toString();  // every part's XML
  return bytes.toString('utf8');
}

// No reference nor date of the hidden case (nor of `also`) in `text`.
function assertNoLeak(text, label, also = []) {
  for (const s of [hidden, ...hiddenDates, ...also]) {
    assert.ok(!text.includes(s), `${label}: "${s}" must not appear`);
  }
}

// Every download of the report of `query` (incomplete allowed), as text.
async function downloads(page, query) {
  const out = {};
  for (const format of ['pdf', 'xlsx', 'csv']) {
    const r = await page.request.get(`${base}/rapport/telecharger?${query}&format=${format}&incomplet=oui`);
    assert.equal(r.status(), 200, `${format}: ${r.status()}`);
    out[format] = fileText(await r.body(), format);
  }
  return out;
}

const stories = new Stories();
const story = (name, fn) => stories.story(name, fn);

const headerProblems = [];
async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  const page = await context.newPage();
  page.on('response', (r) => {
    if (!r.url().startsWith(base)) return;
    const problems = securityHeaderProblems(r.headers());
  });
  // CSP violations (an inline style or script) are console errors (a 404 is
  // the browser's /favicon.ico).
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

async function download(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

const editorial = 'Une année de médiation **apaisée** dans le Puy-de-Dôme.\n\nDeuxième paragraphe de l\'éditorial.\n\n> La médiatrice';

let marie;
await story('a mediator opens the annual report of her fund, sees it and downloads the PDF, XLSX and CSV', async () => {
  marie = await newPage();
  await signIn(marie, 'marie');
  await marie.goto(`${base}/tableau`);
  await Promise.all([marie.waitForNavigation(), marie.click('nav a:text("Rapport annuel")')]);
  assert.ok(marie.url().includes('/rapport'), marie.url());
  await marie.goto(`${base}/rapport?annee=${year}&organisme=631`);
  // The organisme selector offers only her fund.
  const options = await marie.locator('#r-org option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['631']);
  // The HTML report, embedded, with its tables and charts.
  const report = marie.locator('article.amiable-report');
  assert.equal(await report.count(), 1);
  const text = await report.textContent();
  assert.ok(text.includes('Caf du Puy-de-Dôme'), 'the fund is named');
  assert.ok(await report.locator('table caption').count() > 5, 'tables');
  assert.ok(await report.locator('svg[role=img]').count() > 2, 'charts');
  assert.equal(await marie.locator('#problems').count(), 0, 'no blocking problem for 631');
  assert.equal(await marie.locator('#incomplet').count(), 0, 'no "incomplete" checkbox');
  // Its styles come from a stylesheet (the CSP forbids inline styles).
  const color = await report.locator('h2').first().evaluate((e) => getComputedStyle(e).color);
  assert.equal(color, 'rgb(31, 78, 125)');
  await axe(marie, 'rapport');
  await marie.screenshot({ path: path.join(shots, 'rapport-top.png') });

  const pdf = await download(marie, '#dl-pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  assert.equal(pdf.name, `rapport-annuel-${year}-631.pdf`);
  const xlsx = await download(marie, '#dl-xlsx');
  assert.equal(xlsx.bytes.subarray(0, 2).toString(), 'PK');
  assert.equal(xlsx.name, `rapport-annuel-${year}-631.xlsx`);
  const csv = await download(marie, '#dl-csv');
  assert.equal(csv.bytes.subarray(0, 3).toString('hex'), 'efbbbf', 'CSV with a BOM');
  assert.ok(csv.bytes.toString('utf8').includes('section;code;label;year;count;share'));

  const r = await marie.request.get(`${base}/rapport/telecharger?annee=${year}&organisme=631&format=pdf`);
  assert.equal(r.status(), 200);
  assert.equal(r.headers()['content-type'], 'application/pdf');
  assert.match(r.headers()['content-disposition'], /^attachment; filename="rapport-annuel-2025-631\.pdf"$/);
  const x = await marie.request.get(`${base}/rapport/telecharger?annee=${year}&organisme=631&format=xlsx`);
  assert.equal(x.headers()['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bad = await marie.request.get(`${base}/rapport/telecharger?annee=${year}&organisme=631&format=doc`);
  assert.equal(bad.status(), 400);
  assert.deepEqual(marie.consoleErrors, []);
});

await story('she writes the editorial and the highlights and sees them in the report', async () => {
  await marie.goto(`${base}/rapport?annee=${year}&organisme=631`);
  await Promise.all([marie.waitForNavigation(), marie.click('a:text("Rédiger les textes du rapport")')]);
  assert.ok(marie.url().includes('/rapport/textes'), marie.url());
  await axe(marie, 'rapport-textes');
  // One form per section (pages_report_texts.cc), each saved on its own.
  const save = async (form) => {
    await Promise.all([marie.waitForNavigation(), marie.click(`#f-${form} .form-actions button[value=save]`)]);
    assert.equal(await marie.locator('.alert.ok').count(), 1, await marie.textContent('main'));
  };
  await marie.fill('#t-editorial', editorial);
  await save('editorial');
  await marie.fill('#hl-theme-0', 'Communication');
  await marie.fill('#hl-period-0', 'mars');
  await marie.fill('#hl-actions-0', 'Rencontre avec les travailleurs sociaux du département');
  await save('highlights');
  await marie.fill('#t-findings', 'Les courriers de notification restent peu compréhensibles.');
  await save('findings');
  await marie.fill('#t-plan', '- Former les gestionnaires\n- Simplifier les courriers');
  await save('plan');
  assert.equal(await marie.inputValue('#t-editorial'), editorial);
  assert.equal(await marie.inputValue('#hl-theme-0'), 'Communication');
  assert.equal(await marie.locator('#hl-theme-1').count(), 0, 'no blank rows added by a save');
  await axe(marie, 'rapport-textes-saved');

  await marie.goto(`${base}/rapport?annee=${year}&organisme=631`);
  const report = marie.locator('article.amiable-report');
  const text = await report.textContent();
  assert.ok(text.includes('Une année de médiation apaisée'), 'editorial shown');
  assert.equal(await report.locator('strong:text("apaisée")').count(), 1, 'light markup');
  assert.ok(text.includes('Rencontre avec les travailleurs sociaux'), 'highlights shown');
  assert.ok(text.includes('Simplifier les courriers'), 'plan shown');
  await axe(marie, 'rapport-with-texts');
  // The CLI reads the same texts.
  assert.ok(cli(['report', 'text', 'get', '--year', String(year), '--organisme', '631', '--section', 'editorial']).includes('**apaisée**'));

  // A forged post without the CSRF token is refused.
  const forged = await marie.request.post(`${base}/rapport/textes`, { form: { annee: String(year), organisme: '631', form: 'editorial', text: 'forgé' } });
  assert.equal(forged.status(), 403);
});

await story('she opens the data-quality page: nothing to fix for 631', async () => {
  await marie.goto(`${base}/qualite?annee=${year}&organisme=631`);
  assert.ok((await marie.textContent('#quality-summary')).includes('0 problème(s) bloquant(s)'));
  await axe(marie, 'qualite');
  assert.deepEqual(marie.consoleErrors, []);
});

await story('a mediator of another fund cannot see or download 631\'s report', async () => {
  const paul = await newPage();
  await signIn(paul, 'paul');
  for (const url of [`/rapport?annee=${year}&organisme=631`, `/rapport/telecharger?annee=${year}&organisme=631&format=pdf`,
                     `/rapport/telecharger?annee=${year}&organisme=631&format=xlsx&incomplet=oui`,
                     `/qualite?annee=${year}&organisme=631`, `/rapport/textes?annee=${year}&organisme=631`,
                     `/rapport/telecharger?annee=${year}&organisme=999&format=pdf`]) {
    const r = await paul.request.get(base + url);
    assert.ok([403, 404].includes(r.status()), `${url}: ${r.status()}`);
    assert.ok(!(r.headers()['content-type'] || '').startsWith('application/'), url);
  }
  // Nor "every fund".
  await paul.goto(`${base}/rapport?annee=${year}`);
  const options = await paul.locator('#r-org option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['671']);
  // Nor write 631's texts.
  await paul.goto(`${base}/rapport/textes?annee=${year}`);
  const csrf = await paul.inputValue('input[name=csrf] >> nth=0');
  const w = await paul.request.post(`${base}/rapport/textes`, { form: { csrf, annee: String(year), organisme: '631', form: 'editorial', text: 'intrus' } });
  assert.equal(w.status(), 404);
  await marie.goto(`${base}/rapport?annee=${year}&organisme=631`);
  assert.ok(!(await marie.textContent('main')).includes('intrus'));
});

await story('a blocking problem is shown with its case, and the report is produced only when asked', async () => {
  const paul = await newPage();
  await signIn(paul, 'paul');
  await paul.goto(`${base}/rapport?annee=${year}&organisme=671`);
  const problems = paul.locator('#problems');
  assert.equal(await problems.count(), 1);
  assert.ok(await problems.locator(`a[href="/dossiers/${broken}"]`).count() >= 1, 'link to the case');
  assert.ok((await paul.locator('article.amiable-report').textContent()).includes('incomplètes'));
  assert.equal(await paul.getAttribute('#incomplet', 'required'), '');
  await axe(paul, 'rapport-incomplet');
  await paul.screenshot({ path: path.join(shots, 'rapport-incomplet-top.png') });
  // Without the checkbox: refused by the server too.
  const refused = await paul.request.get(`${base}/rapport/telecharger?annee=${year}&organisme=671&format=pdf`);
  assert.equal(refused.status(), 409);
  assert.ok((await refused.text()).includes('produire quand même'));
  await paul.check('#incomplet');
  const pdf = await download(paul, '#dl-pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  // The data-quality page lists the case.
  await paul.goto(`${base}/qualite?annee=${year}`);
  assert.ok(await paul.locator(`#blocking a[href="/dossiers/${broken}"]`).count() >= 1);
  await axe(paul, 'qualite-blocking');
  await Promise.all([paul.waitForNavigation(), paul.locator(`#blocking a[href="/dossiers/${broken}"]`).first().click()]);
  assert.ok((await paul.textContent('h1')).includes(broken));
});

await story('a statistics reader sees every fund\'s report but not the cases', async () => {
  const stat = await newPage();
  await signIn(stat, 'stat');
  await stat.goto(`${base}/rapport?annee=${year}`);
  const options = await stat.locator('#r-org option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', '631', '671', '974']);
  assert.ok((await stat.locator('article.amiable-report').textContent()).includes('incomplètes'), 'the warning of 671');
  assert.equal(await stat.locator(`#problems`).count(), 0, 'no list of cases');
  assert.equal(await stat.locator(`a[href^="/dossiers/"]`).count(), 0, 'no links to cases');
  assert.ok((await stat.textContent('#problem-kinds')).includes('clos sans date de prise en charge'), 'counts per kind');
  assertNoLeak(await stat.content(), 'stat /rapport', [broken]);
  assert.equal(await stat.locator('#publish').count(), 0, 'no publish button');
  await stat.check('#incomplet');
  const xlsx = await download(stat, '#dl-xlsx');
  assert.equal(xlsx.bytes.subarray(0, 2).toString(), 'PK');
  assert.equal(xlsx.name, `rapport-annuel-${year}-toutes.xlsx`);
  for (const query of [`annee=${year}`, `annee=${year}&organisme=671`]) {
    const files = await downloads(stat, query);
    for (const [format, text] of Object.entries(files)) assertNoLeak(text, `stat ${query} ${format}`, [broken]);
    assert.ok(files.pdf.includes('Problèmes bloquants par type'), 'the PDF annex gives counts');
    assert.ok(!files.pdf.includes('Qualité des données'), 'no data-quality annex in the published PDF');
  }
  await axe(stat, 'rapport-stat');
  // The data-quality page: counts per kind of problem, no case.
  await stat.goto(`${base}/qualite?annee=${year}`);
  assert.ok((await stat.textContent('#quality-statistics')).includes('réservé'));
  assert.ok((await stat.textContent('#kinds')).includes('clos sans date de réponse'));
  assert.equal(await stat.locator('#blocking, #warnings, #after-publication').count(), 0);
  assert.equal(await stat.locator(`a[href^="/dossiers/"]`).count(), 0);
  assertNoLeak(await stat.content(), 'stat /qualite', [broken]);
  await axe(stat, 'qualite-stat');
  assert.equal((await stat.request.get(`${base}/rapport/textes?annee=${year}`)).status(), 403);
  const csrf = await stat.getAttribute('input[name=csrf]', 'value').catch(() => null);
  const pub = await stat.request.post(`${base}/rapport/publier`, { form: { csrf: csrf ?? '', annee: String(year), organisme: '671', confirmer: 'oui' } });
  assert.equal(pub.status(), 403, 'a statistics reader cannot publish');
});

await story('paul recuses from a case of 671: its reference and dates are on none of his report pages or files', async () => {
  const step = async (token, body, confirm = []) => {
    for (;;) {
      const r = await api(token, 'POST', `/api/v1/cases/${hidden}/events`, { ...body, ...(confirm.length ? { confirm_unknown: confirm } : {}) });
      if (r.status === 409 && r.json?.error?.message_id === 'close.unknown_fields' && !confirm.includes(r.json.error.field)) {
        confirm = [...confirm, r.json.error.field];
        continue;
      }
      assert.equal(r.status, 200, `${body.event}: ${JSON.stringify(r.json)}`);
      return r;
    }
  };
  await step(chefToken, { event: 'reopen', reason: 'Dates à compléter' });
  await step(paulToken, { event: 'recuse', to: 'lea', reason: "Lien familial avec l'allocataire" });
  await step(leaToken, { event: 'answer', date: '2025-06-02', response_modes: ['courriel'] });
  await step(leaToken, { event: 'close', date: '2025-06-03' });
  assert.equal((await api(paulToken, 'GET', `/api/v1/cases/${hidden}`)).status, 404);
  const paul = await newPage();
  await signIn(paul, 'paul');
  await paul.goto(`${base}/rapport?annee=${year}&organisme=671`);
  assertNoLeak(await paul.content(), 'paul /rapport');
  assert.ok(await paul.locator(`#problems a[href="/dossiers/${broken}"]`).count() >= 1, 'his own case still listed');
  assert.ok((await paul.textContent('#problems-hidden')).includes("n'avez pas accès"));
  await axe(paul, 'rapport-recused');
  await paul.screenshot({ path: path.join(shots, 'rapport-recused-top.png') });
  for (const q of [`annee=${year}&organisme=671`, `annee=${year}`]) {
    await paul.goto(`${base}/qualite?${q}`);
    assertNoLeak(await paul.content(), `paul /qualite?${q}`);
    assert.ok(await paul.locator(`#blocking a[href="/dossiers/${broken}"]`).count() >= 1);
    assert.ok((await paul.textContent('#quality-hidden')).includes("n'avez pas accès"));
  }
  await axe(paul, 'qualite-recused');
  const files = await downloads(paul, `annee=${year}&organisme=671`);
  for (const [format, text] of Object.entries(files)) assertNoLeak(text, `paul ${format}`);
  // The report names no case (issue 10); the list is the data-quality page's export.
  for (const [format, text] of Object.entries(files)) assert.ok(!text.includes(broken), `no case in the ${format}`);
  const paulList = await (await paul.request.get(`${base}/qualite/telecharger?annee=${year}&organisme=671`)).text();
  assert.ok(paulList.includes(broken), 'the export of the data-quality page lists the case he sees');
  assertNoLeak(paulList, 'paul /qualite/telecharger');
  // The manager of 671 still sees it (the control of the test).
  const chef = await newPage();
  await signIn(chef, 'chef');
  await chef.goto(`${base}/qualite?annee=${year}&organisme=671`);
  assert.ok(await chef.locator(`#blocking a[href="/dossiers/${hidden}"]`).count() >= 1, 'the manager sees the case');
  const chefFiles = await downloads(chef, `annee=${year}&organisme=671`);
  assert.ok(!chefFiles.pdf.includes(hidden), 'the manager\'s PDF names no case either');
  const chefList = await (await chef.request.get(`${base}/qualite/telecharger?annee=${year}&organisme=671`)).text();
  assert.ok(chefList.includes(hidden), 'the manager\'s export lists it');
  // The figures are the same for both: the recused case still counts.
  assert.equal(files.csv, chefFiles.csv);
});

await story('the manager marks 2025 published; changes made afterwards are listed on /qualite', async () => {
  const paul = await newPage();
  await signIn(paul, 'paul');
  await paul.goto(`${base}/rapport?annee=${year}&organisme=671`);
  assert.equal(await paul.locator('#publish').count(), 0, 'a mediator has no publish button');
  const paulCsrf = await paul.getAttribute('input[name=csrf]', 'value').catch(() => null) ??
    await (async () => { await paul.goto(`${base}/rapport/textes?annee=${year}&organisme=671`); return paul.inputValue('input[name=csrf] >> nth=0'); })();
  const refused = await paul.request.post(`${base}/rapport/publier`, { form: { csrf: paulCsrf, annee: String(year), organisme: '671', confirmer: 'oui' } });
  assert.equal(refused.status(), 403);
  assert.ok((await refused.text()).includes('Seul un responsable'), 'French refusal');

  const chef = await newPage();
  await signIn(chef, 'chef');
  await chef.goto(`${base}/rapport?annee=${year}&organisme=671`);
  assert.ok((await chef.textContent('#published-status')).includes("n'est pas marquée publiée"));
  assert.equal(await chef.getAttribute('#publish-confirm', 'required'), '');
  // Without the confirmation (the browser asks for it; the server too).
  const csrf = await chef.inputValue('#publish input[name=csrf]');
  const noConfirm = await chef.request.post(`${base}/rapport/publier`, { form: { csrf, annee: String(year), organisme: '671' } });
  assert.equal(noConfirm.status(), 400);
  assert.ok((await noConfirm.text()).includes('Cochez la case de confirmation'));
  await chef.check('#publish-confirm');
  await Promise.all([chef.waitForNavigation(), chef.click('#publish-button')]);
  assert.ok((await chef.textContent('.alert.ok')).includes('Année marquée publiée'));
  assert.ok((await chef.textContent('#published-status')).includes(`Année ${year} publiée`));
  assert.equal(await chef.locator('#publish').count(), 0, 'published once');
  await axe(chef, 'rapport-publie');
  const again = await chef.request.post(`${base}/rapport/publier`, { form: { csrf, annee: String(year), organisme: '671', confirmer: 'oui' } });
  assert.equal(again.status(), 409);
  assert.ok((await again.text()).includes('déjà marquée publiée'));

  // A change after publication needs a confirmation, then is listed.
  const channel = 'teleprocedure';  // open671 came by courriel
  const unconfirmed = await api(paulToken, 'PATCH', `/api/v1/cases/${open671.reference}`, { channel });
  assert.equal(unconfirmed.status, 409, JSON.stringify(unconfirmed.json));
  assert.equal(unconfirmed.json.error.field, 'confirm_published');
  const confirmed = await api(paulToken, 'PATCH', `/api/v1/cases/${open671.reference}`, { channel, confirm_published: true });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.json));
  const onHidden = await api(chefToken, 'POST', `/api/v1/cases/${hidden}/events`, { event: 'reopen', reason: 'Vérification', confirm_published: true });
  assert.equal(onHidden.status, 200, JSON.stringify(onHidden.json));

  await chef.goto(`${base}/qualite?annee=${year}&organisme=671`);
  const chefRows = await chef.textContent('#after-publication');
  assert.ok(chefRows.includes(open671.reference) && chefRows.includes(hidden), chefRows);
  assert.ok(chefRows.includes('paul') && chefRows.includes('Mode de saisine : Courriel → Téléprocédure'), chefRows);
  assert.ok(chefRows.includes('État : Clôturée → '), chefRows);
  await axe(chef, 'qualite-apres-publication');
  await paul.goto(`${base}/qualite?annee=${year}&organisme=671`);
  const paulRows = await paul.textContent('#after-publication');
  assert.ok(paulRows.includes(open671.reference), paulRows);
  assertNoLeak(await paul.content(), 'paul /qualite after publication');
  await paul.goto(`${base}/rapport?annee=${year}&organisme=671`);
  assert.ok((await paul.textContent('#published-status')).includes(`Année ${year} publiée`));
});

await story('the administrator chooses a fund\'s region in a list; an unknown region is refused on its field', async () => {
  const admin = await newPage();
  await signIn(admin, 'admin');
  await admin.goto(`${base}/administration`);
  const regions = await admin.locator('#o-region option').evaluateAll((os) => os.map((o) => o.textContent));
  assert.equal(regions.length, 19, regions.join('|'));
  assert.ok(regions.includes('Auvergne-Rhône-Alpes (84)'));
  const roles = await admin.locator('#u-role option').evaluateAll((os) => os.map((o) => o.textContent));
  assert.deepEqual(roles, ['Médiateur', 'Responsable', 'Administrateur', 'Lecteur de statistiques',
    'Délégué à la protection des données', 'Partenaire', 'Pôle national']);
  const csrf = await admin.inputValue('#fund-form input[name=csrf]');
  const bad = await admin.request.post(`${base}/administration/organismes`, { form: { csrf, code: '632', name: 'Caf test', zone: 'metropole', region: 'ARA' } });
  assert.equal(bad.status(), 400);
  const html = await bad.text();
  assert.ok(html.includes('id="o-region-error"') && html.includes('Région inconnue'), 'the error is tied to the region');
  assert.ok(html.includes('aria-describedby="o-region-error"'));
  await admin.fill('#o-code', '632');
  await admin.fill('#o-name', 'Caf de test');
  await admin.selectOption('#o-region', '84');
  await Promise.all([admin.waitForNavigation(), admin.click('button:text("Enregistrer l\'organisme")')]);
  assert.ok((await admin.textContent('.alert.ok')).includes('Organisme enregistré'));
  assert.ok((await admin.textContent('main')).includes('Auvergne-Rhône-Alpes'));
  await axe(admin, 'administration');
});

await story('no text from the URL is shown as a message of the report pages', async () => {
  const paul = await newPage();
  await signIn(paul, 'paul');
  for (const url of [`/rapport?annee=${year}&organisme=671&erreur=Votre+compte+est+bloqué`,
                     `/qualite?annee=${year}&ok=Appelez+le+0800`,
                     `/rapport?annee=20x5`, `/rapport?annee=${year}&organisme=Appelez+le+0800`,
                     `/rapport/telecharger?annee=${year}&organisme=671&format=Appelez+le+0800`]) {
    const r = await paul.request.get(base + url);
    const text = await r.text();
    assert.ok(!text.includes('Votre compte est bloqué') && !text.includes('Appelez le 0800') && !text.includes('20x5'), url);
  }
  const r = await paul.request.get(`${base}/rapport?annee=20x5`);
  assert.equal(r.status(), 400);
  assert.ok((await r.text()).includes('Année invalide'));
});

await story('security headers are present on every response', async () => {
  assert.deepEqual(headerProblems, []);
  const anon = await browser.newContext();
  const r = await anon.request.get(`${base}/rapport/telecharger?annee=${year}&organisme=631&format=pdf`, { maxRedirects: 0 });
  assert.equal(r.status(), 303, 'signed out: to the sign-in page');
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
