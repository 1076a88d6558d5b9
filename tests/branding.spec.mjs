// Browser story of the fund's logo and colour (issue 10): a manager uploads
// the fund's logo (PNG) and picks its colour on /marque; the PDF of the
// report then holds the logo (pdfimages -list) and its cover band has the
// colour (pdftoppm), the embedded HTML report shows both; a JPEG is refused
// with a message that says PNG only; a mediator cannot change them, another
// fund's manager neither, and another fund's user does not get the logo.
// Starts the real server on a temporary SQLite database seeded through the
// command line with the worked example (tests/fixtures/examples/
// cases-small.jsonl); drives Debian's chromium with playwright-core and
// scans the page with axe-core.
//
// Env: AMIABLE_BIN (default ../build/amiable), SHOTS (folder for screenshots).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, launchChromium, headerProblems, Stories } from './lib/harness.mjs';
import { AxeBuilder } from '@axe-core/playwright';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AMIABLE_BIN || path.join(root, 'build', 'amiable');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-branding-'));
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'amiable-shots');
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
for (const [name, role, fund] of [['chef', 'manager', '631'], ['marie', 'mediator', '631'], ['autre', 'manager', '671']]) {
  cli(['user', 'add', '--name', name, '--role', role, '--organisme', fund, '--password-stdin'], password + '\n');
}

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], { AMIABLE_DOCUMENTS_DIR: path.join(tmp, 'documents') });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d.toString(); });
const browser = await launchChromium();
const stories = new Stories();
const story = (name, fn) => stories.story(name, fn);

const headerIssues = [];
async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  const page = await context.newPage();
  page.on('response', (r) => {
    if (!r.url().startsWith(base)) return;
    const p = headerProblems(r.headers());
    if (p.length) headerIssues.push(`${r.url()}: ${p.join(', ')}`);
  });
  // What the CSP refused (an inline style, a data: image): the logo and the
  // colour must come through the page's own routes.
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error' && m.text().includes('Content Security Policy')) consoleErrors.push(m.text()); });
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

// Images made by the browser itself: a 240 x 120 logo, two colours.
async function makeImage(type) {
  const page = await (await browser.newContext({ viewport: { width: 240, height: 120 } })).newPage();
  await page.setContent('<body style="margin:0"><div style="width:240px;height:120px;background:#0a6b4f">' +
    '<div style="width:120px;height:120px;background:#f2c200"></div></div></body>');
  const bytes = await page.screenshot({ type, clip: { x: 0, y: 0, width: 240, height: 120 } });
  await page.context().close();
  const f = path.join(tmp, `logo.${type}`);
  fs.writeFileSync(f, bytes);
  return f;
}
const png = await makeImage('png');
const jpeg = await makeImage('jpeg');

// The RGB of pixel (x, y) of page 1 of a PDF, rendered at 20 dpi.
function pixel(pdfFile, x, y) {
  const ppm = execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '20', pdfFile]);
  // P6\n<w> <h>\n255\n then the bytes.
  let at = 0;
  const fields = [];
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(ppm[at]))) at++;
    let s = '';
    while (!/\s/.test(String.fromCharCode(ppm[at]))) s += String.fromCharCode(ppm[at++]);
    fields.push(s);
  }
  at++;
  const w = Number(fields[1]);
  const i = at + 3 * (y * w + x);
  return [ppm[i], ppm[i + 1], ppm[i + 2]];
}

let chef;
await story('a manager uploads the fund\'s logo and picks its colour', async () => {
  chef = await newPage();
  await signIn(chef, 'chef');
  await chef.goto(`${base}/rapport?annee=${year}&organisme=631`);
  await Promise.all([chef.waitForNavigation(), chef.click('#branding-link')]);
  assert.ok(chef.url().includes('/marque?organisme=631'), chef.url());
  assert.equal(await chef.locator('#logo-none').count(), 1, 'no logo yet');
  await chef.setInputFiles('#b-logo', png);
  await chef.fill('#b-colour', '#7a1f5c');
  await chef.uncheck('#b-default');
  await Promise.all([chef.waitForNavigation(), chef.click('#b-save')]);
  assert.ok((await chef.textContent('#flash-ok')).includes('enregistrés'));
  const size = await chef.locator('#logo-now').evaluate((img) => [img.complete, img.naturalWidth, img.naturalHeight]);
  assert.deepEqual(size, [true, 240, 120], 'the stored logo is shown');
  assert.ok((await chef.textContent('#colour-now')).includes('#7A1F5C'));
  await axe(chef, 'marque');
  assert.deepEqual(chef.consoleErrors, [], 'no CSP violation');
});

