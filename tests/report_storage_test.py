#!/usr/bin/env python3
"""End-to-end tests of where the report's data lives (issue 10, item 9).

- The texts and aggregates are in the database: `report text put` then `get`,
  `aggregate import` then the report, with no report directory written.
- The figures cache is the database's `report_cache`, filled by a report of a
  multi-fund database, on SQLite and (with AMIABLE_TEST_PG_URL) PostgreSQL.
- Upgrade: a report directory of an earlier version (`<db>.report/`) is
  imported once by the first command (and by `serve`), then renamed
  `*.imported`; an unreadable file stops the import, names the file and
  writes nothing; `report import-files --dir` imports a directory kept
  elsewhere.

Run: AMIABLE_BIN=build/amiable python3 tests/report_storage_test.py
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AMIABLE_BIN") or os.path.join(ROOT, "build", "amiable")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "examples", "cases-small.jsonl")
AS_OF = "2026-01-15"
FUNDS = [("631", "Caf du Puy-de-Dôme", "metropole"), ("671", "Caf du Bas-Rhin", "alsace_moselle")]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, ok=True, stdin=None, env=None):
    p = subprocess.run([BIN] + args, capture_output=True, text=True, input=stdin,
                       env=env or ENV)
    if ok and p.returncode != 0:
        print("command failed:", args, p.stdout, p.stderr, file=sys.stderr)
        sys.exit(1)
    return p


ENV = {k: v for k, v in os.environ.items() if k != "AMIABLE_REPORT_DIR"}


def make_db(db):
    for code, label, zone in FUNDS:
        run(["--db", db, "organisme", "add", "--code", code, "--name", label, "--zone", zone])
    only = os.path.join(TMP, "two-funds.jsonl")
    with open(only, "w", encoding="utf-8") as f:
        for line in open(FIXTURE, encoding="utf-8"):
            if json.loads(line)["organisme"] in ("631", "671"):
                f.write(line)
    run(["--db", db, "import", only])


def cache_rows(db):
    if db.startswith("sqlite:"):
        con = sqlite3.connect(db[len("sqlite:"):])
        rows = con.execute("SELECT slot, cache_key FROM report_cache ORDER BY slot").fetchall()
        con.close()
        return rows
    out = subprocess.run(["psql", "-At", "-F", "|", db, "-c",
                          "SELECT slot, cache_key FROM report_cache ORDER BY slot"],
                         capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("|")) for line in out.splitlines() if line]


def test_in_the_database(db, label):
    run(["--db", db, "report", "text", "put", "--year", "2025", "--organisme", "631",
         "--section", "editorial"], stdin="Une année **apaisée**.\n")
    got = run(["--db", db, "report", "text", "get", "--year", "2025", "--organisme", "631",
               "--section", "editorial"]).stdout
    check(got.startswith("Une année **apaisée**."), label + ": text read back from the database")
    agg = os.path.join(TMP, label + "-pole.json")
    run(["--db", db, "aggregate", "export", "--year", "2025", "--organisme", "671",
         "--as-of", AS_OF, "-o", agg])
    run(["--db", db, "aggregate", "import", agg, "--scope", "national_pole"])
    # A national deployment: the all-funds column is computed (and cached).
    run(["--db", db, "settings", "set", "deployment.national", "1"])
    out = os.path.join(TMP, label + ".html")
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "--as-of", AS_OF,
         "-o", out])
    html = open(out, encoding="utf-8").read()
    check("apaisée" in html, label + ": the editorial is in the report")
    check("Cnaf 2025" in html, label + ": the imported aggregate is in the météo")
    rows = cache_rows(db)
    check([r[0] for r in rows] == ["all_funds_current", "all_funds_previous"],
          label + ": the all-funds comparison is cached in report_cache: %r" % rows)
    first_key = rows[0][1] if rows else ""
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "--as-of", AS_OF,
         "-o", out])
    check(cache_rows(db) == rows, label + ": an unchanged database keeps the cache entry")
    # A case write changes the data version: the next report recomputes.
    extra = os.path.join(TMP, label + "-extra.jsonl")
    c = next(json.loads(line) for line in open(FIXTURE, encoding="utf-8")
             if json.loads(line)["organisme"] in ("631", "671"))
    c["reference"] = c["organisme"] + "-2025-NEW1"
    with open(extra, "w", encoding="utf-8") as f:
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
    run(["--db", db, "import", extra])
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "--as-of", AS_OF,
         "-o", out])
    rows = cache_rows(db)
    check(rows and rows[0][1] != first_key and rows[0][1].startswith("v"),
          label + ": a case write gives a new cache key: %r" % rows)


def test_upgrade():
    path = os.path.join(TMP, "old.db")
    db = "sqlite:" + path
    make_db(db)
    legacy = path + ".report"
    os.makedirs(os.path.join(legacy, "texts", "631", "2025"))
    with open(os.path.join(legacy, "texts", "631", "2025", "plan.txt"), "w",
              encoding="utf-8") as f:
        f.write("Plan de travail écrit avant la mise à jour")
    os.makedirs(os.path.join(legacy, "aggregates"))
    run(["--db", db, "aggregate", "export", "--year", "2025", "--organisme", "671",
         "--scope", "national_pole", "--as-of", AS_OF,
         "-o", os.path.join(legacy, "aggregates", "national_pole-2025.json")])
    os.makedirs(os.path.join(legacy, "cache"))
    p = run(["--db", db, "report", "text", "get", "--year", "2025", "--organisme", "631",
             "--section", "plan"])
    check(p.stdout.startswith("Plan de travail écrit avant"), "upgrade: the old text is read")
    check("importés" in p.stderr and "1 texte(s), 1 agrégat(s)" in p.stderr,
          "upgrade: the import is said: " + p.stderr)
    check(not os.path.exists(legacy) and os.path.isdir(legacy + ".imported"),
          "upgrade: the directory is set aside")
    p = run(["--db", db, "report", "text", "get", "--year", "2025", "--organisme", "631",
             "--section", "plan"])
    check("importés" not in p.stderr, "upgrade: once")
    out = os.path.join(TMP, "old.html")
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "--as-of", AS_OF,
         "-o", out])
    html = open(out, encoding="utf-8").read()
    check("Cnaf 2025" in html and "mise à jour" in html,
          "upgrade: the report has the imported aggregate and text")

    # A broken file: named, nothing imported, the directory stays.
    broken = os.path.join(TMP, "kept-elsewhere")
    os.makedirs(os.path.join(broken, "texts", "671", "2024"))
    with open(os.path.join(broken, "texts", "671", "2024", "findings.txt"), "w",
              encoding="utf-8") as f:
        f.write("Constats 2024")
    os.makedirs(os.path.join(broken, "aggregates"))
    with open(os.path.join(broken, "aggregates", "all_funds-2024.json"), "w") as f:
        f.write("{not json")
    p = run(["--db", db, "report", "import-files", "--dir", broken], ok=False)
    check(p.returncode == 2 and "all_funds-2024.json" in p.stderr
          and "rien n'a été importé" in p.stderr, "import-files: the bad file is named: " +
          p.stderr)
    check(os.path.isdir(broken), "import-files: the directory stays after a refusal")
    got = run(["--db", db, "report", "text", "get", "--year", "2024", "--organisme", "671",
               "--section", "findings"]).stdout
    check(got == "", "import-files: all or nothing")
    os.remove(os.path.join(broken, "aggregates", "all_funds-2024.json"))
    p = run(["--db", db, "report", "import-files", "--dir", broken])
    check("1 texte(s)" in p.stderr and os.path.isdir(broken + ".imported"),
          "import-files: imported once fixed: " + p.stderr)
    got = run(["--db", db, "report", "text", "get", "--year", "2024", "--organisme", "671",
               "--section", "findings"]).stdout
    check(got == "Constats 2024", "import-files: the text is in the database")
    p = run(["--db", db, "report", "import-files", "--dir", broken])
    check("rien à importer" in p.stderr, "import-files: nothing left")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_serve_imports():
    path = os.path.join(TMP, "served.db")
    db = "sqlite:" + path
    make_db(db)
    legacy = os.path.join(TMP, "served-report")
    os.makedirs(os.path.join(legacy, "texts", "all", "2025"))
    with open(os.path.join(legacy, "texts", "all", "2025", "editorial.txt"), "w",
              encoding="utf-8") as f:
        f.write("Éditorial de toutes les Caf")
    env = dict(ENV, AMIABLE_REPORT_DIR=legacy)
    srv = subprocess.Popen([BIN, "--db", db, "serve", "--port", str(free_port()),
                            "--no-access-log"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 20
        while time.time() < deadline and os.path.exists(legacy):
            time.sleep(0.1)
        check(os.path.isdir(legacy + ".imported"), "serve: imports the directory at start")
    finally:
        srv.terminate()
        err = srv.communicate(timeout=20)[1]
    check("importés" in err, "serve: says so on stderr")
    got = run(["--db", db, "report", "text", "get", "--year", "2025", "--section",
               "editorial"]).stdout
    check(got == "Éditorial de toutes les Caf", "serve: the text is in the database")


def main():
    global TMP
    with tempfile.TemporaryDirectory() as tmp:
        TMP = tmp
        path = os.path.join(tmp, "db.sqlite")
        db = "sqlite:" + path
        make_db(db)
        test_in_the_database(db, "sqlite")
        check(not os.path.exists(path + ".report"), "sqlite: no report directory written")
        pg = os.environ.get("AMIABLE_TEST_PG_URL")
        if pg:
            subprocess.run(["psql", "-q", pg, "-c", "DROP SCHEMA public CASCADE; "
                            "CREATE SCHEMA public;"], check=True, capture_output=True)
            make_db(pg)
            test_in_the_database(pg, "postgresql")
        else:
            print("AMIABLE_TEST_PG_URL not set: PostgreSQL part skipped")
        test_upgrade()
        test_serve_imports()
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("report storage tests passed")


if __name__ == "__main__":
    main()
