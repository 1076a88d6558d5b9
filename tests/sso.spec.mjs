// Browser test of the single sign-on with OpenID Connect against a real
// provider: LemonLDAP::NG (scripts/llng-start: Demo users dwho, rtyler,
// msmith, password = login; dwho in the group timelords, rtyler and msmith
// in earthlings; funds from DIR/funds.json as the claim amiable_funds).
// The stories: « Se connecter avec LemonLDAP », sign in at the portal, back
// signed in with the mapped role and funds (account created at the first
// sign-in, keyed on sub, no local password); the role map changes and the
// next sign-in updates role and funds; a locally disabled account is
// refused; a forged return (no state) is refused.
//
// Env: AMIABLE_BIN (default ../build/amiable).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, launchChromium, Stories } from './lib/harness.mjs';

const started = Date.now();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AMIABLE_BIN || path.join(root, 'build', 'amiable');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-sso-'));
fs.chmodSync(tmp, 0o755);  // the provider runs as nobody (scripts/llng-start)
const llngDir = path.join(tmp, 'llng');
const dbFile = path.join(tmp, 'test.db');
const db = `sqlite:${dbFile}`;
const cli = (args, input) =>
  execFileSync(bin, ['--db', db, ...args], { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] }).toString();
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', dbFile, q]).toString().trim();

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

cli(['organisme', 'add', '--code', '631', '--name', 'Caf du Puy-de-Dôme', '--zone', 'metropole']);
cli(['organisme', 'add', '--code', '974', '--name', 'Caf de La Réunion', '--zone', 'reunion']);
// A local account already named rtyler: the SSO account gets another name.
cli(['user', 'add', '--name', 'rtyler', '--role', 'mediator', '--organisme', '631', '--password-stdin'],
  'motdepasse-solide-1\n');

const appPort = await freePort();
const llngPort = await freePort();
const appBase = `http://127.0.0.1:${appPort}`;
const start = spawnSync(path.join(root, 'scripts', 'llng-start'),
  [llngDir, String(llngPort), `${appBase}/connexion/oidc/retour`], { encoding: 'utf8' });
if (start.status !== 0) {
  console.log(`not ok - LemonLDAP::NG did not start\n  ${start.stderr}`);
  spawnSync(path.join(root, 'scripts', 'llng-stop'), [llngDir]);
  process.exit(1);
}
const provider = JSON.parse(start.stdout.trim().split('\n').pop());
const setFunds = (map) => fs.writeFileSync(path.join(llngDir, 'funds.json'), JSON.stringify(map));
setFunds({ rtyler: '631 974', dwho: '*' });

let server = null;
async function startAmiable(roleMap) {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
  }
  const s = await startServer(bin, ['--db', db, 'serve', '--port', String(appPort), '--bind', '127.0.0.1',
    '--web-root', path.join(root, 'web'), '--no-access-log'], {
    AMIABLE_OIDC_ISSUER: provider.issuer,
    AMIABLE_OIDC_CLIENT_ID: provider.client_id,
    AMIABLE_OIDC_SECRET_FILE: provider.secret_file,
    AMIABLE_OIDC_REDIRECT_URI: `${appBase}/connexion/oidc/retour`,
    AMIABLE_OIDC_NAME: 'LemonLDAP',
    AMIABLE_OIDC_ROLE_CLAIM: 'groups',
    AMIABLE_OIDC_ROLE_MAP: roleMap,
    AMIABLE_OIDC_FUNDS_CLAIM: 'amiable_funds',
  });
  server = s.server;
  assert.equal(s.base, appBase);
}
await startAmiable('administrator=timelords,mediator=earthlings');

const browser = await launchChromium();
const stories = new Stories();

// The whole flow in a fresh browser: amiable's button, the portal's form,
// back to amiable. Returns the page where it ends.
async function ssoSignIn(login) {
  const page = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  await page.goto(`${appBase}/connexion`);
  assert.equal((await page.textContent('#sso-signin')).trim(), 'Se connecter avec LemonLDAP');
  await Promise.all([page.waitForURL(`${provider.issuer}/**`), page.click('#sso-signin')]);
  await page.fill('#userfield', login);
  await page.fill('#passwordfield', login);
  await Promise.all([page.waitForURL(`${appBase}/**`, { timeout: 20000 }), page.click('button[type=submit].btn-success')]);
  await page.waitForLoadState('load');
  return page;
}
const account = (sub) =>
  sql(`SELECT name || '|' || role || '|' || all_funds || '|' || organismes || '|' || password_hash || '|' || disabled FROM users WHERE sso_subject = '${sub}'`);

