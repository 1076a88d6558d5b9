#!/usr/bin/python3
"""End-to-end tests of `amiable report` and `amiable aggregate` (issue 4).

The worked example (tests/fixtures/examples/cases-small.jsonl) is imported
into a throwaway SQLite database through the command line; the report is
produced in each format and read back:
- PDF: `pdftotext -layout` must show the figures of `amiable stats --json`
  (received, inadmissible, closed, every breakdown count and share, both
  years); `pdffonts` must list every font as embedded; metadata present.
- XLSX: openpyxl reads the section sheets and the "Données" sheet; numbers
  are numbers with € and % formats, equal to the stats.
- CSV: UTF-8 BOM, `;` separator, six columns, decimal comma, equal to stats.
- HTML: accessible tables and SVG charts with a text alternative.
- A closed case lacking dates: refused (non-zero exit, the case named), then
  produced with --allow-incomplete and the warning on page 1.
- Aggregates: export without personal data, import as the national pole's,
  shown in the comparison table.

Environment: AMIABLE_BIN, the program to test (default build/amiable).
"""

import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AMIABLE_BIN") or os.path.join(ROOT, "build", "amiable")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "examples", "cases-small.jsonl")
AS_OF = "2026-01-15"

FUNDS = [("631", "Caf du Puy-de-Dôme", "metropole"), ("671", "Caf du Bas-Rhin", "alsace_moselle"),
         ("974", "Caf de La Réunion", "reunion")]

# French labels of the nomenclatures, as the report prints them.
LABELS = {
    "channel": {"teleprocedure": "Téléprocédure", "courriel": "Courriel", "courrier": "Courrier",
                "interne": "Sollicitation interne", "telephone": "Téléphone",
                "accueil": "Accueil physique"},
    "resolution": {"confirmee": "Décision confirmée", "revisee": "Décision révisée",
                   "orientation_externe": "Orientation vers un tiers",
                   "desistement": "Désistement, sans suite"},
    "household": {"isole": "Personne isolée", "monoparentale": "Famille monoparentale",
                  "couple_avec_enfants": "Couple avec enfant(s)",
                  "couple_sans_enfant": "Couple sans enfant"},
    "activity": {"salarie_eti": "Salarié ou travailleur indépendant", "chomeur": "Chômeur",
                 "inactif": "Inactif, sans activité", "handicap_invalide": "Handicapé, invalide"},
    "response_mode": {"courriel": "Courriel", "telephone": "Téléphone", "courrier": "Courrier"},
    "motive": {"absence_reponse": "Absence de réponse", "absence_paiement": "Absence de paiement",
               "incomprehension_decision": "Incompréhension d'une décision"},
}
BREAKDOWNS = ["inadmissibility_reason", "channel", "emitter", "prior_step", "cause", "household",
              "activity", "qf_bracket", "resolution", "motive", "benefit", "response_mode"]

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


def normalize(text):
    # Thousands separators (U+202F between digits) go; other spaces become plain.
    text = re.sub(r"(?<=\d)[\u202f\u00a0 ](?=\d{3}\b)", "", text)
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def pct(x):
    """A fraction as the report prints it: 0.5 -> '50,0 %'."""
    if x is None:
        return "n.d."
    v = round(x * 100 + 1e-9 * (1 if x >= 0 else -1), 1)
    return ("%.1f %%" % v).replace(".", ",")


SEVERAL = {"motive", "benefit", "response_mode"}
CAPTIONS = {"channel": "Les modes de saisine", "resolution": "Les modes de résolution",
            "household": "La typologie des foyers", "activity": "L'activité des requérants",
            "response_mode": "Les modes de réponse",
            "motive": "Les motifs de la demande du point de vue du demandeur"}


def share(f, name, code):
    """Share of a code: count / cases with a value (domain.md §5)."""
    b = f["by_" + name]
    if name in SEVERAL:
        known = f["closed"] - b["unknown"]
    elif name == "inadmissibility_reason":
        known = f["inadmissible"] - b["unknown"]
    else:
        known = sum(v for k, v in b.items() if k != "unknown")
    return None if known == 0 else b[code] / known


def make_db(tmp, name, cases_file):
    db = "sqlite:" + os.path.join(tmp, name)
    for code, label, zone in FUNDS:
        run(["--db", db, "organisme", "add", "--code", code, "--name", label, "--zone", zone])
    run(["--db", db, "import", cases_file])
    return db


def stats(db, year, org):
    p = run(["--db", db, "stats", "--year", str(year), "--organisme", org, "--as-of", AS_OF,
             "--json"])
    return json.loads(p.stdout)


