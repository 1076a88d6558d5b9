#!/usr/bin/env python3
"""The access matrix of issue 7: every role x every route x every kind of case.

Roles: a mediator of 631 (m1), a second mediator of 631 (m2), a mediator of a
fund of the same region (m3, fund 031), a mediator of a fund of another region
(m4, fund 671), a manager of 631, an administrator, a statistics reader of 631.
Cases: A (631, an ordinary case), B (671, another fund's), C (631, from which
m1 recused, handed to m2), D (031, handed by m3 to m1 by a recusal), P (631,
created by the partner p1 through the API).

Issue 9: a partner of 631 (p1) sees the case it created (P) and the case a
mediator granted it (B, by m4 on the case page), on its own pages only
(/partenaire...; the workspace's case pages refuse it), writes nothing but
the exchange, and loses both when the cases close (the default setting); a
partner without grants (p2) sees nothing; a dpo and a national-pole user see
no case content; an SSO account (sso1, users.sso_subject set, mediator of
671 as its claims mapped it) reads what its role gives (API only: it has no
password for the pages).

For each actor and each case it may not see, no route — the JSON API (read,
list, search, details), the pages (case page, dashboard, list, search,
quality and report pages, the report's PDF/XLSX/CSV files) — shows the case's
reference, its beneficiary's name or its reception date, and no write gets
through. For the cases it may see, reads and the writes the table allows
succeed. Drives the real binary on SQLite ($AMIABLE_BIN); standard library
only, plus pdftotext (poppler-utils) for the PDF.
"""
import io
import json
import os
import sqlite3
import subprocess
import sys
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import call, check  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_funds, add_user  # noqa: E402

TODAY = "2026-12-01"

CASES = {
    # name: (fund, received_on, beneficiary)
    "A": ("631", "2026-01-13", "Zoé Ordinairedossier"),
    "B": ("671", "2026-01-20", "Yann Autrefonds"),
    "C": ("631", "2026-01-27", "Xavier Deportemoi"),
    "D": ("031", "2026-02-10", "Wanda Confiee"),
    "P": ("631", "2026-02-17", "Valentin Partenaire"),
}
PARTNERS = {"p1", "p2"}
NO_CASES = {"stat", "dpo", "nat"}
NO_PAGES = {"sso1"}
VISIBLE = {
    "m1": {"A", "D", "P"},
    "m2": {"A", "C", "P"},
    "m3": set(),  # recused from D, the only case of 031
    "m4": {"B"},
    "chef": {"A", "C", "P"},
    "admin": {"A", "B", "C", "D", "P"},
    "stat": set(),
    "p1": {"P", "B"},  # created P, granted B
    "p2": set(),
    "dpo": set(),
    "nat": set(),
    "sso1": {"B"},
}


def secrets_of(case, refs):
    fund, received, name = CASES[case]
    d = received.split("-")
    return [refs[case], name, received, "%s/%s/%s" % (d[2], d[1], d[0])]


def leaks(text, case, refs):
    return [s for s in secrets_of(case, refs) if s in text]


def pdf_text(data):
    r = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True)
    return r.stdout.decode("utf-8", "replace")


def xlsx_text(data):
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            if n.endswith(".xml"):
                out.append(z.read(n).decode("utf-8", "replace"))
    return "\n".join(out)


def setup(env):
    add_funds(env)
    users = [("m1", "mediator", "631"), ("m2", "mediator", "631"), ("m3", "mediator", "031"),
             ("m4", "mediator", "671"), ("chef", "manager", "631"), ("stat", "statistics", "631"),
             ("admin", "administrator", None), ("p1", "partner", "631"), ("p2", "partner", "631"),
             ("dpo", "dpo", "631"), ("nat", "national", None), ("sso1", "mediator", "671")]
    for name, role, fund in users:
        add_user(env, name, role, fund)
    # sso1 as a first OpenID Connect sign-in leaves it: keyed on sub, no password.
    con = sqlite3.connect(env.db[len("sqlite:"):])
    with con:
        con.execute("UPDATE users SET sso_subject = 'sub-sso1', password_hash = '' "
                    "WHERE name = 'sso1'")
    con.close()
    for fund in ("631", "031", "671"):
        env.cli("organisme", "service", "add", "--code", fund, "--service", "prestations",
                "--label", "Service prestations", "--address", "prestations.%s@example.org" % fund)
    tokens = {}
    for name in list(VISIBLE):
        tokens[name] = env.cli("token", "create", "--user", name, "--label", "matrice").stdout.strip()
    return tokens


