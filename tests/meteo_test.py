#!/usr/bin/python3
"""End-to-end tests of the météo and the context figures (issue 10).

A fund like the reference's (631: 272 requests received in 2025 of which 97
inadmissible, 175 closed; 220 received in 2024) and a second fund (671) are
imported into a throwaway SQLite database; the reference report's national
figures are typed with `amiable aggregate set` (all funds 2025: 5,12 / 22,80
working days, 24 579 closed, 9 054 inadmissible; national pole 4,09 / 24,46,
189, 33; and its 2024 figures: 7,17 / 25,57 / 20 925 / 5 146 and 3,32 / 27,86
/ 188 / 40), the context figures with `amiable context set`. Then:
- the PDF (pdftotext) and the HTML show the Cnaf, all-funds and fund columns
  for both years with those numbers, each delay in its unit, each column's
  source; the context shares 133 331 / 12 888 188 = 1,03 % and
  272 / 35 555 = 0,77 % (the exact rounding of 0,765 %) in the requests
  chapter with the source;
- typing again merges; bad numbers are refused in French naming the field;
- a partial aggregate file is imported; a bad one refused in French;
- `settings set deployment.national 1`: the all-funds column is computed
  from the database; `deployment.national_pole CODE`: the Cnaf column from
  that fund's cases.
The PDF page of the météo is written as PNG to $METEO_PNG_DIR when set.

Environment: AMIABLE_BIN, the program to test (default build/amiable).
"""

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AMIABLE_BIN") or os.path.join(ROOT, "build", "amiable")
AS_OF = "2026-01-15"
NN = "\u202f"  # thousands separator and before %

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, ok=True):
    p = subprocess.run([BIN] + args, capture_output=True, text=True)
    if ok and p.returncode != 0:
        print("command failed:", args, p.stdout, p.stderr, file=sys.stderr)
        sys.exit(1)
    return p


def flat(text):
    """Every kind of space, and line ends, as one plain space."""
    return re.sub(r"[\u202f\u00a0\s]+", " ", text)


def case(org, n, year, received, admissible):
    ref = "%s-%d-%05d" % (org, year, n)
    c = {"reference": ref, "organisme": org, "received_on": received.isoformat(),
         "channel": "courriel", "emitter": "allocataire", "prior_step": "reclamation",
         "prior_step_on": (received - datetime.timedelta(days=10)).isoformat()}
    if not admissible:
        c.update({"prior_step": "aucune", "admissibility": "irrecevable",
                  "inadmissibility_reason": "absence_demarche_prealable",
                  "answered_on": (received + datetime.timedelta(days=3)).isoformat(),
                  "closed_on": (received + datetime.timedelta(days=3)).isoformat()})
        del c["prior_step_on"]
        return c
    c.update({"admissibility": "recevable",
              "taken_in_charge_on": (received + datetime.timedelta(days=2)).isoformat(),
              "answered_on": (received + datetime.timedelta(days=20)).isoformat(),
              "closed_on": (received + datetime.timedelta(days=22)).isoformat(),
              "motives": ["absence_paiement"], "benefits": ["logement"],
              "cause": "pas_erreur_caf", "household": "isole", "activity": "salarie_eti",
              "quotient_familial": 600, "response_modes": ["courriel"],
              "resolution": "confirmee", "fraud": False})
    return c


def cases(org, year, received, inadmissible):
    out = []
    for i in range(received):
        day = datetime.date(year, 1, 2) + datetime.timedelta(days=(i * 300) // received)
        out.append(case(org, i + 1, year, day, i >= inadmissible))
    return out


def make_db(tmp):
    db = "sqlite:" + os.path.join(tmp, "meteo.db")
    run(["--db", db, "organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
         "--zone", "metropole"])
    run(["--db", db, "organisme", "add", "--code", "671", "--name", "Caf du Bas-Rhin",
         "--zone", "alsace_moselle"])
    path = os.path.join(tmp, "cases.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for c in (cases("631", 2025, 272, 97) + cases("631", 2024, 220, 65) +
                  cases("671", 2025, 40, 10) + cases("671", 2024, 30, 5)):
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    run(["--db", db, "import", path])
    return db


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                          check=True).stdout


