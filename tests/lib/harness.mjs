// What the browser tests share: starting the real server, launching Debian's
// chromium, the security-header rule every response must follow, and a small
// story runner. Each spec keeps its own data, accounts and stories.
import { execFileSync, spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

// Through the nginx front (scripts/test runs the workspace stories once so):
// AMIABLE_FRONT_URL=https://127.0.0.1:PORT is a front started by
// scripts/front-start with AMIABLE_FRONT_APP_PORT as its upstream. The
// server then listens on that port, knows it is behind TLS (--behind-tls:
// Secure cookies, HSTS) and trusts the front's X-Forwarded-For when this
// build has --trusted-proxy; pages are driven at the front's URL, its
// self-signed certificate accepted (ignoreHTTPSErrors, and for node's own
// fetch NODE_TLS_REJECT_UNAUTHORIZED=0).
export const frontUrl = process.env.AMIABLE_FRONT_URL || '';
if (frontUrl) process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

function frontArgs(bin, args) {
  const appPort = process.env.AMIABLE_FRONT_APP_PORT;
  if (!appPort) throw new Error('AMIABLE_FRONT_URL needs AMIABLE_FRONT_APP_PORT');
  const out = [...args];
  const i = out.indexOf('--port');
  if (i >= 0) out[i + 1] = appPort; else out.push('--port', appPort);
  out.push('--behind-tls');
  const help = execFileSync(bin, ['serve', '--help']).toString();
  if (help.includes('--trusted-proxy')) out.push('--trusted-proxy', '127.0.0.1');
  return out;
}

// Starts `bin args...` (a `serve --port 0` command) and resolves with the
// server process and its base URL once it logs "listening on" (the front's
// URL when AMIABLE_FRONT_URL is set).
export async function startServer(bin, args, env) {
  if (frontUrl) args = frontArgs(bin, args);
  const server = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + log)), 15000);
    server.stderr.on('data', (d) => {
      log += d.toString();
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(frontUrl || m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  return { server, base };
}

// Debian's chromium with the flags this machine needs (shared/stack.md).
// Through the front, every context accepts its self-signed certificate.
export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  if (frontUrl) {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = (options = {}) => newContext({ ignoreHTTPSErrors: true, ...options });
  }
  return browser;
}

// The problems of one response's headers against the security policy.
export function headerProblems(h) {
  const csp = h['content-security-policy'] || '';
  const problems = [];
  if (!csp.includes("frame-ancestors 'none'") && !csp.includes('sandbox')) problems.push('CSP frame-ancestors');
  if (csp.includes("'unsafe-inline'")) problems.push('CSP unsafe-inline');
  if (h['x-content-type-options'] !== 'nosniff') problems.push('nosniff');
  if (!h['referrer-policy']) problems.push('Referrer-Policy');
  return problems;
}

// Runs named stories one after the other, printing "ok" / "not ok" lines.
export class Stories {
  constructor() { this.passed = 0; this.failed = 0; }
  async story(name, fn) {
    try {
      await fn();
      this.passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      this.failed++;
      console.log(`not ok - ${name}\n  ${String(e.stack || e).split('\n').slice(0, 6).join('\n  ')}`);
    }
  }
}