def test_pdf(db, tmp, cur, prev):
    out = os.path.join(tmp, "r.pdf")
    p = run(["--db", db, "report", "--year", "2025", "--organisme", "631", "--format", "pdf",
             "-o", out, "--as-of", AS_OF])
    check(p.returncode == 0, "pdf: report produced")
    text = normalize(subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True,
                                    text=True, check=True).stdout)
    # Key figures: "Demandes reçues   <2024>   <2025>   trend".
    for label, key in [("Demandes reçues", "received"),
                       ("Dossiers recevables clos (population étudiée)", "closed")]:
        m = re.search(re.escape(label) + r"\s{2,}(\d+)\s+(\d+)\s", text)
        check(m is not None and (int(m.group(1)), int(m.group(2))) == (prev[key], cur[key]),
              "pdf: key figure %s" % key)
    check(pct(cur["inadmissible_rate"]) in text, "pdf: inadmissible rate")
    # Breakdown tables: "<label>  n2024  share2024  n2025  share2025".
    for name, labels in LABELS.items():
        b, pb = cur["by_" + name], prev["by_" + name]
        table = text[text.find(CAPTIONS[name] + " — 2024 et 2025"):]
        for code, label in labels.items():
            m = re.search(r"^\s*" + re.escape(label) +
                          r"\s{2,}(\d+)\s+(\S+ %|n\.d\.)\s+(\d+)\s+(\S+ %|n\.d\.)", table, re.M)
            got = m.groups() if m else None
            want = (str(pb[code]), pct(share(prev, name, code)), str(b[code]),
                    pct(share(cur, name, code)))
            check(got == want, "pdf: %s.%s %s != %s" % (name, code, got, want))
    # Delays and money as printed.
    d = cur["delays"]["take_charge_working_days_avg"]
    check(("%.2f j" % d).replace(".", ",") in text, "pdf: take-charge delay")
    rappel = cur["financial"]["rappel"]["amount_cents"]
    check(("%d,%02d €" % (rappel // 100, rappel % 100)) in text, "pdf: back-payment amount")
    check("Sommaire" in text and "La météo de la médiation" in text, "pdf: contents and météo")
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    check(rows and all(r.split()[-5] == "yes" for r in rows), "pdf: every font embedded")
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True, check=True).stdout
    check("Title:" in info and "2025" in info and "Author:" in info, "pdf: metadata")
    check(re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info) is not None, "pdf: A4")


def test_xlsx(db, tmp, cur, prev):
    import openpyxl
    out = os.path.join(tmp, "r.xlsx")
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", out,
         "--as-of", AS_OF])
    wb = openpyxl.load_workbook(out)
    check("Modes de saisine" in wb.sheetnames and "Données" in wb.sheetnames, "xlsx: sheets")
    ws = wb["Modes de saisine"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)}
    for code, label in LABELS["channel"].items():
        r = rows.get(label)
        check(r is not None and r[1] == prev["by_channel"][code] and
              r[3] == cur["by_channel"][code], "xlsx: channel %s" % code)
        if r is not None and share(cur, "channel", code) is not None:
            check(abs(r[4] - share(cur, "channel", code)) < 1e-9, "xlsx: channel share %s" % code)
    # Number formats on the financial sheet.
    fmts = {c.number_format for row in wb["Impact financier"].iter_rows() for c in row
            if isinstance(c.value, (int, float))}
    check(any("€" in f for f in fmts) and any("%" in f for f in fmts), "xlsx: € and % formats")
    check(len(wb["Modes de saisine"]._charts) >= 1, "xlsx: native chart")
    # The long data sheet equals the stats for every breakdown, both years.
    data = {}
    for r in wb["Données"].iter_rows(min_row=2, values_only=True):
        data[(r[0], r[1], int(r[3]))] = (r[4], r[5])
    for year, f in ((2025, cur), (2024, prev)):
        for name in BREAKDOWNS:
            for code, n in f["by_" + name].items():
                got = data.get((name if name != "inadmissibility_reason" else name, code, year))
                check(got is not None and got[0] == n, "xlsx data: %s.%s %d" % (name, code, year))
        check(data.get(("requests", "received", year), (None,))[0] == f["received"],
              "xlsx data: received %d" % year)


def test_csv(db, tmp, cur, prev):
    out = os.path.join(tmp, "r.csv")
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", out,
         "--as-of", AS_OF])
    raw = open(out, "rb").read()
    check(raw.startswith(b"\xef\xbb\xbf"), "csv: BOM")
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    check(rows[0] == ["section", "code", "label", "year", "count", "share"], "csv: header")
    check(all(len(r) == 6 for r in rows), "csv: six fields per line")
    got = {(r[0], r[1], int(r[3])): r for r in rows[1:]}
    for year, f in ((2025, cur), (2024, prev)):
        for name in BREAKDOWNS:
            for code, n in f["by_" + name].items():
                r = got.get((name, code, year))
                check(r is not None and r[4] == str(n), "csv: %s.%s %d" % (name, code, year))
                if r is not None and code != "unknown":
                    s = share(f, name, code)
                    check((s is None and r[5] == "") or
                          (s is not None and abs(float(r[5].replace(",", ".")) - s) < 1e-6),
                          "csv: share %s.%s %d" % (name, code, year))
    check("Téléprocédure" in text, "csv: accents intact")