def meteo_rows(html):
    """The météo table of the HTML report: header list and {row label: cells}."""
    m = re.search(r'id="t-meteo".*?</table>', html, re.S)
    if not m:
        return [], {}
    t = m.group(0)
    header = [flat(h) for h in re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', t)]
    rows = {}
    for label, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', t, re.S):
        rows[label] = [flat(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", cells)]
    return header, rows


def test_typed_and_report(db, tmp):
    # The national pole in two steps (merge), once by its reference name.
    run(["--db", db, "aggregate", "set", "--year", "2025", "--scope", "cnaf",
         "--take-charge-working-days", "4,09", "--closed", "189"])
    p = run(["--db", db, "aggregate", "set", "--year", "2025", "--scope", "national_pole",
             "--answer-working-days", "24.46", "--inadmissible", "33"])
    check("Délai de prise en charge (jours ouvrés) : 4,09" in flat(p.stdout) and
          "Dossiers clos : 189" in p.stdout, "aggregate set: merged with the first typing")
    run(["--db", db, "aggregate", "set", "--year", "2024", "--scope", "national_pole",
         "--take-charge-working-days", "3,32", "--answer-working-days", "27,86",
         "--closed", "188", "--inadmissible", "40"])
    run(["--db", db, "aggregate", "set", "--year", "2025", "--scope", "all_funds",
         "--take-charge-working-days", "5,12", "--answer-working-days", "22,80",
         "--closed", "24 579", "--inadmissible", "9054"])
    run(["--db", db, "aggregate", "set", "--year", "2024", "--scope", "all_funds",
         "--take-charge-working-days", "7.17", "--answer-calendar-days", "25,57",
         "--closed", "20925", "--inadmissible", "5146"])
    # Refusals in French, naming the field; nothing written.
    p = run(["--db", db, "aggregate", "set", "--year", "2025", "--scope", "all_funds",
             "--closed", "24,5"], ok=False)
    check(p.returncode == 2 and "Dossiers clos : « 24,5 » n'est pas un nombre entier" in p.stderr,
          "aggregate set: a bad count refused in French (%r)" % p.stderr)
    p = run(["--db", db, "aggregate", "set", "--year", "2025", "--scope", "pole"], ok=False)
    check(p.returncode == 2 and "Portée inconnue « pole »" in p.stderr,
          "aggregate set: unknown scope refused (%r)" % p.stderr)
    p = run(["--db", db, "aggregate", "set", "--year", "2025", "--scope", "all_funds"], ok=False)
    check(p.returncode == 2 and "Indiquez au moins un chiffre" in p.stderr,
          "aggregate set: nothing typed refused")

    # Context figures, the percentage typed with its sign.
    run(["--db", db, "context", "set", "--year", "2025", "--organisme", "631",
         "--beneficiaries", "133 331", "--national-beneficiaries", "12888188",
         "--all-funds-requests", "35 555", "--complaints", "27149",
         "--complaints-within-10-days", "94,34 %", "--complaints-mean-days", "5.9",
         "--source", "Cnaf, tableau de bord national 2025 ; fichier des allocataires au 30/06/2025"])
    run(["--db", db, "context", "set", "--year", "2024", "--organisme", "631",
         "--complaints", "29 051", "--complaints-within-10-days", "98,7"])
    p = run(["--db", db, "context", "show", "--year", "2025", "--organisme", "631"])
    out = flat(p.stdout)
    check("133 331" in out and "soit 1,03 % du fichier national" in out and
          "demandes reçues par la Caf : 272, soit 0,77 %" in out, "context show: figures and shares")
    p = run(["--db", db, "context", "set", "--year", "2025", "--organisme", "631",
             "--complaints-within-10-days", "120 %"], ok=False)
    check(p.returncode == 2 and "n'est pas un pourcentage entre 0 et 100" in p.stderr,
          "context set: a bad percentage refused in French")

    html_path = os.path.join(tmp, "r.html")
    pdf_path = os.path.join(tmp, "r.pdf")
    for path in (html_path, pdf_path):
        run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", path,
             "--as-of", AS_OF])
    html = open(html_path, encoding="utf-8").read()
    header, rows = meteo_rows(html)
    check(header[1:] == ["Cnaf 2024", "Cnaf 2025", "Ensemble des Caf 2024",
                         "Ensemble des Caf 2025", "Caf 631 2024", "Caf 631 2025"],
          "html: météo columns %r" % header)
    check(rows.get("Délai de prise en charge (jours ouvrés)", [])[:4] ==
          ["3,32 j", "4,09 j", "7,17 j", "5,12 j"], "html: take-charge delays %r" % rows)
    check(rows.get("Délai de réponse (jours ouvrés)", [])[:4] ==
          ["27,86 j", "24,46 j", "n.d.", "22,80 j"], "html: answer delays in working days")
    check(rows.get("Délai de réponse (jours calendaires)", [])[:4] ==
          ["n.d.", "n.d.", "25,57 j", "n.d."], "html: 2024 all funds in calendar days")
    check(rows.get("Dossiers clos", []) == ["188", "189", "20 925", "24 579", "155", "175"],
          "html: closed %r" % rows.get("Dossiers clos"))
    check(rows.get("Demandes hors médiation", []) == ["40", "33", "5 146", "9 054", "65", "97"],
          "html: inadmissible %r" % rows.get("Demandes hors médiation"))
    note = flat(html[html.find('id="t-meteo"'):])
    check("Cnaf 2024 et 2025 : saisis le" in note and
          "Ensemble des Caf 2024 et 2025 : saisis le" in note and
          "Caf 631 2024 et 2025 : calculés à partir des dossiers de la base" in note,
          "html: the source of each column")

    text = flat(pdf_text(pdf_path))
    # The headers wrap inside their columns in the PDF.
    check(re.search(r"Indicateur Cnaf 2024 Cnaf 2025 Ensemble (des Caf 2024 )?Ensemble "
                    r"(des Caf 2025 )?Caf 631 (2024 )?Caf 631", text) is not None,
          "pdf: météo columns")
    m = re.search(r"Dossiers clos\s+188\s+189\s+20 925\s+24 579\s+155\s+175", text)
    check(m is not None, "pdf: closed row of the météo")
    m = re.search(r"Délai de prise en charge \(jours( ouvrés\))? 3,32 j 4,09 j 7,17 j 5,12 j "
                  r"\S+ j \S+ j", text)
    check(m is not None, "pdf: take-charge row of the météo")
    check("représentent 0,77 % des 35 555 demandes" in text, "pdf: requests share (0,77 %)")
    check("133 331 allocataires au 30 juin 2025, soit 1,03 % des 12 888 188" in text,
          "pdf: beneficiaries share (1,03 %)")
    check("27 149 réclamations y ont été déposées en 2025, contre 29 051 en 2024" in text,
          "pdf: complaints against the year before")
    check("94,34 % ont été traitées dans un délai de 10 jours, contre 98,70 % en 2024" in text,
          "pdf: complaints within 10 days")
    check("Source 2025 : Cnaf, tableau de bord national 2025" in text, "pdf: context source")
    # The context is in the requests chapter, before the inadmissible requests.
    check(0 < text.find("Demandes reçues par mois") < text.find("dans son contexte") <
          text.find("Les demandes hors médiation 97 demandes reçues"),
          "pdf: context in the requests chapter, after the monthly requests")
    png = os.environ.get("METEO_PNG_DIR")
    if png:
        pages = subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        for i, page in enumerate(pages):
            if "La météo de la médiation" in page or "dans son contexte" in page:
                subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(i + 1), "-l",
                                str(i + 1), pdf_path, os.path.join(png, "page")], check=True)


