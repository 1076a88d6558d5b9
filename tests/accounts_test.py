#!/usr/bin/env python3
"""The account lifecycle (issue 9, part 4) on the real binary ($AMIABLE_BIN):
`user list [--json]`, `user passwd`, `user disable|enable`, `user set
--email`, `token list [--json]`, `token revoke`; a disabled account's session
and token refused at once (page and API), a revoked token refused at once; the
administration page (accounts of the administrator's funds only, disable,
new password, revoke) and /compte (one's own password, current password
required, the other sessions ended); every change in the audit log.
Standard library only.
"""
import json
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import call, check  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_funds, add_user  # noqa: E402

NEW_PASSWORD = "une autre phrase de passe bien longue"
OWN_PASSWORD = "ma propre phrase de passe, tout aussi longue"


def session(env, name, password=amiable.PASSWORD):
    """A signed-in Session of `name` with `password`."""
    saved = amiable.PASSWORD
    amiable.PASSWORD = password
    try:
        return Session(env, name)
    finally:
        amiable.PASSWORD = saved


def signs_in(env, name, password):
    """True when /connexion accepts `password` for `name` (no check recorded)."""
    s = Session.__new__(Session)
    s.env, s.csrf = env, None
    import http.cookiejar
    import urllib.request
    s.jar = http.cookiejar.CookieJar()
    s.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(s.jar),
                                           amiable.NoRedirect())
    page = s.get("/connexion")[1]
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    status, _ = s.post("/connexion", {"form_token": token, "name": name, "password": password})
    return status in (302, 303)


def signed_in(s):
    return s.get("/tableau")[0] == 200


def api_ok(env, token):
    return call(env, "GET", "/api/v1/cases", token).status == 200


def setup(env):
    add_funds(env)
    add_user(env, "admin", "administrator")
    add_user(env, "adm631", "administrator", "631")
    add_user(env, "m1", "mediator", "631")
    add_user(env, "m2", "mediator", "671")
    env.cli("user", "set", "--name", "m1", "--email", "m1@caf631.fr")
    tokens = {}
    for name in ("m1", "m2"):
        tokens[name] = env.cli("token", "create", "--user", name, "--label",
                               "script de " + name).stdout.strip()
    return tokens


def cli_checks(env, tokens):
    r = env.cli("user", "list", "--json")
    users = {u["name"]: u for u in json.loads(r.stdout)}
    check(set(users) == {"admin", "adm631", "m1", "m2"}, "user list: %r" % sorted(users))
    check(list(users["m1"]) == ["name", "display_name", "role", "all_funds", "organismes", "email",
                                "disabled", "sso", "last_sign_in_at"],
          "user list --json keys: %r" % list(users["m1"]))
    check(users["m1"]["email"] == "m1@caf631.fr" and users["m1"]["organismes"] == ["631"]
          and users["m1"]["disabled"] is False and users["m1"]["sso"] is False,
          "m1 as listed: %r" % users["m1"])
    check("argon2" not in r.stdout, "no hash in user list --json")
    text = env.cli("user", "list").stdout
    line = [l for l in text.splitlines() if l.startswith("m1\t")]
    check(len(line) == 1 and line[0].split("\t")[4:7] == ["m1@caf631.fr", "actif", "local"],
          "user list line of m1: %r" % line)
    check("argon2" not in text, "no hash in user list")

    r = env.cli("token", "list", "--json")
    listed = json.loads(r.stdout)
    check([sorted(t) for t in listed][:1] == [sorted(["id", "user", "label", "created_at",
                                                      "last_used_at", "revoked", "revoked_at"])],
          "token list --json keys: %r" % listed[:1])
    check([t["user"] for t in listed] == ["m1", "m2"] and not any(t["revoked"] for t in listed),
          "token list: %r" % listed)
    check(tokens["m1"] not in r.stdout, "no secret in token list")
    mine = json.loads(env.cli("token", "list", "--user", "m2", "--json").stdout)
    check([t["user"] for t in mine] == ["m2"], "token list --user m2: %r" % mine)

    # Unknown names and bad values: a one-line reason, the exit code of its class.
    r = env.cli("user", "disable", "--name", "personne", ok=False)
    check(r.returncode == 3 and "personne" in r.stderr, "disable unknown: %d %r" % (r.returncode, r.stderr))
    r = env.cli("user", "set", "--name", "m2", "--email", "pas une adresse", ok=False)
    check(r.returncode == 2 and "Adresse électronique invalide" in r.stderr,
          "bad email: %d %r" % (r.returncode, r.stderr))
    r = env.cli("user", "passwd", "--name", "m2", "--password-stdin", stdin="court\n", ok=False)
    check(r.returncode == 2, "short password refused: %d %r" % (r.returncode, r.stderr))
    r = env.cli("token", "revoke", "--id", "999", ok=False)
    check(r.returncode == 3, "revoke unknown token: %d %r" % (r.returncode, r.stderr))
    return {t["user"]: t["id"] for t in listed}


