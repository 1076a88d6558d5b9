#!/usr/bin/env python3
"""The demonstration's report data (src/cli/demo_report.cc): after `demo seed`
the 2025 report of fund 631 has the published national figures in its météo,
its context figures and the register followed from 2024; a second seed adds
nothing."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ.get("AMIABLE_BIN", os.path.join(os.path.dirname(__file__), "..", "build", "amiable"))
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


def run(db, *args):
    p = subprocess.run([BIN, "--db", db, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("amiable %s failed: %s" % (" ".join(args), p.stderr))
    return p.stdout


with tempfile.TemporaryDirectory() as tmp:
    db = "sqlite:" + os.path.join(tmp, "demo.db")
    first = run(db, "demo", "seed")
    check("chiffres nationaux publiés" in first, "seed: the national figures typed")
    second = run(db, "demo", "seed")
    check("chiffres nationaux" not in second and "préconisations de démonstration" not in second,
          "a second seed adds no report data")
    items = json.loads(run(db, "register", "list", "--organisme", "631", "--json"))
    rows = items if isinstance(items, list) else items.get("items", [])
    check(len(rows) == 4, "four register items, not eight (%d)" % len(rows))
    out = os.path.join(tmp, "r.html")
    run(db, "report", "--year", "2025", "--organisme", "631", "--allow-incomplete", "-o", out)
    html = open(out, encoding="utf-8").read().replace("\u202f", " ").replace("\xa0", " ")
    for needle, what in [("24 579", "all funds' closed cases of 2025 in the météo"),
                         ("9 054", "all funds' inadmissible requests"),
                         ("189", "the national pole's closed cases"),
                         ("20 925", "all funds' closed cases of 2024"),
                         ("1,03 %", "the fund's share of the national beneficiaries"),
                         ("35 555", "all funds' requests (context)"),
                         ("Partager chaque trimestre", "a 2025 recommendation"),
                         ("Un modèle de courrier expliqué", "the follow-up of a 2024 one")]:
        check(needle in html, what)
    # The national report gathers the register of every fund by theme.
    nat = os.path.join(tmp, "n.html")
    run(db, "report", "--national", "--year", "2025", "-o", nat)
    nhtml = open(nat, encoding="utf-8").read()
    check("Partager chaque trimestre" in nhtml and "Fiabilité du traitement" in nhtml,
          "the national report gathers 631's 2025 items by theme")
print("demo_report_test: %s" % ("FAILED (%d)" % failures if failures else "passed"))
sys.exit(1 if failures else 0)