def test_partial_file(db, tmp):
    path = os.path.join(tmp, "pole-2023.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "amiable-aggregate", "version": 1, "scope": "national_pole",
                   "exported_on": "2024-02-01",
                   "figures": {"year": 2023, "closed": 170,
                               "delays": {"take_charge_working_days_avg": 3.5}}}, f)
    p = run(["--db", db, "aggregate", "import", path], ok=False)
    check(p.returncode == 0, "aggregate import: a partial file is accepted (%r)" % p.stderr)
    out = os.path.join(tmp, "r2024.html")
    run(["--db", db, "report", "--year", "2024", "--organisme", "631", "-o", out,
         "--as-of", AS_OF, "--allow-incomplete"])
    header, rows = meteo_rows(open(out, encoding="utf-8").read())
    check(rows.get("Dossiers clos", [])[:2] == ["170", "188"] and
          rows.get("Demandes hors médiation", [])[:1] == ["n.d."],
          "report 2024: the partial 2023 file shown, what it lacks n.d. (%r)" % rows)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "amiable-aggregate", "version": 1, "scope": "national_pole",
                   "figures": {"year": 2023, "closed": -1}}, f)
    p = run(["--db", db, "aggregate", "import", path], ok=False)
    check(p.returncode == 2 and "« closed » : un nombre entier positif ou nul est attendu"
          in p.stderr, "aggregate import: a bad file refused in French (%r)" % p.stderr)


