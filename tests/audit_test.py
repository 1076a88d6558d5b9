#!/usr/bin/env python3
"""The audit trail end to end (issue 9, part 5), on the real binary and SQLite:
reading a case page, searching, listing and exporting leave chained rows, the
search terms only as a keyed hash (the clear term is nowhere in the database
file); `amiable audit verify` says the trail is intact, then names the lines
tampered with sqlite3; backups and exports are created 0600.
Standard library only, plus the sqlite3 command.
"""
import json
import os
import sqlite3
import stat
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import amiable  # noqa: E402
from amiable import Session, add_funds, add_user  # noqa: E402
from api_test import check  # noqa: E402

TODAY = "2026-12-01"
TERM = "Zarathoustraquiparle"  # in no case: only the search brings it


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def setup(env):
    add_funds(env)
    add_user(env, "m1", "mediator", "631")
    add_user(env, "dpo1", "dpo", "631")
    folder = os.path.dirname(env.db[len("sqlite:"):])
    path = os.path.join(folder, "cases.jsonl")
    with open(path, "w") as f:
        f.write('{"reference":"631-2026-00001","organisme":"631","received_on":"2026-11-02",'
                '"admissibility":"recevable","channel":"courriel"}\n')
    env.cli("import", path)
    return folder


def rows(db_path):
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT seq, actor, action, object FROM audit_log ORDER BY seq").fetchall()
    finally:
        db.close()


def scenario(env, folder):
    s = Session(env, "m1")
    status, _ = s.get("/dossiers/631-2026-00001")
    check(status == 200, "case page: %d" % status)
    status, _ = s.get("/recherche?q=" + TERM)
    check(status == 200, "search: %d" % status)
    status, _ = s.get("/dossiers?etat=received")
    check(status == 200, "list: %d" % status)
    status, _ = s.get("/journal")
    check(status == 403, "a mediator does not read the trail: %d" % status)
    # The officer reads the trail (references, no case content), filters it
    # by case and exports it.
    d = Session(env, "dpo1")
    status, page = d.get("/journal?dossier=631-2026-00001")
    check(status == 200 and "631-2026-00001" in page and "case.view" in page,
          "dpo reads the trail of the case: %d" % status)
    check(TERM not in page, "no clear term on the journal page")
    status, body = d.get_bytes("/journal/export?dossier=631-2026-00001")
    check(status == 200 and b'"action":"case.view"' in body, "journal export: %d" % status)
    status, _ = d.get("/dossiers/631-2026-00001")
    check(status in (403, 404), "dpo sees no case page: %d" % status)
    env.stop()  # flushes the batched reads

    db_path = env.db[len("sqlite:"):]
    export = os.path.join(folder, "export.jsonl")
    os.umask(0o022)  # what a shell would have: amiable must not rely on it
    env.cli("export", "--organisme", "631", "-o", export)
    check(mode(export) == 0o600, "export is 0600: %o" % mode(export))
    backup = os.path.join(folder, "backup.db")
    env.cli("backup", backup)
    check(mode(backup) == 0o600, "backup is 0600: %o" % mode(backup))
    key = os.path.join(folder, "audit.key")
    check(os.path.exists(key) and mode(key) == 0o600, "key beside the database, 0600")

    trail = rows(db_path)
    actions = [r[2] for r in trail]
    for a in ("case.view", "case.search", "case.list", "cases.export", "database.backup"):
        check(a in actions, "%s audited: %r" % (a, actions))
    seqs = [r[0] for r in trail]
    check(seqs == list(range(1, len(seqs) + 1)), "seq gap-free: %r" % seqs)
    search = [r for r in trail if r[2] == "case.search"]
    check(search and search[0][3].startswith("terme:"), "search kept hashed: %r" % search)
    r = env.cli("audit", "term", TERM.lower())
    check(search and r.stdout.strip() == search[0][3], "audit term gives the same hash")
    for f in (db_path, db_path + "-wal", backup):
        if os.path.exists(f):
            check(TERM.encode() not in open(f, "rb").read(), "clear term absent from " + f)

    r = env.cli("audit", "verify", ok=False)
    n = len(rows(db_path))
    check(r.returncode == 0 and r.stdout.strip() == "Journal intègre : %d lignes" % n,
          "verify intact: %d %r" % (r.returncode, r.stdout))

    # Audit export for the officer: JSON Lines, 0600, filtered by case.
    out = os.path.join(folder, "journal.jsonl")
    env.cli("audit", "export", "--from", "2020-01-01", "--to", "2100-12-31",
            "--case", "631-2026-00001", "-o", out)
    check(mode(out) == 0o600, "audit export is 0600: %o" % mode(out))
    lines = [json.loads(line) for line in open(out)]
    check(lines and all(x["object"].startswith("631-2026-00001") for x in lines),
          "audit export filtered by case: %r" % lines)

    # Tampering with sqlite3: an edited row, then a deleted one.
    target = seqs[1]
    subprocess.run(["sqlite3", db_path,
                    "UPDATE audit_log SET object = 'autre' WHERE seq = %d" % target], check=True)
    r = env.cli("audit", "verify", ok=False)
    check(r.returncode == 1 and r.stdout.splitlines() == ["ligne %d : modifiée" % target],
          "edited row named: %d %r" % (r.returncode, r.stdout))
    gone = seqs[3]
    subprocess.run(["sqlite3", db_path, "DELETE FROM audit_log WHERE seq = %d" % gone], check=True)
    r = env.cli("audit", "verify", ok=False)
    check(r.stdout.splitlines() == ["ligne %d : modifiée" % target, "ligne %d : manquante" % gone],
          "deleted row named: %r" % r.stdout)
    # A cut tail, the head row in the database rewound too: the head kept
    # beside the key still tells the last rows are missing.
    last = rows(db_path)[-1][0]
    subprocess.run(["sqlite3", db_path,
                    "DELETE FROM audit_log WHERE seq > %d; UPDATE audit_head SET seq = %d, "
                    "hash = (SELECT mac FROM audit_log WHERE seq = %d)" % (last - 2, last - 2,
                                                                          last - 2)],
                   check=True)
    r = env.cli("audit", "verify", ok=False)
    check(r.returncode == 1 and r.stdout.splitlines()[-1] ==
          "lignes %d à %d : manquantes" % (last - 1, last),
          "cut tail named: %r" % r.stdout)
    # A trail that is not intact is not pruned.
    r = env.cli("audit", "prune", "--before", "2100-01-01", ok=False)
    check(r.returncode != 0, "no prune of a trail that is not intact: %r" % r.stderr)


if __name__ == "__main__":
    sys.exit(amiable.main("audit_test", "journal.db", TODAY, setup, scenario))