def make_cases(env, tokens):
    refs = {}
    for case, (fund, received, name) in CASES.items():
        creator = tokens["p1"] if case == "P" else tokens["admin"]
        r = call(env, "POST", "/api/v1/cases", creator, {
            "organisme": fund, "received_on": received, "channel": "courriel",
            "description": "Demande " + case,
            "people": [{"role": "beneficiary", "name": name}]})
        check(r.status == 201, "create %s: %r" % (case, r))
        refs[case] = r.json["reference"]
    ev = lambda ref: "/api/v1/cases/%s/events" % ref  # noqa: E731
    # C: taken in charge by m1, who recuses to m2.
    r = call(env, "POST", ev(refs["C"]), tokens["m1"], {"event": "take_in_charge"})
    check(r.status == 200, "m1 takes C: %r" % r)
    r = call(env, "POST", ev(refs["C"]), tokens["m1"], {
        "event": "recuse", "to": "m2", "reason": "lien personnel avec le requérant",
        "interet": "voisin", "interference": ["geographique"], "intensite": "forte"})
    check(r.status == 200 and r.json.get("recused") is True, "m1 recuses from C: %r" % r)
    # D: taken in charge by m3 (031), handed to m1 (631, same region).
    r = call(env, "POST", ev(refs["D"]), tokens["m3"], {"event": "take_in_charge"})
    check(r.status == 200, "m3 takes D: %r" % r)
    r = call(env, "POST", ev(refs["D"]), tokens["m3"], {
        "event": "recuse", "to": "m4", "reason": "conflit"})
    check(r.status == 400 and r.error().get("message_id") == "recuse.target_not_eligible",
          "a mediator of another region cannot receive D: %r" % r)
    r = call(env, "POST", ev(refs["D"]), tokens["m3"], {
        "event": "recuse", "to": "m1", "reason": "parent du requérant"})
    check(r.status == 200, "m3 hands D to m1: %r" % r)
    # B granted to the partner p1 by m4 on the case page.
    s = Session(env, "m4")
    status, _ = s.post("/dossiers/%s/partenaires" % refs["B"], {"partner": "p1"})
    check(status in (302, 303), "m4 grants B to p1: %d" % status)
    status, _ = s.post("/dossiers/%s/partenaires" % refs["B"], {"partner": "m1"})
    check(status in (302, 303) and "erreur=" in (s.location or ""),
          "a mediator is not granted as a partner: %s" % s.location)
    # A partner cannot grant.
    status, _ = Session(env, "p1").post("/dossiers/%s/partenaires" % refs["P"], {"partner": "p2"})
    check(status == 403, "p1 may not grant: %d" % status)
    return refs


def age_the_cases(db_path):
    """Makes every case a closed one without resolution, as an import of old
    data would: the data-quality page and its CSV export then list each
    case by its reference (the positive control below checks it)."""
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE cases SET state = 'closed', admissibility = 'recevable', "
                    "taken_in_charge_on = COALESCE(taken_in_charge_on, received_on), "
                    "answered_on = '2026-03-02', closed_on = '2026-03-03', resolution = NULL, "
                    "version = version + 1")
    con.close()


def api_reads(env, tokens, refs):
    for actor, token in tokens.items():
        listed = call(env, "GET", "/api/v1/cases?limit=500", token)
        for case in CASES:
            ref = refs[case]
            r = call(env, "GET", "/api/v1/cases/" + ref, token)
            sees = case in VISIBLE[actor]
            if sees:
                check(r.status == 200, "%s reads %s: %r" % (actor, case, r))
            else:
                expected = 403 if actor in NO_CASES else 404
                check(r.status == expected and not leaks(r.raw.decode(), case, refs),
                      "%s may not read %s: %r" % (actor, case, r))
            for sub in ("notes", "people", "documents", "recusals", "internal-requests"):
                r = call(env, "GET", "/api/v1/cases/%s/%s" % (ref, sub), token)
                check((r.status == 200) == sees, "%s %s of %s: %d" % (actor, sub, case, r.status))
            text = listed.raw.decode()
            check((ref in text) == sees, "%s lists %s: %s" % (actor, case, ref in text))
            pending = call(env, "GET", "/api/v1/internal-requests/pending", token).raw.decode()
            check(sees or ref not in pending, "%s: pending internal requests show %s" % (actor, case))
            r = call(env, "GET", "/api/v1/search?q=" + urllib.parse.quote(CASES[case][2]), token)
            found = r.status == 200 and ref in r.raw.decode()
            check(found == sees, "%s searches %s: %r" % (actor, case, r))


