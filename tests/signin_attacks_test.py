#!/usr/bin/env python3
"""The sign-in attacks of issue 9, rerun against the real server.

Each scenario signs in from its own loopback source address (127.0.0.2,
127.0.0.3...: Linux lets a client bind any 127/8 address), so that the
per-address limits of one scenario do not spill into another.

- A burst of 40 parallel sign-ins (39 wrong, one right) from one address:
  at most the limit (5) is checked (401 or 303), the rest refused at once
  (429 with Retry-After).
- A victim: wrong passwords from one address refuse that address only; the
  owner signs in from another address; wrong passwords from many addresses
  tell the owner by mail once (the outbox); unlock (command line and the
  administration page) clears the counters.
- 150 concurrent failed sign-ins while /healthz answers under 1 s.
- The same message for an unknown name, a wrong password and a refused
  attempt; about the same time for an unknown name and a wrong password.
- Login CSRF: the form's token is required and bound to the pre-session
  cookie; a CSRF token in the query string is not read.
- The idle time: a session last seen 31 minutes ago is gone.
Standard library only.
"""
import concurrent.futures
import html
import http.client
import os
import re
import sqlite3
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from api_test import check  # noqa: E402
from amiable import PASSWORD, add_funds, add_user, main  # noqa: E402

LIMIT_PAIR = 5
LIMIT_ADDRESS = 20
ACCOUNT_ALERT = 10


