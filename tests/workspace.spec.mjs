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
import { startServer, launchChromium, headerProblems as securityHeaderProblems, Stories, frontUrl } from './lib/harness.mjs';
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
cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole', '--region', '84']);
cli(['organisme', 'add', '--code', '672', '--name', 'Caf du Bas-Rhin', '--zone', 'alsace_moselle', '--region', '44']);
// Another fund of the same region (Auvergne-Rhône-Alpes) and its mediator.
cli(['organisme', 'add', '--code', '031', '--name', "Caf de l'Allier", '--zone', 'metropole', '--region', '84']);
cli(['user', 'add', '--name', 'marie', '--display-name', 'Marie Médiatrice', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'paul', '--role', 'mediator', '--organisme', '672', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'admin', '--role', 'administrator', '--all-funds', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'luc', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'jeanne', '--display-name', 'Jeanne Allier', '--role', 'mediator', '--organisme', '031', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'sophie', '--display-name', 'Sophie Responsable', '--role', 'manager', '--organisme', '631', '--password-stdin'], password + '\n');
cli(['user', 'add', '--name', 'anne', '--role', 'mediator', '--organisme', '631', '--password-stdin'], password + '\n');
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
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (400|404|409)/.test(m.text())) consoleErrors.push(m.text()); });
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

// Opens a <details> unless a refused form left it open.
async function openDetails(details) {
  if ((await details.getAttribute('open')) === null) await details.locator('summary').first().click();
}

function isoDaysAgo(n) {
  const d = new Date(Date.now() - n * 86400000);
  return d.toISOString().slice(0, 10);
}

