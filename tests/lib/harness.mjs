// What the browser tests share: starting the real server, launching Debian's
// chromium, the security-header rule every response must follow, and a small
// story runner. Each spec keeps its own data, accounts and stories.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

// Starts `bin args...` (a `serve --port 0` command) and resolves with the
// server process and its base URL once it logs "listening on".
export async function startServer(bin, args, env) {
  const server = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + log)), 15000);
    server.stderr.on('data', (d) => {
      log += d.toString();
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}:\n${log}`)));
  });
  return { server, base };
}

// Debian's chromium with the flags this machine needs (shared/stack.md).
export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
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
