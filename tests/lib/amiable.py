"""What the end-to-end tests that sign in to the workspace share: the server
on a temporary SQLite database with the web root, a signed-in browser
(Session), the users' password, the funds and users they create, and their
main(). The JSON API client (Env, call, check) stays in tests/api_test.py.
Standard library only.
"""
import http.cookiejar
import os
import re
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TESTS_DIR)
from api_test import Env, check, FAILURES  # noqa: E402

WEB_ROOT = os.path.join(TESTS_DIR, "..", "web")
PASSWORD = "une phrase de passe assez longue"


def add_funds(env):
    """631 and 031 in one region (84), 671 in another (44)."""
    env.cli("organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
            "--zone", "metropole", "--region", "84")
    env.cli("organisme", "add", "--code", "031", "--name", "Caf de l'Allier",
            "--zone", "metropole", "--region", "84")
    env.cli("organisme", "add", "--code", "671", "--name", "Caf du Bas-Rhin",
            "--zone", "alsace_moselle", "--region", "44")


def add_user(env, name, role, fund=None):
    """A user with PASSWORD, of `fund`, or of all funds when None."""
    where = ["--organisme", fund] if fund else ["--all-funds"]
    env.cli("user", "add", "--name", name, "--role", role, *where,
            "--password-stdin", stdin=PASSWORD + "\n")


def main(name, db_file, today, setup, scenario, environ=None):
    """Creates the database in a temporary folder (setup(env), its result
    passed on), starts the server there on `today` with the web root, the
    documents folder and `environ`, runs scenario(env, state), stops the
    server; 1 when a check failed."""
    with tempfile.TemporaryDirectory() as tmp:
        env = Env(tmp, "sqlite:" + os.path.join(tmp, db_file))
        state = setup(env)
        os.environ["AMIABLE_DOCUMENTS_DIR"] = os.path.join(tmp, "documents")
        os.environ.update(environ or {})
        env.start_args = ["--web-root", WEB_ROOT, "--today", today]
        env.start()
        try:
            scenario(env, state)
        finally:
            env.stop()
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("%s: all checks passed" % name)
    return 0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_303 = http_error_302


class Session:
    """A signed-in browser: cookie jar and the session's CSRF token."""

    def __init__(self, env, name):
        self.env = env
        self.csrf = None
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())
        page = self.get("/connexion")[1]
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        status, _ = self.post("/connexion", {"form_token": token, "name": name,
                                             "password": PASSWORD})
        check(status in (302, 303), "%s signs in: %d" % (name, status))
        body = self.get("/tableau")[1]
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        self.csrf = m.group(1) if m else None

    def request(self, method, path, data=None):
        req = urllib.request.Request(self.env.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        self.location = None
        try:
            with self.opener.open(req, timeout=60) as r:
                self.location = r.headers.get("Location")
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            self.location = e.headers.get("Location")
            return e.code, e.read()

    def get(self, path):
        status, body = self.request("GET", path)
        return status, body.decode("utf-8", "replace")

    def get_bytes(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        fields = dict(fields)
        if self.csrf and "csrf" not in fields:
            fields["csrf"] = self.csrf
        status, body = self.request("POST", path, urllib.parse.urlencode(fields).encode())
        return status, body.decode("utf-8", "replace")