if (frontUrl) {
  await story('through the TLS front: HTTPS pages with HSTS and a Secure session cookie', async () => {
    const page = await newPage();
    const resp = await page.goto(`${base}/connexion`);
    assert.ok(page.url().startsWith('https://'));
    assert.match(resp.headers()['strict-transport-security'] || '', /^max-age=\d+/);
    await signIn(page, 'marie');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.httpOnly);
    assert.ok(session && session.secure, `session cookie Secure: ${JSON.stringify(cookies)}`);
  });
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
    await openDetails(form.locator('xpath=..'));
    if (fill) await fill(form);
    await Promise.all([luc.waitForNavigation(), form.locator('button[type=submit]').click()]);
  };
  await submit('take_in_charge');
  assert.equal(await luc.locator('.alert.ok').count(), 0);
  assert.match(await luc.textContent('.alert.error'), /conflit d'intérêts/i);
  await submit('recuse', async (f) => {
    await f.locator('select[name=to]').selectOption('marie');
    // The form is pre-filled from the conflict check: the link, a strong intensity.
    assert.ok((await f.locator('textarea[name=interet]').inputValue()).includes('Lefèvre'));
    assert.ok(await f.locator('#recuse-intensite-forte').isChecked());
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
    await openDetails(form.locator('xpath=..'));
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
  // Closing lists the report fields still empty; without the confirmation
  // the service refuses and names the first one, tied to its box.
  {
    const form = marie.locator('form:has(input[name=event][value=close])');
    await form.locator('xpath=..').locator('summary').click();
    const boxes = form.locator('input[name=confirm_unknown]');
    assert.ok(await boxes.count() > 0, 'the empty fields are listed');
    assert.ok((await form.textContent()).includes('Quotient familial : non renseigné'));
    await form.locator('select[name=resolution]').selectOption('revisee');
    await form.locator('select[name=cause]').selectOption('erreur_liquidation');
    const [refused] = await Promise.all([marie.waitForNavigation(), form.locator('button[type=submit]').click()]);
    assert.equal(refused.status(), 409);
    assert.ok((await marie.textContent('.alert.error')).includes('non renseigné'));
    assert.equal(await marie.locator('#action-close input[aria-invalid=true]').count(), 1);
    assert.ok(await marie.locator('#action-close').getAttribute('open') !== null, 'the refused form stays open');
    await axe(marie, 'case-close-unknown');
  }
  await act('close', async (f) => {
    for (const box of await f.locator('input[name=confirm_unknown]').all()) await box.check();
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
  await m.fill('#il_relation', 'voisin');
  const [bad] = await Promise.all([m.waitForNavigation(), m.click('button:text("Déclarer le lien")')]);
  assert.equal(bad.status(), 400);
  assert.ok((await m.textContent('#il_value-err')).includes('7 chiffres'));
  assert.equal(await m.getAttribute('#il_value', 'aria-invalid'), 'true');
  assert.equal(await m.inputValue('#il_value'), '123');
  assert.equal(await m.inputValue('#il_kind'), 'allocataire');
  await m.fill('#il_value', '1234567');
  await m.fill('#il_relation', '');
  await m.evaluate(() => document.getElementById('il_relation').removeAttribute('required'));
  const [bad2] = await Promise.all([m.waitForNavigation(), m.click('button:text("Déclarer le lien")')]);
  assert.equal(bad2.status(), 400);
  assert.ok((await m.textContent('#il_relation-err')).includes('nature du lien'));
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
    await m.fill('#r-beneficiary-name', name);
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

// Opens the action form of `event` on `page`, fills it, sends it.
async function sendAction(page, event, fill) {
  const form = page.locator(`form:has(input[name=event][value=${event}])`);
  await openDetails(form.locator('xpath=..'));
  if (fill) await fill(form);
  const [resp] = await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  return resp;
}

async function registerPostal(page, fields) {
  await page.goto(`${base}/enregistrer`);
  await page.selectOption('#r-org', '631');
  await page.selectOption('#r-channel', 'courrier');
  for (const [sel, v] of Object.entries(fields)) {
    if (sel === '#r-emitter' || sel === '#r-prior') await page.selectOption(sel, v);
    else await page.fill(sel, v);
  }
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('button:text("Enregistrer")')]);
  return resp;
}

await story('registering a postal request with a prior complaint, a sender with her function and a landlord; people edited on the case', async () => {
  const m = await newPage();
  await signIn(m, 'marie');
  const fields = {
    '#r-date': isoDaysAgo(2), '#r-emitter': 'tiers', '#r-alloc': '1234567',
    '#r-prior': 'reclamation', '#r-prior-on': isoDaysAgo(40),
    '#r-beneficiary-name': 'Petit Noé',
    '#r-sender-name': 'Claire Durand', '#r-sender-function': 'assistante sociale',
    '#r-sender-organisation': 'CCAS de Clermont', '#r-sender-email': 'pas-une-adresse',
    '#r-sender-phone': '04 73 00 00 00',
    '#r-landlord-name': 'SCI Les Tilleuls',
    '#r-desc': "Courrier de l'assistante sociale : l'aide au logement de M. Petit est suspendue malgré sa réclamation.",
  };
  // A wrong address: the message at its field, the values kept.
  const bad = await registerPostal(m, fields);
  assert.equal(bad.status(), 400);
  assert.ok((await m.textContent('#r-sender-email-err')).includes('Adresse électronique invalide'));
  assert.equal(await m.getAttribute('#r-sender-email', 'aria-invalid'), 'true');
  assert.equal(await m.inputValue('#r-sender-function'), 'assistante sociale');
  assert.equal(await m.inputValue('#r-prior'), 'reclamation');
  await axe(m, 'register-errors');
  await m.fill('#r-sender-email', 'claire.durand@example.org');
  await m.setInputFiles('#r-scan', { name: 'courrier.pdf', mimeType: 'application/pdf', buffer: pdf });
  await Promise.all([m.waitForNavigation(), m.click('button:text("Enregistrer")')]);
  assert.ok((await m.textContent('.alert.ok')).includes('Demande enregistrée'), await m.textContent('main'));
  const people = await m.textContent('#personnes');
  for (const t of ['Claire Durand, assistante sociale', 'CCAS de Clermont', 'claire.durand@example.org', 'SCI Les Tilleuls', 'Petit Noé']) {
    assert.ok(people.includes(t), `« ${t} » in the people`);
  }
  assert.ok((await m.textContent('main')).includes('courrier.pdf'));
  assert.ok((await m.textContent('main')).includes('Recevabilité suggérée : Recevable'), 'a prior complaint: admissible');
  await axe(m, 'case-registered');
  // The sender's phone changes; the landlord is removed after a confirmation.
  const sender = m.locator('#personnes li:has-text("Claire Durand")');
  await sender.locator('summary:has-text("Modifier")').click();
  await sender.locator('input[name=phone]').fill('04 73 11 22 33');
  await Promise.all([m.waitForNavigation(), sender.locator('button:text("Enregistrer la personne")').click()]);
  assert.ok((await m.textContent('.alert.ok')).includes('Personne enregistrée'));
  assert.ok((await m.textContent('#personnes')).includes('04 73 11 22 33'));
  const landlord = m.locator('#personnes li:has-text("SCI Les Tilleuls")');
  await landlord.locator('summary:has-text("Retirer")').click();
  await Promise.all([m.waitForNavigation(), landlord.locator('button:text("Confirmer le retrait")').click()]);
  assert.ok(!(await m.textContent('#personnes')).includes('SCI Les Tilleuls'));
  // A financial line is deleted only through its confirmation.
  await sendAction(m, 'take_in_charge');
  await m.selectOption('#fin-kind', 'rappel');
  await m.fill('#fin-amount', '80');
  await Promise.all([m.waitForNavigation(), m.click('button:text("Ajouter la ligne")')]);
  const row = m.locator('#h-fin ~ table tbody tr').first();
  assert.equal(await row.locator('button:text("Confirmer la suppression")').isVisible(), false, 'one click does not delete');
  await row.locator('summary').click();
  await Promise.all([m.waitForNavigation(), row.locator('button:text("Confirmer la suppression")').click()]);
  assert.ok((await m.textContent('.alert.ok')).includes('Ligne financière supprimée'));
});

await story('a change to a case of a published year needs its confirmation', async () => {
  const m = await newPage();
  await signIn(m, 'marie');
  const resp = await registerPostal(m, { '#r-date': `${year - 1}-06-15`, '#r-beneficiary-name': 'Roux Inès', '#r-desc': "Courrier de l'an dernier au sujet du RSA." });
  assert.equal(resp.status(), 200);
  const ref = new URL(m.url()).pathname.split('/').pop();
  // The manager publishes last year's figures through the API.
  const token = cli(['token', 'create', '--user', 'sophie']).trim();
  const pub = await fetch(`${base}/api/v1/organismes/631/published-years`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ year: year - 1 }),
  });
  assert.equal(pub.status, 201, await pub.text());
  await m.goto(`${base}/dossiers/${ref}`);
  await m.selectOption('#f-household', 'isole');
  const [refused] = await Promise.all([m.waitForNavigation(), m.click('button:text("Enregistrer la qualification")')]);
  assert.equal(refused.status(), 409);
  assert.ok((await m.textContent('.alert.error')).includes(`${year - 1}, déjà publiée`));
  assert.equal(await m.inputValue('#f-household'), 'isole', 'the typed value is kept');
  const box = m.locator('#edit-confirm-published');
  assert.ok((await m.textContent('label[for=edit-confirm-published]')).includes("Je confirme cette modification d'une année publiée"));
  await axe(m, 'case-published-confirm');
  await box.check();
  await Promise.all([m.waitForNavigation(), m.click('button:text("Enregistrer la qualification")')]);
  assert.ok((await m.textContent('.alert.ok')).includes('Qualification enregistrée'));
  assert.equal(await m.inputValue('#f-household'), 'isole');
});

