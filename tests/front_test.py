#!/usr/bin/env python3
"""End-to-end test of the nginx front (deploy/nginx/amiable.conf).

Starts `amiable serve --behind-tls` on a loopback port and the shipped nginx
site in front of it (scripts/front-start: same file, ports and certificate
swapped), both on random ports, then checks through the front:
- pages and the API over TLS (the test's own certificate, verified), HSTS,
  the session cookie Secure;
- http:// redirects to https://;
- X-Forwarded-For sent by a client is replaced by the front;
- a header line too large, and too many headers, refused by nginx (400/494);
- a body over client_max_body_size refused with 413 before it is sent;
- 70 slowloris connections (TLS, one header line every 2 s) held for ~8 s:
  /healthz through the front keeps answering, each under 1 s;
- the per-address request rate: a burst well over it gets 429s.
Standard library only; skipped (exit 0 with a note) when nginx is missing.
"""
import http.client
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amiable import PASSWORD, WEB_ROOT, add_user  # noqa: E402
from api_test import BIN, Env, check, FAILURES, free_port  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SLOW_CONNECTIONS = 70
SLOW_SECONDS = 8


class Front:
    def __init__(self, tmp, app_port):
        self.dir = os.path.join(tmp, "front")
        self.port = free_port()
        self.http_port = free_port()
        out = subprocess.run([os.path.join(ROOT, "scripts", "front-start"), self.dir,
                              str(self.port), str(app_port), str(self.http_port)],
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise SystemExit("front-start failed:\n" + out.stdout + out.stderr)
        self.ctx = ssl.create_default_context(cafile=os.path.join(self.dir, "cert.pem"))

    def stop(self):
        subprocess.run([os.path.join(ROOT, "scripts", "front-stop"), self.dir], timeout=30)

    def conn(self, timeout=10):
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx,
                                           timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        c = conn or self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read(), \
                r.getheader("Set-Cookie")
        finally:
            if conn is None:
                c.close()


def slowloris(front, stop, opened, errors):
    """One connection sending a header line every 2 s until `stop`."""
    try:
        raw = socket.create_connection(("127.0.0.1", front.port), timeout=15)
        s = front.ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        opened.append(1)
        i = 0
        while not stop.wait(2):
            i += 1
            try:
                s.sendall(b"X-Slow-%d: %d\r\n" % (i, i))
            except OSError:
                break  # nginx closed it (client_header_timeout): fine
        s.close()
    except OSError as e:
        errors.append(repr(e))


def main():
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        print("front_test: nginx is not installed, skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        env = Env(tmp, "sqlite:" + os.path.join(tmp, "front.db"))
        env.cli("organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
                "--zone", "metropole", "--region", "84")
        add_user(env, "marie", "mediator", "631")
        token = env.cli("token", "create", "--user", "marie", "--label", "test").stdout.strip()
        os.environ["AMIABLE_DOCUMENTS_DIR"] = os.path.join(tmp, "documents")
        os.environ["AMIABLE_PUBLIC_ORGANISME"] = "631"
        args = ["--web-root", WEB_ROOT, "--today", "2025-03-03", "--behind-tls",
                "--bind", "127.0.0.1"]
        helptext = env.cli("serve", "--help").stdout
        trusted = "--trusted-proxy" in helptext
        if trusted:
            args += ["--trusted-proxy", "127.0.0.1"]
        env.start_args = args
        env.start()
        front = Front(tmp, env.port)
        try:
            scenario(env, front, token, trusted)
        finally:
            front.stop()
            env.stop()
            log = open(env.log_path).read()
    check("6.6.6.6" not in log, "a client's X-Forwarded-For never reaches the application's log")
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("front_test: all checks passed")
    return 0


def scenario(env, front, token, trusted):
    # ---- Pages and API over TLS ----
    status, h, body, _ = front.request("GET", "/healthz", headers={"X-Forwarded-For": "6.6.6.6"})
    check(status == 200 and b'"status":"ok"' in body, "healthz through the front: %d" % status)
    check(h.get("strict-transport-security", "").startswith("max-age="), "HSTS: %r" % h)
    check(h.get("x-content-type-options") == "nosniff", "nosniff once: %r" % h)
    check(h.get("server") == "nginx", "no nginx version: %r" % h.get("server"))
    status, h, page, pre_cookie = front.request("GET", "/connexion")
    check(status == 200 and "Connexion".encode() in page, "sign-in page over TLS: %d" % status)
    check("frame-ancestors 'none'" in h.get("content-security-policy", ""),
          "the application's CSP passes: %r" % h)
    token_field = re.search(rb'name="form_token" value="([^"]+)"', page)
    if token_field:
        body = urllib.parse.urlencode({"form_token": token_field.group(1).decode(),
                                       "name": "marie", "password": PASSWORD}).encode()
        # The sign-in form's token is bound to its pre-session cookie.
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if pre_cookie:
            headers["Cookie"] = pre_cookie.split(";")[0]
        status, h, _, cookie = front.request("POST", "/connexion", body, headers)
        check(status == 303, "sign-in through the front: %d" % status)
        m = re.search(r"amiable_session=[^;,]+[^,]*", cookie or "")
        cookie = m.group(0) if m else cookie
        check(cookie is not None and "Secure" in cookie and "HttpOnly" in cookie,
              "session cookie Secure behind TLS: %r" % cookie)
        if cookie:
            status, _, page, _ = front.request("GET", "/tableau",
                                               headers={"Cookie": cookie.split(";")[0]})
            check(status == 200, "dashboard through the front: %d" % status)
    status, _, body, _ = front.request("GET", "/api/v1/me",
                                       headers={"Authorization": "Bearer " + token})
    check(status == 200 and b'"marie"' in body, "API through the front: %d %r" % (status, body[:100]))
    status, _, _, _ = front.request("GET", "/metrics")
    check(status == 404, "/metrics not served to the internet: %d" % status)

    # ---- http:// redirects ----
    c = http.client.HTTPConnection("127.0.0.1", front.http_port, timeout=10)
    c.request("GET", "/demande?x=1")
    r = c.getresponse()
    r.read()
    c.close()
    check(r.status == 301 and r.getheader("Location") ==
          "https://127.0.0.1:%d/demande?x=1" % front.port,
          "http redirects to https: %d %r" % (r.status, r.getheader("Location")))

    # ---- Header caps ----
    status, _, _, _ = front.request("GET", "/healthz", headers={"X-Big": "a" * 10000})
    check(status in (400, 494), "a 10 kB header line refused by nginx: %d" % status)
    many = {"X-H-%d" % i: "b" * 1000 for i in range(40)}
    status, _, _, _ = front.request("GET", "/healthz", headers=many)
    check(status in (400, 494), "40 kB of headers refused by nginx: %d" % status)

    # ---- Body over the limit: 413 from the Content-Length alone ----
    c = front.conn()
    c.putrequest("POST", "/demande")
    c.putheader("Content-Type", "multipart/form-data; boundary=x")
    c.putheader("Content-Length", str(65 << 20))
    c.endheaders()
    r = c.getresponse()
    r.read()
    c.close()
    check(r.status == 413, "a 65 MiB body refused before it is sent: %d" % r.status)

    # ---- Slowloris against the front ----
    stop = threading.Event()
    opened, errors = [], []
    threads = [threading.Thread(target=slowloris, args=(front, stop, opened, errors))
               for _ in range(SLOW_CONNECTIONS)]
    for t in threads:
        t.start()
    time.sleep(1)
    times = []
    t_end = time.time() + SLOW_SECONDS
    while time.time() < t_end:
        t0 = time.time()
        try:
            status, _, _, _ = front.request("GET", "/healthz")
        except OSError as e:
            status = repr(e)
        times.append((time.time() - t0, status))
        time.sleep(0.25)
    stop.set()
    for t in threads:
        t.join()
    worst = max(t for t, _ in times) if times else 99
    median = sorted(t for t, _ in times)[len(times) // 2] if times else 99
    print("slowloris: %d connections held (%d errors), %d /healthz through the front, "
          "median %.0f ms, worst %.0f ms" % (len(opened), len(errors), len(times),
                                             median * 1000, worst * 1000))
    check(len(opened) >= SLOW_CONNECTIONS - 5, "slow connections opened: %d" % len(opened))
    check(all(s == 200 for _, s in times), "healthz answered during slowloris: %r"
          % [s for _, s in times if s != 200][:5])
    check(worst < 1.0, "healthz under 1 s during slowloris: worst %.3f s" % worst)

    # ---- Per-address request rate (20/s, bursts of 100): 429 past it ----
    c = front.conn()
    codes = []
    for _ in range(250):
        status, _, _, _ = front.request("GET", "/healthz", conn=c)
        codes.append(status)
    c.close()
    print("burst: 250 requests on one connection, %d answered, %d refused (429)"
          % (codes.count(200), codes.count(429)))
    check(codes.count(429) > 0 and codes.count(200) >= 100,
          "a burst of 250 requests: %d answered, %d refused (429)"
          % (codes.count(200), codes.count(429)))
    if not trusted:
        print("front_test: `serve --trusted-proxy` not in this build; address checks skipped")


if __name__ == "__main__":
    random.seed()
    sys.exit(main())