class Client:
    """A browser from one source address: cookies kept by name."""

    def __init__(self, env, source):
        self.env = env
        self.source = source
        self.cookies = {}

    def request(self, method, path, fields=None, headers=None):
        u = urllib.parse.urlparse(self.env.base)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60,
                                          source_address=(self.source, 0))
        h = dict(headers or {})
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read().decode("utf-8", "replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        conn.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def form_token(self):
        page = self.request("GET", "/connexion")[2]
        return re.search(r'name="form_token" value="([^"]+)"', page).group(1)

    def sign_in(self, name, password, token=None):
        token = token or self.form_token()
        return self.request("POST", "/connexion",
                            {"form_token": token, "name": name, "password": password})


def error_text(page):
    m = re.search(r'id="signin-error">([^<]*)<', page)
    return html.unescape(m.group(1)) if m else None


def setup(env):
    add_funds(env)
    for name, role in (("alice", "mediator"), ("vera", "mediator"), ("bob", "mediator"),
                       ("root", "administrator")):
        add_user(env, name, role, None if role == "administrator" else "631")
    db = sqlite3.connect(env.db[len("sqlite:"):])
    db.execute("UPDATE users SET email = 'vera@example.org' WHERE name = 'vera'")
    db.commit()
    db.close()
    # The policy refuses weak passwords on the command line.
    r = env.cli("user", "add", "--name", "weak", "--role", "mediator", "--organisme", "631",
                "--password-stdin", stdin="password1234\n", ok=False)
    check(r.returncode != 0 and "Mot de passe refusé" in r.stderr,
          "a dictionary password is refused: %r" % r.stderr)
    return {}


def burst(env):
    client_pool = [Client(env, "127.0.0.2") for _ in range(40)]
    tokens = [c.form_token() for c in client_pool]
    passwords = ["wrong-password-%02d" % i for i in range(39)] + [PASSWORD]

    def go(i):
        return client_pool[i].sign_in("alice", passwords[i], tokens[i])

    with concurrent.futures.ThreadPoolExecutor(40) as ex:
        results = list(ex.map(go, range(40)))
    statuses = [r[0] for r in results]
    checked = sum(1 for s in statuses if s in (401, 303))
    refused = [r for r in results if r[0] == 429]
    print("burst: %d checked, %d refused (limit %d), right one: %d" % (
        checked, len(refused), LIMIT_PAIR, statuses[-1]))
    check(checked <= LIMIT_PAIR, "burst: at most %d checked, got %d" % (LIMIT_PAIR, checked))
    check(len(refused) >= 40 - LIMIT_PAIR, "burst: the rest refused: %d" % len(refused))
    check(all(int(r[1].get("retry-after", "0")) > 0 for r in refused), "429 carries Retry-After")
    check(statuses[-1] in (303, 429), "the right one signs in or is refused: %d" % statuses[-1])
    check(statuses.count(303) <= 1, "at most one success")


def victim(env):
    attacker = Client(env, "127.0.0.4")
    codes = [attacker.sign_in("vera", "not-her-password-%d" % i)[0] for i in range(LIMIT_PAIR + 1)]
    check(codes[:LIMIT_PAIR] == [401] * LIMIT_PAIR and codes[-1] == 429,
          "one address: %d checks then refused: %s" % (LIMIT_PAIR, codes))
    check(attacker.sign_in("vera", PASSWORD)[0] == 429, "that address stays refused")
    owner = Client(env, "127.0.0.3")
    status, headers, _ = owner.sign_in("vera", PASSWORD)
    check(status == 303 and headers.get("location") == "/tableau",
          "the owner signs in from another address: %d" % status)
    # Many addresses, one wrong password each: past the alert threshold.
    for i in range(ACCOUNT_ALERT):
        Client(env, "127.0.1.%d" % (i + 1)).sign_in("vera", "spray-%d" % i)
    status = Client(env, "127.0.1.1").sign_in("vera", PASSWORD)[0]
    check(status == 429, "past the threshold a failed address gets no more check: %d" % status)
    status = Client(env, "127.0.0.5").sign_in("vera", PASSWORD)[0]
    check(status == 303, "past the threshold the owner still signs in: %d" % status)
    db = sqlite3.connect(env.db[len("sqlite:"):])
    rows = db.execute("SELECT recipient, subject, body FROM outbox WHERE kind = 'signin_alert'"
                      ).fetchall()
    db.close()
    check(len(rows) == 1 and rows[0][0] == "vera@example.org",
          "the owner is told once: %r" % rows)
    if rows:
        check("127.0" not in rows[0][2], "the mail names no address")
    # Unlock from the command line clears the counters of every address.
    r = env.cli("user", "unlock", "--name", "vera")
    check("effacés" in r.stderr, "user unlock: %r" % r.stderr)
    check(attacker.sign_in("vera", PASSWORD)[0] == 303, "after unlock the address signs in")
    # And from the administration page.
    for i in range(LIMIT_PAIR):
        attacker.sign_in("vera", "again-%d" % i)
    check(attacker.sign_in("vera", PASSWORD)[0] == 429, "refused again")
    admin = Client(env, "127.0.0.7")
    check(admin.sign_in("root", PASSWORD)[0] == 303, "the administrator signs in")
    page = admin.request("GET", "/administration")[2]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    check("Déverrouiller" in page, "the user list has « Déverrouiller »")
    status, headers, _ = admin.request("POST", "/administration/utilisateurs/deverrouiller",
                                       {"csrf": csrf, "name": "vera"})
    check(status == 303 and "ok=page.user_unlocked" in headers.get("location", ""),
          "the page unlocks: %d %s" % (status, headers.get("location")))
    check(attacker.sign_in("vera", PASSWORD)[0] == 303, "after the page's unlock, signs in")


def messages_and_timing(env):
    unknown = Client(env, "127.0.0.8")
    wrong = Client(env, "127.0.0.9")
    t_unknown, t_wrong = [], []
    texts = set()
    for i in range(5):
        tok = unknown.form_token()
        t0 = time.monotonic()
        s, _, page = unknown.sign_in("nobody-%d" % i, "whatever-password", tok)
        t_unknown.append(time.monotonic() - t0)
        check(s == 401, "unknown name: 401")
        texts.add(error_text(page))
        tok = wrong.form_token()
        t0 = time.monotonic()
        s, _, page = wrong.sign_in("bob", "whatever-password-%d" % i, tok)
        t_wrong.append(time.monotonic() - t0)
        texts.add(error_text(page))
    s, _, page = wrong.sign_in("bob", "once-more")
    check(s == 429, "throttled: 429")
    texts.add(error_text(page))
    check(len(texts) == 1 and None not in texts, "one message for all three: %r" % texts)
    mu, mw = statistics.median(t_unknown), statistics.median(t_wrong)
    print("timing: unknown %.0f ms, wrong %.0f ms (medians)" % (mu * 1000, mw * 1000))
    check(0.5 < mu / mw < 2.0, "unknown and wrong take about the same time")


def flood(env):
    clients = [Client(env, "127.0.2.1") for _ in range(150)]
    tokens = [c.form_token() for c in clients]
    worst = [0.0]
    done = [False]

    def probe():
        probe_client = Client(env, "127.0.0.1")
        n = 0
        while not done[0] and n < 400:
            t0 = time.monotonic()
            s = probe_client.request("GET", "/healthz")[0]
            worst[0] = max(worst[0], time.monotonic() - t0)
            check(s == 200, "/healthz 200 under the flood")
            n += 1
            time.sleep(0.02)

    with concurrent.futures.ThreadPoolExecutor(151) as ex:
        p = ex.submit(probe)
        results = list(ex.map(lambda i: clients[i].sign_in("ghost-%d" % i, "x-password", tokens[i])[0],
                              range(150)))
        done[0] = True
        p.result()
    checked = results.count(401)
    print("flood: 150 failed sign-ins, %d checked, %d refused; /healthz worst %.0f ms" % (
        checked, results.count(429), worst[0] * 1000))
    check(checked <= LIMIT_ADDRESS, "per address: at most %d checked" % LIMIT_ADDRESS)
    check(worst[0] < 1.0, "/healthz under 1 s during the flood: %.3f" % worst[0])


def csrf(env):
    c = Client(env, "127.0.0.10")
    s = c.request("POST", "/connexion", {"name": "bob", "password": PASSWORD})[0]
    check(s == 400, "sign-in without form token: %d" % s)
    token = c.form_token()
    other = Client(env, "127.0.0.10")  # no pre-session cookie of its own
    s = other.request("POST", "/connexion", {"form_token": token, "name": "bob",
                                             "password": PASSWORD})[0]
    check(s == 400, "a token without its pre-session cookie: %d" % s)
    s = c.request("POST", "/connexion?" + urllib.parse.urlencode(
        {"form_token": token, "name": "bob", "password": PASSWORD}), {})[0]
    check(s == 400, "sign-in fields in the query string are not read: %d" % s)
    check(c.sign_in("bob", PASSWORD, token)[0] == 303, "with token and cookie: signs in")
    page = c.request("GET", "/tableau")[2]
    session_csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    s = c.request("POST", "/deconnexion?csrf=" + session_csrf, {})[0]
    check(s == 403, "a CSRF token in the query string is refused: %d" % s)
    s = c.request("POST", "/deconnexion", {}, headers={"X-CSRF-Token": session_csrf})[0]
    check(s == 303, "the X-CSRF-Token header is read: %d" % s)


def idle(env):
    c = Client(env, "127.0.0.11")
    check(c.sign_in("bob", PASSWORD)[0] == 303, "signs in")
    check(c.request("GET", "/tableau")[0] == 200, "the dashboard")
    db = sqlite3.connect(env.db[len("sqlite:"):])
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 31 * 60))
    db.execute("UPDATE web_sessions SET last_seen = ?, created_at = ? WHERE user_name = 'bob'",
               (stamp, stamp))
    db.commit()
    db.close()
    s, h, _ = c.request("GET", "/tableau")
    check(s == 303 and h.get("location") == "/connexion",
          "idle 31 minutes: back to the sign-in: %d" % s)


def scenario(env, state):
    burst(env)
    victim(env)
    messages_and_timing(env)
    flood(env)
    csrf(env)
    idle(env)


if __name__ == "__main__":
    sys.exit(main("signin_attacks_test", "signin.db", "2026-12-02", setup, scenario))
