// Browser tests of the public form and the mediators' workspace (issue 3),
// written as user stories. Starts the real server on a temporary SQLite
// database seeded with the command line, drives Debian's chromium with
// playwright-core, scans every page type with axe-core.
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
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-web-'));
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'amiable-shots');
fs.mkdirSync(shots, { recursive: true });
const db = `sqlite:${path.join(tmp, 'test.db')}`;
const password = 'motdepasse-solide-1';

function cli(args, input) {
  return execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}
cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['organisme', 'add', '--code', '672', '--name', 'Caf du Bas-Rhin', '--zone', 'alsace_moselle']);
cli(['user', 'add', '--name', 'marie', '--display-name', 'Marie Médiatrice', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'paul', '--role', 'mediator', '--organisme', '672', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'admin', '--role', 'administrator', '--all-funds', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'luc', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'interest', 'add', '--user', 'luc', '--kind', 'beneficiary', '--value', 'Lefèvre Zoé', '--relation', 'cousine']);

const { server, base } = await startServer(bin, ['--db', db, 'serve', '--port', '0', '--bind', '127.0.0.1', '--web-root', path.join(root, 'web'), '--no-access-log'], { AMIABLE_PUBLIC_ORGANISME: '631', AMIABLE_DOCUMENTS_DIR: path.join(tmp, 'documents') });

const browser = await launchChromium();

const stories = new Stories();
const story = (name, fn) => stories.story(name, fn);

const headerProblems = [];
function watchHeaders(page) {
  page.on('response', (r) => {
    if (!r.url().startsWith(base)) return;
    const problems = securityHeaderProblems(r.headers());
  });
}

async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  watchHeaders(page);
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

