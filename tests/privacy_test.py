#!/usr/bin/env python3
"""Retention and data-subject rights (issue 9, part 6), end to end.

On a demo database (`amiable demo seed`, three funds, four years) with
personal data added to closed cases (names, allocataire numbers, contacts,
free text, notes, history reasons and values, letters, outgoing and received
messages, .eml files and documents):
- the figures JSON (`amiable stats --json`) of every year and of each fund,
  of two funds together and of all funds, is byte-identical before and after
  `privacy anonymise`, and again after `privacy purge` (frozen figures);
- `--dry-run` changes nothing (database dump and documents folder);
- after anonymising, none of the personal data is in the database files
  (main file, WAL) nor in the documents folder (grep), and a file left by a
  crash (privacy_pending_files) is deleted by the next run;
- the retention period (`organisme set --retention-years`) gives the default
  cut-off; purge deletes the anonymised cases and freezes the figures;
- `privacy export` writes JSON and PDF (pdftotext) of one beneficiary, mode
  0600; `privacy rectify` appears in the case's history as a rectification;
- the public form links « Données personnelles » and « Accessibilité », both
  served, and editable by an administrator in the workspace.
The figures part runs on PostgreSQL too when $AMIABLE_TEST_PG_URL is set.
Drives the real binary ($AMIABLE_BIN); standard library only (and pdftotext).
"""
import datetime as dt
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import Env, check, FAILURES, fresh_pg_database  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_user  # noqa: E402

TODAY = dt.date.today().isoformat()
YEARS = range(dt.date.today().year - 3, dt.date.today().year + 1)
SETS = [["631"], ["671"], ["974"], []]  # [] = all funds: frozen and live funds merged
CUTOFF_631 = "%d-01-01" % (dt.date.today().year - 1)
MARK = "Zorglubesque"


def all_figures(env):
    out = {}
    for y in YEARS:
        for s in SETS:
            args = ["stats", "--year", str(y), "--json", "--as-of", TODAY]
            for o in s:
                args += ["--organisme", o]
            out[(y, ",".join(s))] = env.cli(*args).stdout
    return out


def same_figures(before, after, what):
    diff = [k for k in before if before[k] != after.get(k)]
    check(not diff, "%s: figures identical for %d (year, funds): differ %s"
          % (what, len(before), diff[:5]))
    if diff:
        k = diff[0]
        print("before:", before[k][:2000], "\nafter:", after[k][:2000], file=sys.stderr)


def dump(db_path):
    con = sqlite3.connect(db_path)
    lines = sorted(con.iterdump())
    con.close()
    return lines