def api_writes(env, tokens, refs):
    for actor, token in tokens.items():
        for case in CASES:
            ref = refs[case]
            sees = case in VISIBLE[actor]
            r = call(env, "POST", "/api/v1/cases/%s/notes" % ref, token,
                     {"text": "note de %s" % actor})
            writes = sees and actor not in PARTNERS
            check((r.status == 201) == writes, "%s adds a note to %s: %r" % (actor, case, r))
            r = call(env, "PATCH", "/api/v1/cases/" + ref, token, {"description": "x " + actor})
            check((r.status == 200) == writes, "%s edits %s: %r" % (actor, case, r))
            if sees and actor in PARTNERS:
                r = call(env, "POST", "/api/v1/cases/%s/events" % ref, token,
                         {"event": "take_in_charge"})
                check(r.status == 403, "partner %s takes %s in charge: %r" % (actor, case, r))
            if not sees:
                check(not leaks(r.raw.decode(), case, refs), "%s: refusal leaks %s" % (actor, case))
            # Internal requests: the mediators and managers who see the case.
            r = call(env, "POST", "/api/v1/cases/%s/internal-requests" % ref, token,
                     {"service": "prestations", "question": "Question de %s" % actor})
            asks = sees and actor not in ("admin", "stat", "p1", "p2", "dpo", "nat")
            check((r.status == 201) == asks, "%s asks about %s: %r" % (actor, case, r))
            if not sees:
                check(not leaks(r.raw.decode(), case, refs), "%s: refusal leaks %s" % (actor, case))
    # Recusal and lifting rights.
    r = call(env, "POST", "/api/v1/cases/%s/events" % refs["A"], tokens["m1"],
             {"event": "take_in_charge"})
    check(r.status == 200, "m1 takes A: %r" % r)
    r = call(env, "POST", "/api/v1/cases/%s/events" % refs["A"], tokens["m2"],
             {"event": "recuse", "to": "m2", "reason": "x"})
    check(r.status == 403 and r.error().get("message_id") == "recuse.own_only",
          "m2 may not record m1's recusal: %r" % r)
    recusals = call(env, "GET", "/api/v1/cases/%s/recusals" % refs["C"], tokens["chef"])
    rid = recusals.json["items"][0]["id"]
    r = call(env, "POST", "/api/v1/cases/%s/recusals/%d/lift" % (refs["C"], rid), tokens["m2"],
             {"reason": "erreur"})
    check(r.status == 403, "a mediator may not lift a recusal: %r" % r)
    r = call(env, "POST", "/api/v1/organismes/631/published-years", tokens["m1"], {"year": 2026})
    check(r.status == 403, "a mediator may not publish a year: %r" % r)


PAGE_ROUTES = [
    "/tableau", "/dossiers", "/dossiers?etat=received", "/qualite?annee=2026",
    "/rapport?annee=2026&organisme=631", "/rapport?annee=2026&organisme=031",
    "/chiffres?annee=2026", "/partenaire",
    "/qualite/telecharger?annee=2026", "/qualite/telecharger?annee=2026&organisme=631",
]
FILES = ["/rapport/telecharger?annee=2026&organisme=%s&format=%s&incomplet=oui"]