await story('a recusal hands the case to a mediator of another fund of the region; a manager lifts it', async () => {
  const m = await newPage();
  await signIn(m, 'marie');
  await registerPostal(m, { '#r-date': isoDaysAgo(1), '#r-beneficiary-name': 'Garnier Paul', '#r-desc': 'Courrier au sujet de la prime d\u2019activité suspendue.' });
  const ref = new URL(m.url()).pathname.split('/').pop();
  await sendAction(m, 'take_in_charge');
  const form = m.locator('form:has(input[name=event][value=recuse])');
  await form.locator('xpath=..').locator('summary').click();
  const region = await form.locator('optgroup[label="Autres Caf de la région"]').textContent();
  assert.ok(region.includes("Jeanne Allier — 031 — Caf de l'Allier"), region);
  assert.ok((await form.locator('optgroup[label="Même Caf"]').textContent()).includes('anne'));
  assert.ok(!(await form.textContent()).includes('paul'), 'a mediator of another region is not offered');
  await form.locator('select[name=to]').selectOption('jeanne');
  await form.locator('input[name=reason]').fill('Le bailleur est un parent.');
  await form.locator('textarea[name=interet]').fill('Lien familial avec le bailleur');
  await form.locator('#recuse-interference-materielle').check();
  await form.locator('#recuse-intensite-moderee').check();
  await axe(m, 'case-recuse-form');
  await Promise.all([m.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert.equal(new URL(m.url()).pathname, '/tableau');
  assert.ok(!(await m.textContent('main')).includes(ref));
  assert.equal((await m.goto(`${base}/dossiers/${ref}`)).status(), 404);
  // The receiver sees it on her dashboard, with its fund named.
  const j = await newPage();
  await signIn(j, 'jeanne');
  const handed = await j.textContent('#file-confies');
  assert.ok(handed.includes(ref) && handed.includes('631 — Caf du Puy-de-Dôme'), handed);
  await axe(j, 'dashboard-handed');
  assert.equal((await j.goto(`${base}/dossiers/${ref}`)).status(), 200);
  assert.equal(await j.locator('.recusals-lift, summary:text("Lever le déport (enregistré par erreur)")').count(), 0);
  // A colleague of the fund who is not in charge cannot record it.
  const a = await newPage();
  await signIn(a, 'anne');
  await a.goto(`${base}/dossiers/${ref}`);
  assert.equal(await a.locator('#action-recuse').count(), 0);
  // The manager sees the recusal and its "3 i", and lifts it with a reason.
  const s = await newPage();
  await signIn(s, 'sophie');
  await s.goto(`${base}/dossiers/${ref}`);
  const list = await s.textContent('#deports');
  for (const t of ['Marie Médiatrice', 'Le bailleur est un parent.', 'Lien familial avec le bailleur', 'matérielle', 'modérée']) assert.ok(list.includes(t), t);
  const lift = s.locator('#deports details:has(summary:text("Lever le déport (enregistré par erreur)"))');
  await lift.locator('summary').click();
  const [noReason] = await Promise.all([s.waitForNavigation(), lift.locator('button[type=submit]').click()]);
  assert.equal(noReason.status(), 400);
  assert.ok((await s.textContent('#deports .field-error')).includes('motif'));
  await s.locator('#deports input[name=reason]').fill('Enregistré sur le mauvais dossier.');
  await Promise.all([s.waitForNavigation(), s.locator('#deports button[type=submit]').click()]);
  assert.ok((await s.textContent('.alert.ok')).includes('Déport levé'));
  assert.ok((await s.textContent('#deports')).includes('Levé'));
  await axe(s, 'case-recusal-lifted');
  assert.equal((await m.goto(`${base}/dossiers/${ref}`)).status(), 200, 'the lifted mediator sees the case again');
});

await story('a closed case is read-only, keeps its notes, and reopening asks a reason', async () => {
  const m = await newPage();
  await signIn(m, 'marie');
  await m.goto(`${base}/dossiers/${reference}`);
  assert.ok((await m.textContent('h1')).includes('Clôturée'));
  assert.ok(await m.locator('#lecture-seule').isVisible());
  for (const sel of ['#qualification', '#fin-amount', '#doc-file', '#ajout-personne', '#personnes summary']) {
    assert.equal(await m.locator(sel).count(), 0, `${sel} on a closed case`);
  }
  assert.ok((await m.textContent('#qualification-lecture')).includes('Mode de saisine'));
  await axe(m, 'case-locked');
  await m.fill('#note-text', 'Note après clôture.');
  await Promise.all([m.waitForNavigation(), m.click('button:text("Ajouter la note")')]);
  assert.ok((await m.textContent('.alert.ok')).includes('Note ajoutée'));
  // A forged edit is refused by the service.
  const csrf = await m.getAttribute('input[name=csrf]', 'value');
  const forged = await m.request.post(`${base}/dossiers/${reference}/finances`, { form: { csrf, kind: 'rappel', amount: '10' } });
  assert.equal(forged.status(), 409);
  // Another mediator of the fund, not in charge, is not offered to reopen.
  const a = await newPage();
  await signIn(a, 'anne');
  await a.goto(`${base}/dossiers/${reference}`);
  assert.equal(await a.locator('#action-reopen').count(), 0);
  // Reopening without a reason is refused at the reason's field.
  const noReason = await sendAction(m, 'reopen');
  assert.equal(noReason.status(), 400);
  assert.ok(await m.locator('#action-reopen .field-error').count() === 1, await m.textContent('#action-reopen'));
  await axe(m, 'case-reopen-error');
  await sendAction(m, 'reopen', (f) => f.locator('input[name=reason]').fill('Nouvelle pièce reçue.'));
  assert.ok((await m.textContent('.alert.ok')).includes('Action enregistrée'));
  assert.equal(await m.locator('#qualification').count(), 1, 'editable again');
  assert.ok((await m.textContent('#h-hist ~ ul')).includes('Nouvelle pièce reçue.'));
});

await story('a mediator asks a service of the fund a question, sees it awaited on the dashboard, and records the answer', async () => {
  cli(['organisme', 'service', 'add', '--code', '631', '--service', 'prestations', '--label', 'Service prestations', '--address', 'prestations@example.org']);
  const m = await newPage();
  await signIn(m, 'marie');
  const resp = await registerPostal(m, { '#r-date': `${year}-01-05`, '#r-beneficiary-name': 'Blanc Léa', '#r-desc': 'Question sur un indu de prime d’activité.' });
  assert.equal(resp.status(), 200);
  const ref = new URL(m.url()).pathname.split('/').pop();
  const ask = m.locator('#action-demande-interne');
  await openDetails(ask);
  await m.selectOption('#ir-service', 'prestations');
  const [refused] = await Promise.all([m.waitForNavigation(), m.click('button:text("Envoyer la demande")')]);
  assert.equal(refused.status(), 400);
  assert.ok((await m.textContent('#ir-question-err')).includes('Écrivez la question'));
  await axe(m, 'case-internal-request-refused');
  await m.fill('#ir-question', 'Pouvez-vous confirmer le montant de l’indu notifié ?');
  await Promise.all([m.waitForNavigation(), m.click('button:text("Envoyer la demande")')]);
  assert.ok((await m.textContent('.alert.ok')).includes('Demande interne envoyée'));
  const section = await m.textContent('#demandes-internes');
  assert.ok(section.includes('Service prestations') && section.includes('en attente depuis'), section);
  await axe(m, 'case-internal-requests');
  await m.goto(`${base}/tableau`);
  assert.ok((await m.textContent('#file-demandes-internes')).includes(ref));
  await axe(m, 'dashboard-internal-requests');
  await m.goto(`${base}/dossiers/${ref}`);
  await openDetails(m.locator('#demandes-internes details').first());
  await Promise.all([m.waitForNavigation(), m.click('button:text("Enregistrer la réponse")')]);
  assert.ok((await m.textContent('.alert.ok')).includes('Réponse du service enregistrée'));
  assert.ok((await m.textContent('#demandes-internes')).includes('réponse reçue le'));
  await m.goto(`${base}/tableau`);
  assert.equal(await m.locator('#file-demandes-internes').count(), 0);
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