await stories.story('first sign-in: the account is created from the claims (role and funds mapped)', async () => {
  const page = await ssoSignIn('rtyler');
  assert.equal(new URL(page.url()).pathname, '/tableau', `ended at ${page.url()}`);
  // sub is the uid (oidcRPMetaDataOptionsUserIDAttr); rtyler was taken.
  assert.equal(account('rtyler'), 'rtyler-2|mediator|0|631,974||0');
  assert.ok((await page.textContent('body')).includes('Rose Tyler'), 'named from the claim name');
  // The session works on a guarded page; the local rtyler is untouched.
  const res = await page.goto(`${appBase}/dossiers`);
  assert.equal(res.status(), 200);
  assert.equal(sql("SELECT role || '|' || organismes FROM users WHERE name = 'rtyler'"), 'mediator|631');
});

await stories.story('an administrator by its group, every fund by "*"', async () => {
  const page = await ssoSignIn('dwho');
  assert.equal(account('dwho'), 'dwho|administrator|1|||0');
  const res = await page.goto(`${appBase}/administration`);
  assert.equal(res.status(), 200);
});

await stories.story('the mapping changes: the next sign-in updates role and funds', async () => {
  await startAmiable('administrator=timelords,manager=earthlings');
  setFunds({ rtyler: '974 999', dwho: '*' });  // 999 is no fund: dropped
  const page = await ssoSignIn('rtyler');
  assert.equal(new URL(page.url()).pathname, '/tableau');
  assert.equal(account('rtyler'), 'rtyler-2|manager|0|974||0');
  assert.equal(sql("SELECT count(*) FROM users WHERE sso_subject IS NOT NULL"), '2', 'no second account');
});

await stories.story('a group that maps to no role: refused, nothing created', async () => {
  await startAmiable('administrator=timelords');
  const page = await ssoSignIn('msmith');
  assert.equal(new URL(page.url()).pathname, '/connexion/oidc/retour');
  assert.ok((await page.textContent('#signin-error')).includes("n'a pas de rôle"));
  assert.equal(account('msmith'), '');
});

await stories.story('a locally disabled SSO account is refused whatever the provider says', async () => {
  await startAmiable('administrator=timelords,mediator=earthlings');
  sql("UPDATE users SET disabled = 1 WHERE sso_subject = 'rtyler'");
  const page = await ssoSignIn('rtyler');
  assert.equal(new URL(page.url()).pathname, '/connexion/oidc/retour');
  assert.ok((await page.textContent('#signin-error')).includes('ne peut pas se connecter'));
  assert.equal(account('rtyler'), 'rtyler-2|manager|0|974||1', 'still disabled, not updated');
  const res = await page.goto(`${appBase}/tableau`);
  assert.equal(new URL(res.url()).pathname, '/connexion', 'no session');
});

await stories.story('a return without this browser\'s state, or a replayed one, is refused', async () => {
  const page = await (await browser.newContext()).newPage();
  const res = await page.goto(`${appBase}/connexion/oidc/retour?code=abc&state=forged`);
  assert.equal(res.status(), 401);
  assert.ok((await page.textContent('#signin-error')).includes('expiré'));
  // An SSO account cannot sign in with a password (it has none).
  await page.goto(`${appBase}/connexion`);
  const r2 = await page.request.post(`${appBase}/connexion`, { form: { name: 'dwho', password: 'dwho', form_token: await page.inputValue('input[name=form_token]') } });
  assert.equal(r2.status(), 401);
});

await browser.close();
server.kill('SIGTERM');
spawnSync(path.join(root, 'scripts', 'llng-stop'), [llngDir]);
const seconds = (Date.now() - started) / 1000;
console.log(`# ${stories.passed} passed, ${stories.failed} failed in ${seconds.toFixed(1)} s`);
if (!process.env.KEEP) fs.rmSync(tmp, { recursive: true, force: true });
process.exit(stories.failed ? 1 : 0);