def tree(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[p] = open(p, "rb").read()
    return out


def add_personal_data(db_path, docs):
    """Personal data on the closed cases of 631 closed before CUTOFF_631, and
    on one case of 974 kept (the access request)."""
    os.makedirs(docs, exist_ok=True)
    con = sqlite3.connect(db_path)
    cur = con.cursor()
    rows = cur.execute("SELECT id, reference FROM cases WHERE organisme = '631' AND "
                       "state = 'closed' AND closed_on < ? ORDER BY id LIMIT 25",
                       (CUTOFF_631,)).fetchall()
    now = "2024-01-01T10:00:00Z"
    for i, (cid, ref) in enumerate(rows):
        m = "%s%03d" % (MARK, i)
        cur.execute("UPDATE cases SET allocataire_number = ?, description = ? WHERE id = ?",
                    ("ALLOC%sN" % m, "Description %sD" % m, cid))
        cur.execute("INSERT INTO people (case_id, role, name, email, phone, address) "
                    "VALUES (?, 'beneficiary', ?, ?, ?, ?)",
                    (cid, "Nom %sP" % m, "%se@example.org" % m.lower(), "06%sT" % m,
                     "12 rue %sA" % m))
        cur.execute("INSERT INTO notes (case_id, author, created_at, text) VALUES (?, 'med', ?, ?)",
                    (cid, now, "Note %sNT" % m))
        cur.execute("INSERT INTO case_events (case_id, at, actor, kind, detail, changes) "
                    "VALUES (?, ?, 'med', 'update', ?, ?)",
                    (cid, now, "Motif %sR" % m,
                     json.dumps([{"field": "description", "old": "Ancien %sO" % m,
                                  "new": "Nouveau %sW" % m}])))
        key = "%04d%s" % (i, "a" * 28)  # 32 hex digits, as DocumentFolder names them
        with open(os.path.join(docs, key), "w") as f:
            f.write("Fichier %sF\n" % m)
        cur.execute("INSERT INTO documents (case_id, file_name, content_type, size_bytes, "
                    "storage_key, sha256, uploaded_by, uploaded_at) VALUES (?, ?, "
                    "'application/pdf', 10, ?, 'x', 'med', ?)",
                    (cid, "piece-%sN.pdf" % m, key, now))
        cur.execute("INSERT INTO letters (case_id, kind, mode, subject, body_text, created_by, "
                    "created_at) VALUES (?, 'reponse', 'courriel', ?, ?, 'med', ?)",
                    (cid, "Objet %sL" % m, "Courrier %sL" % m, now))
        cur.execute("INSERT INTO outbox (kind, recipient, subject, body, case_reference, "
                    "created_at, state, organisme) VALUES ('letter', ?, ?, ?, ?, ?, 'sent', '631')",
                    ("%so@example.org" % m.lower(), "Sujet %sM" % m, "Corps %sM" % m, ref, now))
        raw = "%04d%s" % (i, "b" * 28)
        with open(os.path.join(docs, raw), "w") as f:
            f.write("From: %s <x@example.org>\n\nMessage %sE\n" % (m, m))
        cur.execute("INSERT INTO received_messages (organisme, message_id, sha256, case_id, "
                    "outcome, subject, from_name, from_address, body_text, received_at, raw_key) "
                    "VALUES ('631', ?, ?, ?, 'thread', ?, ?, ?, ?, ?, ?)",
                    ("<%d@x>" % i, "s%d" % i, cid, "Re %sS" % m, "Expediteur %sX" % m,
                     "%sx@example.org" % m.lower(), "Recu %sB" % m, now, raw))
    kept = cur.execute("SELECT id, reference, allocataire_number FROM cases WHERE "
                       "organisme = '974' AND state = 'closed' AND allocataire_number IS NOT "
                       "NULL ORDER BY closed_on DESC LIMIT 1").fetchone()
    cur.execute("INSERT INTO people (case_id, role, name, email, phone, address) VALUES "
                "(?, 'beneficiary', 'Éloïse Testeur', 'eloise@example.org', '0692000000', "
                "'3 chemin des Songes\n97400 Saint-Denis')", (kept[0],))
    cur.execute("INSERT INTO notes (case_id, author, created_at, text) VALUES "
                "(?, 'med', ?, 'Appel de Mme Testeur')", (kept[0], now))
    con.commit()
    con.close()
    return len(rows), kept[1], kept[2]


def integrity(db_path, what):
    con = sqlite3.connect(db_path)
    try:
        r = con.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as e:
        r = [(str(e),)]
    con.close()
    if r != [("ok",)]:
        print("files:", [(f, os.path.getsize(os.path.join(os.path.dirname(db_path), f)))
                         for f in os.listdir(os.path.dirname(db_path))], file=sys.stderr)
        print("sqlite3 cli:", subprocess.run(["sqlite3", db_path, "PRAGMA integrity_check"],
                                             capture_output=True, text=True), file=sys.stderr)
    if r != [("ok",)] and os.environ.get("PRIVACY_TEST_KEEP"):
        import shutil
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db_path + suffix):
                shutil.copy(db_path + suffix, os.environ["PRIVACY_TEST_KEEP"] + suffix)
    check(r == [("ok",)], "database intact after %s: %s" % (what, r[:3]))


def grep(path_bytes, marker):
    return marker.encode() in path_bytes


def db_bytes(db_path):
    out = b""
    for suffix in ("", "-wal"):
        p = db_path + suffix
        if os.path.exists(p):
            out += open(p, "rb").read()
    return out