def pages(env, refs):
    for actor in VISIBLE:
        if actor in NO_PAGES:
            continue
        s = Session(env, actor)
        for case in CASES:
            sees = case in VISIBLE[actor]
            ref = refs[case]
            status, body = s.get("/dossiers/" + ref)
            if actor in PARTNERS:
                check(status == 403 and not leaks(body, case, refs),
                      "partner %s: the workspace's case page of %s: %d" % (actor, case, status))
                status, body = s.get("/partenaire/dossiers/" + ref)
                if sees:
                    check(status == 200 and ref in body, "%s opens its %s" % (actor, case))
                else:
                    check(status in (403, 404) and not leaks(body, case, refs),
                          "%s may not open %s: %d" % (actor, case, status))
                status, body = s.post("/partenaire/dossiers/%s/messages" % ref, {"body": "x"})
                check((status in (302, 303)) == sees and not (not sees and leaks(body, case, refs)),
                      "%s posts to %s: %d" % (actor, case, status))
            elif sees:
                check(status == 200 and CASES[case][2] in body, "%s opens %s" % (actor, case))
            else:
                check(status in (403, 404) and not leaks(body, case, refs),
                      "%s may not open %s: %d %s" % (actor, case, status, leaks(body, case, refs)))
            status, body = s.get("/recherche?q=" + urllib.parse.quote(CASES[case][2]))
            if not sees:
                # The page repeats the query (the name searched): not a leak.
                found = [x for x in leaks(body, case, refs) if x != CASES[case][2]]
                check(not found, "%s searches %s: %s" % (actor, case, found))
            if not sees:
                status, body = s.post("/dossiers/%s/notes" % ref, {"text": "intrusion"})
                check(status in (403, 404) and not leaks(body, case, refs),
                      "%s may not post a note on %s: %d" % (actor, case, status))
        if actor == "admin":
            status, body = s.get("/qualite?annee=2026")
            check(all(refs[c] in body for c in CASES),
                  "positive control: the administrator's quality page lists every case")
            status, body = s.get("/qualite/telecharger?annee=2026")
            check(status == 200 and all(refs[c] in body for c in CASES),
                  "positive control: the administrator's quality export lists every case")
        for route in PAGE_ROUTES:
            status, body = s.get(route)
            for case in CASES:
                if case not in VISIBLE[actor]:
                    found = leaks(body, case, refs)
                    check(not found, "%s %s shows %s of case %s" % (actor, route, found, case))
        for fund in ("631", "031", "671"):
            for fmt in ("csv", "xlsx", "pdf"):
                status, data = s.get_bytes(FILES[0] % (fund, fmt))
                if status != 200:
                    continue
                text = {"pdf": pdf_text, "xlsx": xlsx_text}.get(
                    fmt, lambda b: b.decode("utf-8", "replace"))(data)
                for case in CASES:
                    if case not in VISIBLE[actor]:
                        found = leaks(text, case, refs)
                        check(not found, "%s report %s %s shows %s of case %s" % (
                            actor, fund, fmt, found, case))


def national_pages(env, refs):
    """Issue 10: the national role opens the report and figures pages of
    every fund (figures only: the leak checks above hold for it), and the
    national report; only it and the administrator open the national report."""
    s = Session(env, "nat")
    for fund in ("631", "031", "671"):
        for route in ("/rapport?annee=2026&organisme=" + fund,
                      "/chiffres?annee=2026&organisme=" + fund):
            status, body = s.get(route)
            check(status == 200 and fund in body, "nat opens %s: %d" % (route, status))
        status, data = s.get_bytes(FILES[0] % (fund, "pdf"))
        check(status == 200 and data[:5] == b"%PDF-", "nat downloads the report of %s: %d" % (
            fund, status))
    for actor in VISIBLE:
        if actor in NO_PAGES:
            continue
        status, body = Session(env, actor).get("/rapport/national?annee=2026")
        expected = 200 if actor in ("nat", "admin") else 403
        check(status == expected, "%s opens the national report: %d (expected %d)" % (
            actor, status, expected))
        for case in CASES:
            found = leaks(body, case, refs)
            check(not found, "%s /rapport/national shows %s of case %s" % (actor, found, case))
    for fmt in ("pdf", "xlsx", "csv", "html"):
        status, data = s.get_bytes("/rapport/national/telecharger?annee=2026&format=" + fmt)
        check(status == 200, "nat downloads the national report as %s: %d" % (fmt, status))
        text = {"pdf": pdf_text, "xlsx": xlsx_text}.get(
            fmt, lambda b: b.decode("utf-8", "replace"))(data)
        for case in CASES:
            found = leaks(text, case, refs)
            check(not found, "the national report %s shows %s of case %s" % (fmt, found, case))
    status, _ = Session(env, "m1").get_bytes("/rapport/national/telecharger?annee=2026&format=pdf")
    check(status == 403, "a mediator may not download the national report: %d" % status)


def scenario(env, tokens):
    refs = make_cases(env, tokens)
    api_reads(env, tokens, refs)
    api_writes(env, tokens, refs)
    age_the_cases(env.db[len("sqlite:"):])
    # Closed: a partner's access ends (AMIABLE_PARTNER_ACCESS_ENDS_AT_CLOSE
    # defaults to on).
    for p in PARTNERS:
        VISIBLE[p] = set()
    api_reads(env, tokens, refs)
    pages(env, refs)
    national_pages(env, refs)


if __name__ == "__main__":
    sys.exit(amiable.main("access_matrix_test", "matrice.db", TODAY, setup, scenario))
