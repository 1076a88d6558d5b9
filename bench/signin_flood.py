#!/usr/bin/env python3
"""Failed-sign-in flood (issue 9): /healthz latency while 150 concurrent
clients send wrong passwords, beside the same measure unloaded.

Starts `amiable serve` on a throwaway SQLite database and a free loopback
port. Each flood round sends CONCURRENT sign-ins at once (unknown names and
wrong passwords for a real account), every client from its own loopback
source address 127.0.X.Y with SPREAD=1 (the per-address limits let each
address be checked: every attempt would cost an argon2id check, and the
bounded queue of checks refuses the excess at once), or all from one address
with SPREAD=0 (a new one each round; the issue's attack: most are refused by the per-address
limit). Meanwhile one client probes /healthz every 10 ms. Prints p50/p99/max
of /healthz, unloaded and under the flood, and how the sign-ins were
answered. Environment: AMIABLE_BIN (build/amiable), CONCURRENT (150),
ROUNDS (3), SPREAD (both: "0" one address, "1" one address per client).
Standard library only.
"""
import concurrent.futures
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BIN = os.environ.get("AMIABLE_BIN", "build/amiable")
CONCURRENT = int(os.environ.get("CONCURRENT", "150"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
MODES = [m == "1" for m in os.environ.get("SPREAD", "0 1").split()]
PASSWORD = "une phrase de passe assez longue"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, source="127.0.0.1", body=None, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    headers = {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    set_cookie = r.getheader("Set-Cookie") or ""
    conn.close()
    return r.status, data, set_cookie.split(";", 1)[0]


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def probe(port, stop, out):
    while not stop.is_set():
        t0 = time.monotonic()
        request(port, "GET", "/healthz")
        out.append(time.monotonic() - t0)
        time.sleep(0.01)


def main():
    for spread in MODES:
        run_mode(spread)
    return 0


def run_mode(SPREAD):
    with tempfile.TemporaryDirectory() as tmp:
        db = "sqlite:" + os.path.join(tmp, "flood.db")
        run = lambda *a, stdin=None: subprocess.run([BIN, "--db", db, *a], input=stdin, text=True,
                                                    capture_output=True, check=True)
        run("organisme", "add", "--code", "631", "--name", "Caf", "--zone", "metropole")
        run("user", "add", "--name", "victime", "--role", "mediator", "--organisme", "631",
            "--password-stdin", stdin=PASSWORD + "\n")
        port = free_port()
        web = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "web")
        server = subprocess.Popen([BIN, "--db", db, "serve", "--port", str(port), "--web-root", web,
                                   "--no-access-log"], stderr=subprocess.DEVNULL)
        try:
            for _ in range(150):
                try:
                    request(port, "GET", "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            # Unloaded ceiling.
            idle = []
            for _ in range(200):
                t0 = time.monotonic()
                request(port, "GET", "/healthz")
                idle.append(time.monotonic() - t0)
                time.sleep(0.005)
            loaded, answers = [], {}
            signin_seconds = []
            for rnd in range(ROUNDS):
                sources = ["127.0.%d.%d" % (10 + rnd, i + 1 if SPREAD else 250)
                           for i in range(CONCURRENT)]
                forms = []
                for s in sources:
                    _, page, cookie = request(port, "GET", "/connexion", s)
                    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
                    forms.append((s, cookie, token))

                def attempt(i):
                    s, cookie, token = forms[i]
                    name = "victime" if i % 2 else "inconnu-%d" % i
                    body = urllib.parse.urlencode({"form_token": token, "name": name,
                                                   "password": "mauvais-%d" % i})
                    t0 = time.monotonic()
                    status = request(port, "POST", "/connexion", s, body, cookie)[0]
                    return status, time.monotonic() - t0

                stop = threading.Event()
                samples = []
                t = threading.Thread(target=probe, args=(port, stop, samples))
                t.start()
                with concurrent.futures.ThreadPoolExecutor(CONCURRENT) as ex:
                    for status, secs in ex.map(attempt, range(CONCURRENT)):
                        answers[status] = answers.get(status, 0) + 1
                        signin_seconds.append(secs)
                stop.set()
                t.join()
                loaded += samples
        finally:
            server.terminate()
            server.wait(timeout=15)
    ms = lambda x: "%.1f ms" % (x * 1000)
    print("== failed-sign-in flood: %d concurrent x %d rounds, %s" % (
        CONCURRENT, ROUNDS, "one address per client" if SPREAD else "one address"))
    print("| /healthz | p50 | p99 | max | samples |")
    print("|---|---|---|---|---|")
    print("| unloaded | %s | %s | %s | %d |" % (ms(statistics.median(idle)), ms(percentile(idle, 99)),
                                             ms(max(idle)), len(idle)))
    print("| under the flood | %s | %s | %s | %d |" % (
        ms(statistics.median(loaded)), ms(percentile(loaded, 99)), ms(max(loaded)), len(loaded)))
    print("sign-ins answered: %s; sign-in p50 %s, max %s" % (
        ", ".join("%d x %d" % (n, s) for s, n in sorted(answers.items())),
        ms(statistics.median(signin_seconds)), ms(max(signin_seconds))))
    print("load average: %.2f" % os.getloadavg()[0])


if __name__ == "__main__":
    sys.exit(main())