def scenario(env, tokens):
    ids = cli_checks(env, tokens)

    # Disable: the session and the token stop at once; enable gives them back.
    s1 = session(env, "m1")
    check(signed_in(s1) and api_ok(env, tokens["m1"]), "m1 signed in and her token works")
    r = env.cli("user", "disable", "--name", "m1")
    check(not signed_in(s1), "a disabled account's session is refused at once")
    status, _ = s1.post("/compte/mot-de-passe", {"current_password": amiable.PASSWORD,
                                                 "password": NEW_PASSWORD,
                                                 "password_confirm": NEW_PASSWORD})
    check(status == 403, "its POST is refused too: %d" % status)
    r = call(env, "GET", "/api/v1/cases", tokens["m1"])
    check(r.status == 401, "a disabled account's token is refused at once: %r" % r)
    check(not signs_in(env, "m1", amiable.PASSWORD), "a disabled account cannot sign in")
    users = {u["name"]: u for u in json.loads(env.cli("user", "list", "--json").stdout)}
    check(users["m1"]["disabled"] is True, "listed as disabled")
    check("désactivé" in env.cli("user", "list").stdout, "désactivé in the list")
    env.cli("user", "enable", "--name", "m1")
    check(api_ok(env, tokens["m1"]), "token works again once enabled")
    check(not signed_in(s1), "the ended session stays ended")

    # Revoke: refused at once, listed as revoked, cannot be revoked twice.
    check(api_ok(env, tokens["m2"]), "m2's token works")
    env.cli("token", "revoke", "--id", str(ids["m2"]))
    r = call(env, "GET", "/api/v1/cases", tokens["m2"])
    check(r.status == 401, "a revoked token is refused at once: %r" % r)
    listed = {t["id"]: t for t in json.loads(env.cli("token", "list", "--json").stdout)}
    check(listed[ids["m2"]]["revoked"] is True and listed[ids["m2"]]["revoked_at"],
          "listed as revoked: %r" % listed[ids["m2"]])
    check(listed[ids["m1"]]["last_used_at"], "last use recorded: %r" % listed[ids["m1"]])
    r = env.cli("token", "revoke", "--id", str(ids["m2"]), ok=False)
    check(r.returncode == 4, "revoked twice: %d %r" % (r.returncode, r.stderr))

    # A new password by the command line ends the account's sessions.
    s1 = session(env, "m1")
    env.cli("user", "passwd", "--name", "m1", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    check(not signed_in(s1), "passwd ends the sessions")
    check(not signs_in(env, "m1", amiable.PASSWORD), "the old password is refused")
    check(signs_in(env, "m1", NEW_PASSWORD), "the new one is accepted")
    users = {u["name"]: u for u in json.loads(env.cli("user", "list", "--json").stdout)}
    check(users["m1"]["last_sign_in_at"], "last sign-in known: %r" % users["m1"])

    admin_page(env, tokens, ids)
    own_password(env)
    audit(env)


def admin_page(env, tokens, ids):
    a = session(env, "adm631")
    status, page = a.get("/administration")
    check(status == 200, "administration: %d" % status)
    rows = re.findall(r'data-account="([^"]+)"', page)
    check(rows == ["adm631", "m1"], "an administrator of 631 lists the accounts of 631: %r" % rows)
    check("m1@caf631.fr" in page, "the email is shown")
    check('aria-label="Désactiver le compte adm631"' not in page, "no button to disable oneself")
    # Another fund's account: as unknown.
    status, _ = a.post("/administration/comptes/desactiver", {"name": "m2"})
    check(status in (302, 303) and "erreur=" in (a.location or ""),
          "disable out of one's funds refused: %d %r" % (status, a.location))
    users = {u["name"]: u for u in json.loads(env.cli("user", "list", "--json").stdout)}
    check(users["m2"]["disabled"] is False, "m2 untouched")
    # Disable, enable, new password, email, revoke, through the page.
    s1 = session(env, "m1", NEW_PASSWORD)
    status, _ = a.post("/administration/comptes/desactiver", {"name": "m1"})
    check(status in (302, 303) and "ok=accounts.user_disabled" in (a.location or ""),
          "disable by the page: %d %r" % (status, a.location))
    check(not signed_in(s1), "ended by the page too")
    check("Réactiver le compte m1" in a.get("/administration")[1], "a Réactiver button")
    a.post("/administration/comptes/reactiver", {"name": "m1"})
    status, _ = a.post("/administration/comptes/mot-de-passe",
                       {"name": "m1", "password": amiable.PASSWORD})
    check(status in (302, 303) and "ok=accounts.password_set" in (a.location or ""),
          "new password by the page: %r" % a.location)
    check(signs_in(env, "m1", amiable.PASSWORD), "the password set by the page works")
    a.post("/administration/comptes/adresse", {"name": "m1", "email": "nouvelle@caf631.fr"})
    check("nouvelle@caf631.fr" in a.get("/administration")[1], "email changed by the page")
    page = a.get("/administration")[1]
    check(re.findall(r'data-token="(\d+)"', page) == [str(ids["m1"])],
          "only the tokens of 631's accounts: %r" % re.findall(r'data-token="(\d+)"', page))
    status, _ = a.post("/administration/jetons/revoquer", {"id": str(ids["m2"])})
    check("erreur=" in (a.location or ""), "revoking another fund's token refused")
    status, _ = a.post("/administration/jetons/revoquer", {"id": str(ids["m1"])})
    check("ok=accounts.token_revoked" in (a.location or ""), "revoke by the page: %r" % a.location)
    check(call(env, "GET", "/api/v1/cases", tokens["m1"]).status == 401,
          "revoked by the page: refused at once")
    # A mediator has no administration.
    m = session(env, "m1")
    check(m.post("/administration/comptes/desactiver", {"name": "adm631"})[0] == 403,
          "a mediator cannot disable")


def own_password(env):
    m = session(env, "m1")
    other = session(env, "m1")
    status, page = m.get("/compte")
    check(status == 200 and "Changer mon mot de passe" in page and "Mes jetons" in page,
          "/compte: %d" % status)
    check('data-token="' in page and "révoqué le" in page, "her (revoked) token is listed")
    status, page = m.post("/compte/mot-de-passe", {"current_password": "pas le bon mot de passe",
                                                  "password": OWN_PASSWORD,
                                                  "password_confirm": OWN_PASSWORD})
    check(status == 400 or status == 422, "wrong current password: %d" % status)
    check("Le mot de passe actuel est incorrect." in page and 'aria-invalid="true"' in page,
          "the reason tied to its field")
    status, page = m.post("/compte/mot-de-passe", {"current_password": amiable.PASSWORD,
                                                  "password": OWN_PASSWORD,
                                                  "password_confirm": OWN_PASSWORD + "x"})
    check(status == 422 and "diffèrent" in page, "confirmation differs: %d" % status)
    status, _ = m.post("/compte/mot-de-passe", {"current_password": amiable.PASSWORD,
                                               "password": OWN_PASSWORD,
                                               "password_confirm": OWN_PASSWORD})
    check(status in (302, 303) and "ok=accounts.password_changed" in (m.location or ""),
          "own password changed: %d %r" % (status, m.location))
    check(signed_in(m), "the session she used stays")
    check(not signed_in(other), "her other sessions end")
    check(signs_in(env, "m1", OWN_PASSWORD), "the new password signs in")


def audit(env):
    db = sqlite3.connect(env.db[len("sqlite:"):])
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    for a in ("user.email", "user.disable", "user.enable", "token.revoke", "user.password"):
        check(a in actions, "audited: %s" % a)
    actors = {r[0] for r in db.execute(
        "SELECT actor FROM audit_log WHERE action IN ('user.disable', 'token.revoke')")}
    check("adm631" in actors and any(a.startswith("cli:") for a in actors),
          "audited under who acted: %r" % actors)
    db.close()


if __name__ == "__main__":
    sys.exit(amiable.main("accounts", "accounts.db", "2026-12-01", setup, scenario))