await story('the PDF holds the logo and its cover band has the colour', async () => {
  await chef.goto(`${base}/rapport?annee=${year}&organisme=631`);
  const [dl] = await Promise.all([chef.waitForEvent('download'), chef.click('#dl-pdf')]);
  const file = path.join(tmp, 'rapport.pdf');
  fs.writeFileSync(file, fs.readFileSync(await dl.path()));
  const list = execFileSync('pdfimages', ['-list', file]).toString().split('\n').slice(2).filter((l) => l.trim());
  const images = list.map((l) => l.trim().split(/\s+/)).filter((f) => f[2] === 'image');
  assert.ok(images.length >= 3, `the logo on the cover and in the page headers: ${list.length} lines`);
  for (const f of images) assert.deepEqual([f[3], f[4]], ['240', '120'], 'the uploaded logo, at its size');
  assert.deepEqual(images.map((f) => f[0]).slice(0, 1), ['1'], 'on the cover');
  const objects = new Set(images.map((f) => f[10]));
  assert.equal(objects.size, 1, 'one image object in the file, drawn on every page');
  const [r, g, b] = pixel(file, 5, 5);  // the cover band, top left
  assert.ok(Math.abs(r - 0x7a) < 8 && Math.abs(g - 0x1f) < 8 && Math.abs(b - 0x5c) < 8, `band colour ${r},${g},${b}`);
  execFileSync('pdftoppm', ['-f', '1', '-l', '3', '-png', '-r', '50', file, path.join(shots, 'marque-pdf')]);
});

await story('the report page shows the logo and the colour', async () => {
  const report = chef.locator('article.amiable-report');
  const img = report.locator('header img.logo');
  assert.equal(await img.count(), 1);
  assert.deepEqual(await img.evaluate((i) => [i.complete, i.naturalWidth]), [true, 240], 'loaded under the CSP');
  assert.equal(await report.locator('h2').first().evaluate((h) => getComputedStyle(h).color), 'rgb(122, 31, 92)');
  assert.deepEqual(chef.consoleErrors, [], 'no CSP violation');
  await chef.screenshot({ path: path.join(shots, 'rapport-marque.png') });
});

await story('a JPEG is refused with a message that says PNG only, the logo stays', async () => {
  await chef.goto(`${base}/marque?organisme=631`);
  await chef.setInputFiles('#b-logo', jpeg);
  await chef.click('#b-save');
  await chef.waitForSelector('#flash-error');
  assert.ok((await chef.textContent('#flash-error')).includes('PNG'));
  assert.ok((await chef.textContent('#b-logo-err')).includes('JPEG'));
  assert.equal(await chef.getAttribute('#b-logo', 'aria-invalid'), 'true');
  await axe(chef, 'marque-refus');
  await chef.goto(`${base}/marque?organisme=631`);
  assert.deepEqual(await chef.locator('#logo-now').evaluate((img) => img.naturalWidth), 240);
  // A bad colour posted by hand: a French message naming the field.
  const csrf = await chef.getAttribute('input[name=csrf]', 'value');
  const r = await chef.request.post(`${base}/marque`, { multipart: { csrf, organisme: '631', couleur: 'rouge' } });
  assert.equal(r.status(), 400);
  assert.ok((await r.text()).includes('Couleur : « ROUGE »'));
});

await story('a mediator, another fund\'s manager and another fund\'s user cannot change or read it', async () => {
  const marie = await newPage();
  await signIn(marie, 'marie');
  await marie.goto(`${base}/rapport?annee=${year}&organisme=631`);
  assert.equal(await marie.locator('#branding-link').count(), 0);
  assert.equal((await marie.request.get(`${base}/marque?organisme=631`)).status(), 403);
  const autre = await newPage();
  await signIn(autre, 'autre');
  await autre.goto(`${base}/marque`);
  const options = await autre.locator('#b-org-choice option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['671']);
  const csrf = await autre.getAttribute('input[name=csrf]', 'value');
  const r = await autre.request.post(`${base}/marque`, { multipart: { csrf, organisme: '631', couleur: '#000000', couleur_defaut: '' } });
  assert.ok([403, 404].includes(r.status()), `another fund: ${r.status()}`);
  assert.equal((await autre.request.get(`${base}/marque/logo?organisme=631`)).status(), 404);
  // 631's colour did not change.
  await chef.goto(`${base}/marque?organisme=631`);
  assert.ok((await chef.textContent('#colour-now')).includes('#7A1F5C'));
});

await story('security headers are present on every response', async () => {
  assert.deepEqual(headerIssues, []);
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