def test_national_settings(db, tmp):
    p = run(["--db", db, "settings", "set", "deployment.national", "2"], ok=False)
    check(p.returncode == 2 and "deployment.national" in p.stderr and "invalide" in p.stderr,
          "settings: a bad value refused in French")
    run(["--db", db, "settings", "set", "deployment.national", "1"])
    out = os.path.join(tmp, "national.html")
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", out,
         "--as-of", AS_OF])
    html = open(out, encoding="utf-8").read()
    header, rows = meteo_rows(html)
    stats = json.loads(run(["--db", db, "stats", "--year", "2025", "--as-of", AS_OF,
                            "--json"]).stdout)
    check(rows.get("Dossiers clos", [])[3] == str(stats["closed"]),
          "national: all funds computed from the database (%r vs %d)" %
          (rows.get("Dossiers clos"), stats["closed"]))
    check("Ensemble des Caf 2024 et 2025 : calculés à partir des dossiers de la base (2 Caf)"
          in flat(html), "national: the all-funds source says computed")
    # The national pole is a fund of the database: its column from its cases.
    run(["--db", db, "settings", "set", "deployment.national_pole", "671"])
    p = run(["--db", db, "settings", "list"])
    check("deployment.national\t1" in p.stdout and "deployment.national_pole\t671" in p.stdout,
          "settings list")
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", out,
         "--as-of", AS_OF])
    html = open(out, encoding="utf-8").read()
    header, rows = meteo_rows(html)
    s671 = json.loads(run(["--db", db, "stats", "--year", "2025", "--organisme", "671",
                           "--as-of", AS_OF, "--json"]).stdout)
    s631 = json.loads(run(["--db", db, "stats", "--year", "2025", "--organisme", "631",
                           "--as-of", AS_OF, "--json"]).stdout)
    check(rows.get("Dossiers clos", [])[1] == str(s671["closed"]),
          "pole: Cnaf column from the pole fund's cases")
    check(rows.get("Dossiers clos", [])[3] == str(s631["closed"]),
          "pole: left out of all funds")
    check("Cnaf 2024 et 2025 : calculés à partir des dossiers de la base (Caf 671)" in flat(html),
          "pole: source said")
    run(["--db", db, "settings", "set", "deployment.national", "0"])
    run(["--db", db, "settings", "set", "deployment.national_pole", ""])


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = make_db(tmp)
        test_typed_and_report(db, tmp)
        test_partial_file(db, tmp)
        test_national_settings(db, tmp)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("meteo tests passed")


if __name__ == "__main__":
    main()