def test_html(db, tmp):
    out = os.path.join(tmp, "r.html")
    run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", out,
         "--as-of", AS_OF])
    html = open(out, encoding="utf-8").read()
    check('<html lang="fr">' in html, "html: lang")
    check('<th scope="col">' in html and "<caption>" in html, "html: accessible tables")
    check(re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="[^"]+"', html) is not None,
          "html: svg charts with role img")
    check(html.count("<desc ") >= 10, "html: text alternatives")


def test_incomplete(tmp):
    # The first admissible case closed in 2025 of fund 631 loses its dates.
    lines = open(FIXTURE, encoding="utf-8").read().splitlines()
    target = None
    for i, line in enumerate(lines):
        c = json.loads(line)
        if (c["organisme"] == "631" and c["admissibility"] == "recevable" and
                (c.get("closed_on") or "").startswith("2025") and c.get("taken_in_charge_on")):
            c["taken_in_charge_on"] = None
            c["answered_on"] = None
            lines[i] = json.dumps(c, ensure_ascii=False)
            target = c["reference"]
            break
    bad = os.path.join(tmp, "bad.jsonl")
    open(bad, "w", encoding="utf-8").write("\n".join(lines) + "\n")
    db = make_db(tmp, "bad.db", bad)
    out = os.path.join(tmp, "bad.pdf")
    p = run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", out,
             "--as-of", AS_OF], ok=False)
    check(p.returncode != 0, "incomplete: refused")
    check(target in p.stderr, "incomplete: the case is named (%s)" % target)
    check(not os.path.exists(out), "incomplete: no file written")
    p = run(["--db", db, "report", "--year", "2025", "--organisme", "631", "-o", out,
             "--as-of", AS_OF, "--allow-incomplete"], ok=False)
    check(p.returncode == 0, "incomplete: produced with --allow-incomplete")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", out, "-"], capture_output=True,
                           text=True, check=True).stdout
    check("données incomplètes" in first, "incomplete: said on page 1")
    text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout
    check(target not in text, "incomplete: no case named in the report (the quality page's list)")
    check("Données incomplètes" in text, "incomplete: the annex counts the blocking problems")
    p = run(["--db", db, "report", "check", "--year", "2025", "--organisme", "631", "--json"],
            ok=False)
    check(p.returncode != 0 and target in p.stdout, "report check lists the case")


def test_aggregates(tmp):
    db = make_db(tmp, "agg.db", FIXTURE)
    agg = os.path.join(tmp, "pole.json")
    run(["--db", db, "aggregate", "export", "--year", "2025", "--organisme", "671",
         "--as-of", AS_OF, "-o", agg])
    text = open(agg, encoding="utf-8").read()
    doc = json.loads(text)
    check(doc["format"] == "amiable-aggregate" and doc["figures"]["year"] == 2025,
          "aggregate: format")
    for line in open(FIXTURE, encoding="utf-8"):
        c = json.loads(line)
        check(c["reference"] not in text, "aggregate: no case reference")
        if c.get("allocataire_number"):
            check(c["allocataire_number"] not in text, "aggregate: no allocataire number")
    # A single-fund installation imports it as the national pole's figures.
    solo = "sqlite:" + os.path.join(tmp, "solo.db")
    run(["--db", solo, "organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
         "--zone", "metropole"])
    only631 = os.path.join(tmp, "631.jsonl")
    with open(only631, "w", encoding="utf-8") as f:
        for line in open(FIXTURE, encoding="utf-8"):
            if json.loads(line)["organisme"] == "631":
                f.write(line)
    run(["--db", solo, "import", only631])
    p = run(["--db", solo, "aggregate", "import", agg, "--scope", "national_pole"])
    check("2025" in p.stdout, "aggregate: import reported")
    out = os.path.join(tmp, "solo.html")
    run(["--db", solo, "report", "--year", "2025", "-o", out, "--as-of", AS_OF])
    html = open(out, encoding="utf-8").read()
    check("Cnaf 2025" in html, "aggregate: national pole (Cnaf) column in the météo")
    closed = str(doc["figures"]["closed"])
    m = re.search(r'id="t-meteo".*?Dossiers clos</th><td class="num">([^<]*)</td><td class="num">'
                  r'([^<]*)</td>', html, re.S)
    check(m is not None and m.group(2) == closed, "aggregate: national closed count shown")
    # Round trip: export of the import equals the original figures.
    back = json.loads(run(["--db", db, "aggregate", "export", "--year", "2025", "--organisme",
                           "671", "--as-of", AS_OF]).stdout)
    check(back["figures"] == doc["figures"], "aggregate: export is stable")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = make_db(tmp, "db.sqlite", FIXTURE)
        cur, prev = stats(db, 2025, "631"), stats(db, 2024, "631")
        test_pdf(db, tmp, cur, prev)
        test_xlsx(db, tmp, cur, prev)
        test_csv(db, tmp, cur, prev)
        test_html(db, tmp)
        test_incomplete(tmp)
        test_aggregates(tmp)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("report tests passed")


if __name__ == "__main__":
    main()