function isoDaysAgo(n) {
  const d = new Date(Date.now() - n * 86400000);
  return d.toISOString().slice(0, 10);
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
let reference = '';
const year = new Date().getFullYear();

await story('a beneficiary files a request with an attachment and gets a receipt', async () => {
  const page = await newPage();
  await page.goto(`${base}/demande`);
  await axe(page, 'form');
  await page.check('#emitter-allocataire');
  await page.fill('#allocataire_number', '7654321');
  await page.fill('#last_name', 'Lefèvre');
  await page.fill('#first_name', 'Zoé');
  await page.fill('#email', 'zoe@example.org');
  await page.check('#prior-oui');
  await page.fill('#prior_complaint_on', isoDaysAgo(20));
  await page.check('#benefit-logement');
  await page.fill('#description', "Mon aide au logement n'est plus versée depuis deux mois malgré ma réclamation.");
  await page.setInputFiles('#attachments', { name: 'avis.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.check('#consent');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  reference = (await page.textContent('#reference')).trim();
  assert.match(reference, new RegExp(`^631-${year}-\\d{5}$`));
  await axe(page, 'receipt');
});

await story('a wrong form shows its messages and keeps the typed values', async () => {
  const page = await newPage();
  await page.goto(`${base}/demande`);
  await page.check('#emitter-allocataire');
  await page.fill('#allocataire_number', '123');
  await page.fill('#last_name', 'Durand');
  await page.fill('#first_name', '');
  await page.fill('#email', 'pas-une-adresse');
  await page.fill('#description', 'Trop court');
  await page.setInputFiles('#attachments', { name: 'virus.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') });
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(resp.status(), 400);
  const text = await page.textContent('main');
  for (const m of ['7 chiffres', 'prénom', "adresse électronique n'est pas valide", '20 caractères', 'réclamation', 'Cochez la case', "n'est ni un PDF"]) {
    assert.ok(text.includes(m), `message « ${m} » missing`);
  }
  assert.equal(await page.inputValue('#last_name'), 'Durand');
  assert.equal(await page.inputValue('#allocataire_number'), '123');
  assert.equal(await page.inputValue('#description'), 'Trop court');
  assert.equal(await page.getAttribute('#description', 'aria-invalid'), 'true');
  await axe(page, 'form-errors');
});

await story('a mediator with a declared interest link is refused the case, recuses, and no longer sees it', async () => {
  const luc = await newPage();
  await signIn(luc, 'luc');
  await luc.goto(`${base}/dossiers/${reference}`);
  assert.ok((await luc.textContent('main')).includes("Conflit d'intérêts"), 'conflict warning shown');
  await axe(luc, 'case-conflict');
  const submit = async (event, fill) => {
    const form = luc.locator(`form:has(input[name=event][value=${event}])`);
    await form.locator('xpath=..').locator('summary').click();
    if (fill) await fill(form);
    await Promise.all([luc.waitForNavigation(), form.locator('button[type=submit]').click()]);
  };
  await submit('take_in_charge');
  assert.equal(await luc.locator('.alert.ok').count(), 0);
  assert.ok((await luc.textContent('.alert.error')).includes("conflit d'intérêts"));
  await submit('recuse', async (f) => {
    await f.locator('input[name=to]').fill('marie');
    await f.locator('input[name=reason]').fill('Allocataire de ma famille.');
  });
  assert.equal(new URL(luc.url()).pathname, '/tableau', luc.url());
  assert.ok((await luc.textContent('.alert.ok')).includes('Déport enregistré'));
  assert.ok(!(await luc.textContent('main')).includes(reference));
  const r = await luc.goto(`${base}/dossiers/${reference}`);
  assert.equal(r.status(), 404);
  await luc.goto(`${base}/recherche?q=lefevre`);
  assert.ok(!(await luc.textContent('main')).includes(reference));
});

let marie;
let closedBefore = -1;
await story('a mediator signs in, finds the request, screens it, takes it in charge, classifies it, answers and closes it, and sees the figures change', async () => {
  marie = await newPage();
  await signIn(marie, 'marie');
  assert.ok(marie.url().endsWith('/tableau'), marie.url());
  assert.ok((await marie.textContent('main')).includes(reference));
  await axe(marie, 'dashboard');

  await marie.goto(`${base}/chiffres?annee=${year}&organisme=631`);
  closedBefore = Number(await marie.textContent('#fig-closed'));
  await axe(marie, 'figures');

  await marie.goto(`${base}/recherche?q=lefevre`);
  assert.ok((await marie.textContent('main')).includes(reference), 'search without accents finds the case');
  await axe(marie, 'search');
  await Promise.all([marie.waitForNavigation(), marie.click(`a:text("${reference}")`)]);
  assert.ok((await marie.textContent('main')).includes('Recevabilité suggérée'));
  await axe(marie, 'case');

  const act = async (event, fill) => {
    const form = marie.locator(`form:has(input[name=event][value=${event}])`);
    await form.locator('xpath=..').locator('summary').click();
    if (fill) await fill(form);
    await Promise.all([marie.waitForNavigation(), form.locator('button[type=submit]').click()]);
    const ok = await marie.locator('.alert.ok').count();
    const err = ok ? '' : await marie.textContent('main');
    assert.ok(ok, `event ${event} refused: ${err.slice(0, 300)}`);
  };
  await act('take_in_charge');
  await act('start_investigation');
  // Classification.
  await marie.check('#motives-absence_paiement');
  await marie.selectOption('#f-household', 'isole');
  await marie.selectOption('#f-activity', 'chomeur');
  await Promise.all([marie.waitForNavigation(), marie.click('button:text("Enregistrer la qualification")')]);
  assert.equal(await marie.locator('.alert.ok').count(), 1);
  // A back-payment in euros.
  await marie.selectOption('#fin-kind', 'rappel');
  await marie.fill('#fin-amount', '1 234,56');
  await Promise.all([marie.waitForNavigation(), marie.click('button:text("Ajouter la ligne")')]);
  assert.ok((await marie.textContent('main')).includes('1\u202f234,56\u00a0€'));
  await act('answer', (f) => f.locator('input[value=courriel]').check());
  await act('close', async (f) => {
    await f.locator('select[name=resolution]').selectOption('revisee');
    await f.locator('select[name=cause]').selectOption('erreur_liquidation');
  });
  assert.ok((await marie.textContent('h1')).includes('Clôturée'), await marie.textContent('h1'));
  await marie.screenshot({ path: path.join(shots, 'case-closed.png'), fullPage: true });

  await marie.goto(`${base}/chiffres?annee=${year}&organisme=631`);
  assert.equal(Number(await marie.textContent('#fig-closed')), closedBefore + 1);
});

await story('a forged form without CSRF token is refused', async () => {
  const r = await marie.request.post(`${base}/dossiers/${reference}/notes`, { form: { text: 'forgée' } });
  assert.equal(r.status(), 403);
  const r2 = await marie.request.post(`${base}/dossiers/${reference}/notes`, { form: { text: 'forgée', csrf: 'x'.repeat(43) } });
  assert.equal(r2.status(), 403);
  await marie.goto(`${base}/dossiers/${reference}`);
  assert.ok(!(await marie.textContent('main')).includes('forgée'));
});

await story('a user of another fund cannot open the case by URL, search or download', async () => {
  const paul = await newPage();
  await signIn(paul, 'paul');
  const r = await paul.goto(`${base}/dossiers/${reference}`);
  assert.equal(r.status(), 404);
  const d = await paul.goto(`${base}/dossiers/${reference}/documents/1`);
  assert.equal(d.status(), 404);
  await paul.goto(`${base}/recherche?q=lefevre`);
  assert.ok(!(await paul.textContent('main')).includes(reference));
  const post = await paul.goto(`${base}/tableau`);
  assert.equal(post.status(), 200);
  assert.ok(!(await paul.textContent('main')).includes(reference));
  // The owner can download it.
  const own = await marie.request.get(`${base}/dossiers/${reference}/documents/1`);
  assert.equal(own.status(), 200);
  assert.equal((await own.body()).subarray(0, 5).toString(), '%PDF-');
});

await story('the sign-in page, administration and a signed-out visit are accessible and safe', async () => {
  const anon = await newPage();
  const r = await anon.goto(`${base}/tableau`);
  assert.ok(anon.url().endsWith('/connexion'));
  await axe(anon, 'signin');
  await anon.fill('#name', 'marie');
  await anon.fill('#password', 'mauvais-mot-de-passe');
  await Promise.all([anon.waitForNavigation(), anon.click('button[type=submit]')]);
  assert.ok((await anon.textContent('main')).includes('incorrect'));
  const admin = await newPage();
  await signIn(admin, 'admin');
  await admin.goto(`${base}/administration`);
  await axe(admin, 'admin');
  await admin.goto(`${base}/enregistrer`);
  await axe(admin, 'register');
  const nf = await admin.goto(`${base}/nexiste-pas`);
  assert.equal(nf.status(), 404);
  await axe(admin, 'not-found');
});

await story('injection attempts find nothing', async () => {
  for (const q of ["' OR 1=1 --", '"*', '<script>alert(1)</script>', 'a:* | b', "'; DROP TABLE cases; --"]) {
    const r = await marie.goto(`${base}/recherche?q=${encodeURIComponent(q)}`);
    assert.equal(r.status(), 200, q);
    assert.equal(await marie.locator('script:text("alert(1)")').count(), 0);
  }
  const r = await marie.goto(`${base}/dossiers/631-${year}-00001'OR'1'='1`);
  assert.ok([404].includes(r.status()));
});

await story('a mediator declares an interest link on her page, sees it listed, and removes it', async () => {
  const m = await newPage();
  await signIn(m, 'marie');
  await Promise.all([m.waitForNavigation(), m.click('a:text("Mes liens d\'intérêts")')]);
  assert.ok(m.url().endsWith('/liens-interets'), m.url());
  assert.ok((await m.textContent('main')).includes("Aucun lien d'intérêts déclaré"));
  // A wrong declaration: messages tied to the fields, values kept.
  await m.selectOption('#il_kind', 'allocataire');
  await m.fill('#il_value', '123');
  await m.fill('#il_relation', '');
  const [bad] = await Promise.all([m.waitForNavigation(), m.click('button:text("Déclarer le lien")')]);
  assert.equal(bad.status(), 400);
  assert.ok((await m.textContent('#il_value-err')).includes('7 chiffres'));
  assert.ok((await m.textContent('#il_relation-err')).includes('nature du lien'));
  assert.equal(await m.getAttribute('#il_value', 'aria-invalid'), 'true');
  assert.equal(await m.inputValue('#il_value'), '123');
  assert.equal(await m.inputValue('#il_kind'), 'allocataire');
  await axe(m, 'interests-errors');
  // The right one.
  await m.selectOption('#il_kind', 'landlord');
  await m.fill('#il_value', 'SCI Les Tilleuls');
  await m.fill('#il_relation', 'associée de la SCI');
  await m.selectOption('#il_fund', '631');
  await m.fill('#il_start', '2021-03-01');
  await Promise.all([m.waitForNavigation(), m.click('button:text("Déclarer le lien")')]);
  assert.ok(m.url().endsWith('/liens-interets?ok=interest.added'), m.url());
  const row = await m.textContent('#il-links tbody');
  for (const t of ['SCI Les Tilleuls', 'associée de la SCI', '631', '01/03/2021', 'en cours']) {
    assert.ok(row.includes(t), `« ${t} » not listed`);
  }
  await axe(m, 'interests');
  // Forged posts without the CSRF token are refused and change nothing.
  const forged = await m.request.post(`${base}/liens-interets`, { form: { kind: 'person', value: 'Forgé', relation: 'x' } });
  assert.equal(forged.status(), 403);
  const id = await m.getAttribute('#il-links input[name=id]', 'value');
  const forgedRemove = await m.request.post(`${base}/liens-interets/supprimer`, { form: { id } });
  assert.equal(forgedRemove.status(), 403);
  await m.reload();
  assert.ok(!(await m.textContent('main')).includes('Forgé'));
  assert.equal(await m.locator('#il-links tbody tr').count(), 1);
  // Another user's link cannot be removed by its number.
  const luc = cli(['user', 'interest', 'list', '--user', 'luc']).split('\t')[0];
  const csrf = await m.getAttribute('#il-links input[name=csrf]', 'value');
  const other = await m.request.post(`${base}/liens-interets/supprimer`, { form: { id: luc, csrf } });
  assert.equal(other.status(), 404);
  assert.ok(cli(['user', 'interest', 'list', '--user', 'luc']).includes('Lefèvre Zoé'));
  // She removes hers.
  await Promise.all([m.waitForNavigation(), m.click('button:text("Retirer")')]);
  assert.ok(m.url().endsWith('/liens-interets?ok=interest.removed'), m.url());
  assert.ok((await m.textContent('main')).includes("Aucun lien d'intérêts déclaré"));
  assert.equal(cli(['user', 'interest', 'list', '--user', 'marie']), '');
});

await story('the dashboard shows « Mes dossiers » with their age, marks late only the requests not taken in charge past their deadline, and lists every case with filters', async () => {
  const m = await newPage();
  await signIn(m, 'marie');
  const register = async (receivedOn, name) => {
    await m.goto(`${base}/enregistrer`);
    await m.selectOption('#r-org', '631');
    await m.selectOption('#r-channel', 'courrier');
    await m.fill('#r-date', receivedOn);
    await m.fill('#r-name', name);
    await m.fill('#r-desc', `Courrier de ${name} au sujet de son aide au logement.`);
    await Promise.all([m.waitForNavigation(), m.click('button:text("Enregistrer")')]);
    assert.ok((await m.textContent('.alert.ok')).includes('Demande enregistrée'));
    return new URL(m.url()).pathname.split('/').pop();
  };
  const late = await register(isoDaysAgo(30), 'Martin Léa');
  const fresh = await register(isoDaysAgo(0), 'Bernard Hugo');
  // She takes the fresh one in charge: it is hers, in progress, never late.
  await m.goto(`${base}/dossiers/${fresh}`);
  const form = m.locator('form:has(input[name=event][value=take_in_charge])');
  await form.locator('xpath=..').locator('summary').click();
  await Promise.all([m.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert.equal(await m.locator('.alert.ok').count(), 1, await m.textContent('main'));

  await m.goto(`${base}/tableau`);
  const mine = await m.textContent('#file-mes-dossiers');
  assert.ok(mine.includes(fresh), 'the case she took is in « Mes dossiers »');
  assert.ok(!mine.includes(late), 'a case she has not taken is not hers');
  assert.match(await m.textContent(`#file-mes-dossiers tr:has(a:text("${fresh}"))`), /\d+ j\. ouvré\(s\)/);
  const lateRows = await m.locator('tr.late').allTextContents();
  assert.ok(lateRows.some((t) => t.includes(late)), 'the old request is late');
  assert.ok(!lateRows.some((t) => t.includes(fresh)), 'a case taken in charge is never late');
  assert.equal(await m.locator('#file-cours tr.late').count(), 0, 'no late row among cases in progress');
  await axe(m, 'dashboard-mine');

  // The list of every case, its filters and the late filter.
  await Promise.all([m.waitForNavigation(), m.click('a:text("Tous les dossiers")')]);
  assert.equal(new URL(m.url()).pathname, '/dossiers');
  let list = await m.textContent('#case-list');
  for (const r of [late, fresh, reference]) assert.ok(list.includes(r), `${r} listed`);
  await m.check('#l-retard');
  await Promise.all([m.waitForNavigation(), m.click('button:text("Filtrer")')]);
  assert.ok(m.url().includes('retard=1'), m.url());
  list = await m.textContent('#case-list');
  assert.ok(list.includes(late) && !list.includes(fresh) && !list.includes(reference), list);
  assert.equal(await m.locator('#case-list tbody tr').count(), await m.locator('#case-list tbody tr.late').count());
  await axe(m, 'case-list-late');
  // Closed cases are reachable: state « Clôturée ».
  await m.goto(`${base}/dossiers`);
  await m.selectOption('#l-etat', 'closed');
  await m.selectOption('#l-annee', String(year));
  await Promise.all([m.waitForNavigation(), m.click('button:text("Filtrer")')]);
  list = await m.textContent('#case-list');
  assert.ok(list.includes(reference) && !list.includes(fresh), list);
  // By mediator: hers.
  await m.goto(`${base}/dossiers`);
  await m.selectOption('#l-mediateur', 'marie');
  await Promise.all([m.waitForNavigation(), m.click('button:text("Filtrer")')]);
  list = await m.textContent('#case-list');
  assert.ok(list.includes(fresh) && !list.includes(late), list);
  await axe(m, 'case-list');
  // Paging past the end shows an empty page, not an error.
  const r = await m.goto(`${base}/dossiers?page=99`);
  assert.equal(r.status(), 200);
  assert.ok((await m.textContent('main')).includes('Aucun dossier'));
});

await story('a message in the URL is shown only when it is a catalogue key', async () => {
  const m = await newPage();
  await signIn(m, 'marie');
  const pages = [`/dossiers/${reference}`, '/tableau', '/liens-interets', `/rapport/textes?annee=${year}&organisme=631`];
  for (const p of pages) {
    const sep = p.includes('?') ? '&' : '?';
    for (const q of [`erreur=${encodeURIComponent('<script>Texte libre</script>')}`, `ok=${encodeURIComponent('Texte libre')}`,
                     `erreur=${encodeURIComponent('Texte libre')}&ok=${encodeURIComponent('<b>Texte libre</b>')}`]) {
      const r = await m.goto(`${base}${p}${sep}${q}`);
      assert.equal(r.status(), 200, p);
      assert.equal(await m.locator('.alert').count(), 0, `${p}${sep}${q} shows an alert`);
      assert.ok(!(await m.textContent('body')).includes('Texte libre'), `${p}${sep}${q} prints the URL's text`);
    }
  }
  await m.goto(`${base}/dossiers/${reference}?ok=note.added`);
  assert.equal((await m.textContent('.alert.ok')).trim(), 'Note ajoutée.');
  await axe(m, 'case-flash');
  const admin = await newPage();
  await signIn(admin, 'admin');
  await admin.goto(`${base}/administration?erreur=${encodeURIComponent('<script>Texte libre</script>')}&ok=Texte%20libre`);
  assert.equal(await admin.locator('.alert').count(), 0);
  assert.ok(!(await admin.textContent('body')).includes('Texte libre'));
  // Roles and nomenclatures in French.
  const text = await admin.textContent('main');
  for (const t of ['Médiateur', 'Administrateur', 'Mode de saisine', 'Zone des jours fériés']) assert.ok(text.includes(t), t);
  for (const t of ['>mediator<', '>administrator<']) assert.ok(!(await admin.content()).includes(t), t);
});

await story('security headers are present on every response', async () => {
  assert.deepEqual(headerProblems, []);
  assert.deepEqual(marie.consoleErrors, []);
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