def scenario_sqlite(tmp):
    db_path = os.path.join(tmp, "privacy.db")
    docs = os.path.join(tmp, "documents")
    os.environ["AMIABLE_DOCUMENTS_DIR"] = docs
    os.environ["AMIABLE_PUBLIC_ORGANISME"] = "631"
    env = Env(tmp, "sqlite:" + db_path)
    env.cli("demo", "seed", "--years", "3", "--until", TODAY)
    n, kept_ref, kept_number = add_personal_data(db_path, docs)
    check(n >= 10, "enough closed cases of 631 before %s: %d" % (CUTOFF_631, n))
    before = all_figures(env)
    integrity(db_path, "figures")
    report_year = str(YEARS[-2])

    def report():
        path = os.path.join(tmp, "rapport.csv")
        env.cli("report", "--year", report_year, "--organisme", "631", "--as-of", TODAY,
                "--allow-incomplete", "-o", path)
        return open(path, "rb").read()

    report_before = report()

    # Dry run: nothing changes.
    d0, t0 = dump(db_path), tree(docs)
    r = env.cli("privacy", "anonymise", "--organisme", "631", "--before", CUTOFF_631,
                "--dry-run", "--json")
    dry = json.loads(r.stdout)
    con = sqlite3.connect(db_path)
    closed_before = con.execute(
        "SELECT COUNT(*) FROM cases WHERE organisme = '631' AND anonymised_on IS NULL AND "
        "((state = 'closed' AND closed_on < ?) OR (state = 'inadmissible' AND "
        "coalesce(closed_on, answered_on, received_on) < ?))",
        (CUTOFF_631, CUTOFF_631)).fetchone()[0]
    con.close()
    check(len(dry["cases"]) == closed_before and dry["dry_run"],
          "dry run lists the %d cases: %d" % (closed_before, len(dry["cases"])))
    check(dump(db_path) == d0 and tree(docs) == t0, "dry run changes nothing")
    integrity(db_path, "dry run")

    # Anonymise 631.
    r = env.cli("privacy", "anonymise", "--organisme", "631", "--before", CUTOFF_631, "--json")
    out = json.loads(r.stdout)
    check(len(out["cases"]) == closed_before, "anonymised %d cases" % len(out["cases"]))
    check(out["people"] >= n and out["documents"] >= n and out["letters"] >= n,
          "people, documents, letters removed: %s" % out)
    check(out["files_deleted"] == 2 * n, "files deleted: %d" % out["files_deleted"])
    integrity(db_path, "anonymise 631")
    same_figures(before, all_figures(env), "anonymise 631")
    data = db_bytes(db_path)
    left = [m for m in (MARK, MARK.lower(), "ALLOC" + MARK) if grep(data, m)]
    check(not left, "no personal data left in the database file: %s" % left)
    files = tree(docs)
    check(not any(MARK.encode() in b for b in files.values()),
          "no personal data left in the documents folder (%d files)" % len(files))
    con = sqlite3.connect(db_path)
    check(con.execute("SELECT COUNT(*) FROM cases WHERE organisme = '631' AND "
                      "anonymised_on IS NOT NULL").fetchone()[0] == closed_before,
          "cases marked anonymised")
    check(con.execute("SELECT COUNT(*) FROM case_events WHERE kind = 'anonymisation'")
          .fetchone()[0] == closed_before, "an anonymisation row in each history")
    # A crash after a commit leaves a file: the next run deletes it.
    with open(os.path.join(docs, "c" * 32), "w") as f:
        f.write("reste\n")
    con.execute("INSERT INTO privacy_pending_files (storage_key, queued_at) VALUES (?, ?)",
                ("c" * 32, "2026-01-01T00:00:00Z"))
    con.commit()
    con.close()
    env.cli("privacy", "anonymise", "--organisme", "631", "--before", CUTOFF_631)
    integrity(db_path, "second run")
    check(not os.path.exists(os.path.join(docs, "c" * 32)),
          "a file left by a crash is deleted by the next run")

    # Retention period of 671: the default cut-off.
    r = env.cli("privacy", "anonymise", "--organisme", "671", ok=False)
    integrity(db_path, "refused")
    check(r.returncode == 2 and "durée de conservation" in r.stderr,
          "no retention period: refused in French: %s" % r.stderr.strip())
    env.cli("organisme", "set", "--code", "671", "--retention-years", "2")
    integrity(db_path, "set")
    r = env.cli("privacy", "anonymise", "--organisme", "671", "--json")
    out = json.loads(r.stdout)
    t = dt.date.today()
    check(out["before"] == t.replace(year=t.year - 2).isoformat(),
          "default cut-off = today - 2 years: %s" % out["before"])
    check(len(out["cases"]) > 0, "671: %d cases anonymised" % len(out["cases"]))
    integrity(db_path, "anonymise 671")

    # Purge: figures frozen, cases gone.
    con = sqlite3.connect(db_path)
    total = con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    anon = con.execute("SELECT COUNT(*) FROM cases WHERE anonymised_on IS NOT NULL").fetchone()[0]
    con.close()
    r = env.cli("privacy", "purge")
    con = sqlite3.connect(db_path)
    check(con.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == total - anon,
          "purge deleted the %d anonymised cases" % anon)
    frozen = con.execute("SELECT organisme, year FROM frozen_figures ORDER BY 1, 2").fetchall()
    con.close()
    check(len(frozen) > 0, "figures frozen: %s" % frozen)
    same_figures(before, all_figures(env), "purge")
    check(report() == report_before, "the annual report (CSV) of %s is the same after the purge"
          % report_year)

    # Access request: JSON and PDF, 0600.
    j = os.path.join(tmp, "acces.json")
    env.cli("privacy", "export", "--allocataire", kept_number, "--organisme", "974",
            "--format", "json", "-o", j)
    check(stat.S_IMODE(os.stat(j).st_mode) == 0o600, "export file is 0600")
    e = json.load(open(j))
    refs = [c["reference"] for c in e["cases"]]
    check(kept_ref in refs, "export lists the case %s: %s" % (kept_ref, refs))
    case = next(c for c in e["cases"] if c["reference"] == kept_ref)
    check(any(p["name"] == "Éloïse Testeur" for p in case["people"]), "export has the person")
    check(any("Testeur" in x["text"] for x in case["notes"]), "export has the notes")
    p = os.path.join(tmp, "acces.pdf")
    env.cli("privacy", "export", "--allocataire", kept_number, "--organisme", "974",
            "--format", "pdf", "-o", p)
    check(stat.S_IMODE(os.stat(p).st_mode) == 0o600, "PDF file is 0600")
    text = subprocess.run(["pdftotext", p, "-"], capture_output=True, text=True).stdout
    for w in ("Éloïse Testeur", "demande d'accès", kept_ref, kept_number):
        check(w in text, "PDF has « %s »" % w)

    # Rectification, in the history.
    env.cli("privacy", "rectify", "--case", kept_ref, "--field", "beneficiary.name",
            "--value", "Éloïse Testeuse", "--reason", "Erreur de saisie du nom")
    con = sqlite3.connect(db_path)
    row = con.execute("SELECT e.detail, e.changes FROM case_events e JOIN cases c ON "
                      "c.id = e.case_id WHERE c.reference = ? AND e.kind = 'rectification'",
                      (kept_ref,)).fetchone()
    con.close()
    check(row is not None and "Erreur de saisie" in row[0] and "Testeuse" in row[1]
          and "Testeur" in row[1], "rectification in the history: %s" % (row,))
    r = env.cli("privacy", "rectify", "--case", kept_ref, "--field", "resolution",
                "--value", "revisee", "--reason", "x", ok=False)
    check(r.returncode == 2, "a figure field is not rectified here")

    # Public pages, reachable from the form, editable by an administrator.
    # The daily run of `serve` anonymises 974 (retention 1 year) at start.
    add_user(env, "pp_admin", "administrator")
    env.cli("organisme", "set", "--code", "974", "--retention-years", "1")
    env.start_args = ["--web-root", amiable.WEB_ROOT]
    env.start()
    try:
        deadline = time.time() + 20
        done = 0
        while time.time() < deadline:
            con = sqlite3.connect(db_path)
            done = con.execute("SELECT COUNT(*) FROM cases WHERE organisme = '974' AND "
                               "anonymised_on IS NOT NULL").fetchone()[0]
            con.close()
            if done:
                break
            time.sleep(0.2)
        check(done > 0, "serve's daily run anonymised 974: %d cases" % done)
        time.sleep(0.5)
        same_figures(before, all_figures(env), "serve's daily run")
        admin = Session(env, "pp_admin")
        status, form = admin.get("/demande")
        check(status == 200 and 'href="/donnees-personnelles"' in form
              and 'href="/accessibilite"' in form, "the form links both pages")
        status, page = admin.get("/donnees-personnelles")
        check(status == 200 and "CNIL" in page, "données personnelles served")
        status, page = admin.get("/accessibilite")
        check(status == 200 and "RGAA" in page and "Défenseur des droits" in page
              and "Voies de recours" in page, "accessibilité served (RGAA)")
        status, ed = admin.get("/administration/pages-publiques?organisme=631")
        check(status == 200 and "textarea" in ed, "editor page: %d" % status)
        status, _ = admin.post("/administration/pages-publiques",
                               {"organisme": "631", "kind": "accessibilite",
                                "text": "# Déclaration\n\nNouveau texte <b>ici</b>."})
        check(status in (302, 303), "saved: %d" % status)
        status, page = admin.get("/accessibilite")
        check("Nouveau texte &lt;b&gt;ici&lt;/b&gt;." in page and "<h2>Déclaration</h2>" in page,
              "edited text shown, escaped")
    finally:
        env.stop()


def scenario_pg(tmp, url):
    env = Env(tmp, url)
    env.cli("demo", "seed", "--years", "3", "--until", TODAY)
    before = all_figures(env)
    r = env.cli("privacy", "anonymise", "--organisme", "631", "--before", CUTOFF_631, "--json")
    check(len(json.loads(r.stdout)["cases"]) > 0, "postgresql: cases anonymised")
    same_figures(before, all_figures(env), "postgresql: anonymise")
    env.cli("organisme", "set", "--code", "974", "--retention-years", "1")
    env.cli("privacy", "anonymise", "--organisme", "974")
    env.cli("privacy", "purge")
    same_figures(before, all_figures(env), "postgresql: anonymise and purge")


def main():
    with tempfile.TemporaryDirectory(prefix="amiable-privacy-") as tmp:
        scenario_sqlite(tmp)
        pg_url, dropdb = fresh_pg_database()
        if pg_url:
            try:
                scenario_pg(tmp, pg_url)
            finally:
                subprocess.run(dropdb, check=False)
        else:
            print("privacy_test: no $AMIABLE_TEST_PG_URL, PostgreSQL part skipped")
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("privacy_test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
