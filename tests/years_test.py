#!/usr/bin/env python3
"""End-to-end test of the years side by side (issue 10, part 7).

A seeded data set with cases in several years (631: 2016, 2017, 2019, 2020,
2021, 2023 and 2025 — 2018, 2022 and 2024 without any case —; 671: 2015 and
2025; 031: 2018)
is imported into a throwaway SQLite database through the command line, then:
- the page /chiffres/annees, read by a statistics reader of 631 and by an
  administrator of every fund, has one column per year with a case of the
  funds it sees (no 2017 or 2018 column for the reader of 631) and each cell
  equals `amiable stats --json --year Y` for its year (counts exactly, rates
  to the displayed decimal, amounts to the cent); another fund is refused;
- the page's workbook (/chiffres/annees/telecharger) and the annual report's
  XLSX (`amiable report --format xlsx`), read with zipfile and the XML of
  the sheet « Années », hold the same figures as numbers; the report's sheet
  and its multi-year series cover every year from the first with a case to
  Y (2016 to 2025, the empty years at zero);
- the report's PDF has the series table with every year, and the online
  form's inadmissibility reasons (table and chart); their figures, in the
  report's CSV, equal those counted here from the data set.

With YEARS_SHOTS=DIR, the page is also saved with its stylesheet and
screenshotted with headless chromium (DIR/years.png), and the report's PDF
is left in DIR (to look at with pdftoppm -png -r 60).

Environment: AMIABLE_BIN, the program to test (default build/amiable).
Standard library only, plus pdftotext (poppler-utils).
"""
import csv
import html as htmllib
import io
import json
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import BIN, check  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_funds, add_user  # noqa: E402

TODAY = "2026-02-02"
SEED = 20261202
# Every case is received and closed in the same year (received by the end of
# October, closed within 59 days): the years with a case are these.
YEARS = {"631": [2016, 2017, 2019, 2020, 2021, 2023, 2025], "671": [2015, 2025], "031": [2018]}
REASONS = ["absence_demarche_prealable", "demande_renseignement", "envoi_pieces", "hors_champ",
           "litige_prive"]
CHANNELS = ["teleprocedure", "courriel", "courrier", "interne"]
RESOLUTIONS = ["confirmee", "revisee", "orientation_externe", "desistement"]
KINDS = ["rappel", "indu_detecte", "indu_annule", "indu_remis"]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def make_cases():
    rnd = random.Random(SEED)
    out = []
    for fund, years in YEARS.items():
        for year in years:
            # The report's year gets enough online requests to draw its reasons.
            n = 90 if (fund, year) == ("631", 2025) else rnd.randint(12, 30)
            for i in range(n):
                received = date(year, 1, 2) + timedelta(days=rnd.randint(0, 300))
                c = {"reference": "%s-%d-%05d" % (fund, year, i + 1), "organisme": fund,
                     "received_on": received.isoformat(), "channel": rnd.choice(CHANNELS + [None])}
                if rnd.random() < 0.3:
                    c["admissibility"] = "irrecevable"
                    c["inadmissibility_reason"] = rnd.choice(REASONS + [None])
                    c["closed_on"] = (received + timedelta(days=rnd.randint(1, 9))).isoformat()
                else:
                    c["admissibility"] = "recevable"
                    taken = received + timedelta(days=rnd.randint(0, 14))
                    c["taken_in_charge_on"] = taken.isoformat()
                    if rnd.random() < 0.9:  # some stay open
                        answered = taken + timedelta(days=rnd.randint(2, 40))
                        c["answered_on"] = answered.isoformat()
                        c["closed_on"] = (answered + timedelta(days=rnd.randint(0, 5))).isoformat()
                        c["resolution"] = rnd.choice(RESOLUTIONS + [None])
                        c["fraud"] = rnd.random() < 0.15
                        if rnd.random() < 0.5:
                            c["financial"] = [{"kind": rnd.choice(KINDS),
                                               "amount_cents": rnd.randint(100, 900000)}
                                              for _ in range(rnd.randint(1, 2))]
                        if rnd.random() < 0.3:
                            sent = taken + timedelta(days=1)
                            c["internal_requests"] = [{
                                "sent_on": sent.isoformat(),
                                "answered_on": (sent + timedelta(days=rnd.randint(1, 9))).isoformat()}]
                out.append(c)
    return out


def stats(env, year, funds):
    args = ["stats", "--year", str(year), "--as-of", TODAY, "--json"]
    for f in funds:
        args += ["--organisme", f]
    return json.loads(env.cli(*args).stdout)


def figure(j, code):
    """The JSON value of a row's code ("delays.take_charge_working_days_avg");
    fraud_cases, which the JSON does not print, from the fraud rate."""
    if code == "fraud_cases":
        return 0 if j["fraud_rate"] is None else round(j["fraud_rate"] * j["closed"])
    v = j
    for k in code.split("."):
        v = v[k]
    return v


def kind_of(code):
    last = code.split(".")[-1]
    if last.endswith("_rate") or last == "share_of_closed":
        return "rate"
    if last.endswith("_avg"):
        return "days"
    if last == "amount_cents":
        return "euros"
    return "count"


def parse_fr(text):
    """A French display as a number: "1 234", "35,7 %", "1,65 j", "128 120,06 €"; None for n.d."""
    t = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if t == "n.d.":
        return None
    t = t.rstrip("%€j").replace(",", ".")
    return float(t)


def same_display(kind, shown, want):
    got = parse_fr(shown)
    if want is None or got is None:
        return want is None and got is None
    if kind == "rate":
        return abs(got - want * 100) <= 0.05 + 1e-9
    if kind == "days":
        return abs(got - want) <= 0.005 + 1e-9
    if kind == "euros":
        return round(got * 100) == want
    return got == want


def page_table(body):
    """{code: (label, {year: display})} and the year columns of /chiffres/annees."""
    m = re.search(r'<table id="years".*?</table>', body, re.S)
    if not m:
        return [], {}
    table = m.group(0)
    years = [int(y) for y in re.findall(r'<th scope="col" class="num">(\d{4})</th>', table)]
    rows = {}
    for code, label, cells in re.findall(
            r'<tr data-figure="([^"]+)"><th scope="row">([^<]*)</th>(.*?)</tr>', table, re.S):
        vals = {int(y): htmllib.unescape(v)
                for y, v in re.findall(r'data-year="(\d{4})">([^<]*)</td>', cells)}
        rows[code] = (htmllib.unescape(label), vals)
    return years, rows


def check_page(body, funds_json, who):
    years, rows = page_table(body)
    check(years == sorted(funds_json), "%s: one column per year with a case %r (got %r)"
          % (who, sorted(funds_json), years))
    check(len(rows) > 30, "%s: the key figures (%d rows)" % (who, len(rows)))
    bad = 0
    for code, (label, vals) in rows.items():
        for y in years:
            want = figure(funds_json[y], code)
            if not same_display(kind_of(code), vals.get(y, "?"), want):
                bad += 1
                check(False, "%s: %s %d shows %r, stats says %r" % (who, code, y, vals.get(y), want))
    check(bad == 0, "%s: every cell equals amiable stats" % who)
    return {label: code for code, (label, _) in rows.items()}


def xlsx_sheet(data, name):
    """The cells of sheet `name` of a workbook: {(row, col): value}, strings
    resolved, numbers as floats; col 0 = A."""
    z = zipfile.ZipFile(io.BytesIO(data))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = None
    for s in wb.find("m:sheets", NS):
        if s.get("name") == name:
            rid = s.get("{%s}id" % NS["r"])
            for r in rels:
                if r.get("Id") == rid:
                    target = "xl/" + r.get("Target").lstrip("/").replace("xl/", "", 1)
    if target is None:
        return None
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    cells = {}
    for c in ET.fromstring(z.read(target)).iter("{%s}c" % NS["m"]):
        ref = c.get("r")
        col_letters = re.match(r"[A-Z]+", ref).group(0)
        col = 0
        for ch in col_letters:
            col = col * 26 + ord(ch) - 64
        row = int(ref[len(col_letters):])
        v = c.find("m:v", NS)
        if v is None:
            continue
        if c.get("t") == "s":
            cells[(row, col - 1)] = strings[int(v.text)]
        elif c.get("t") == "str":
            cells[(row, col - 1)] = v.text
        else:
            cells[(row, col - 1)] = float(v.text)
    return cells


def check_sheet(cells, funds_json, code_of_label, who, years_expected):
    if cells is None:
        check(False, "%s: a sheet « Années »" % who)
        return
    header_row = next((r for (r, c), v in cells.items() if c == 0 and v == "Indicateur"), None)
    check(header_row is not None, "%s: the header row" % who)
    if header_row is None:
        return
    cols = {}
    for (r, c), v in cells.items():
        if r == header_row and c > 0:
            cols[int(v)] = c
    check(sorted(cols) == years_expected, "%s: columns %r (got %r)" % (who, years_expected,
                                                                       sorted(cols)))
    seen = 0
    for (r, c), label in cells.items():
        if c != 0 or r <= header_row or label not in code_of_label:
            continue
        code = code_of_label[label]
        kind = kind_of(code)
        for y, col in cols.items():
            want = figure(funds_json[y], code)
            got = cells.get((r, col))
            if want is None:
                ok = got == "n.d."
            elif kind == "euros":
                ok = isinstance(got, float) and round(got * 100) == want
            else:
                ok = isinstance(got, float) and abs(got - want) < 1e-9
            check(ok, "%s: %s %d is %r, stats says %r" % (who, code, y, got, want))
        seen += 1
    check(seen == len(code_of_label), "%s: every row of the page (%d of %d)"
          % (who, seen, len(code_of_label)))


def screenshot(env, body, shots):
    os.makedirs(shots, exist_ok=True)
    css = os.path.join(amiable.WEB_ROOT, "static", "css", "amiable.css")
    page = body.replace('href="/static/css/amiable.css"', 'href="file://%s"' % os.path.abspath(css))
    path = os.path.join(shots, "years.html")
    open(path, "w", encoding="utf-8").write(page)
    png = os.path.join(shots, "years.png")
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--screenshot=" + png, "--window-size=1400,1900", "file://" + path],
                   capture_output=True, timeout=60)
    check(os.path.exists(png), "screenshot written")


def setup(env):
    add_funds(env)
    add_user(env, "stat", "statistics", "631")
    add_user(env, "admin", "administrator")
    jsonl = os.path.join(os.path.dirname(env.log_path), "cases.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for c in make_cases():
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    env.cli("import", jsonl)
    return jsonl


def scenario(env, _):
    shots = os.environ.get("YEARS_SHOTS")
    j631 = {y: stats(env, y, ["631"]) for y in YEARS["631"]}
    all_years = sorted({y for ys in YEARS.values() for y in ys})
    jall = {y: stats(env, y, []) for y in all_years}
    check(all(j631[y]["received"] > 0 for y in j631), "data: cases in every year of 631")

    stat = Session(env, "stat")
    status, body = stat.get("/chiffres")
    check(status == 200 and 'href="/chiffres/annees?organisme="' in body,
          "the figures page links to the years")
    status, body = stat.get("/chiffres/annees")
    check(status == 200, "stat: /chiffres/annees %d" % status)
    code_of_label = check_page(body, j631, "stat (all my funds = 631)")
    if shots:
        screenshot(env, body, shots)
    status, body = stat.get("/chiffres/annees?organisme=631")
    check_page(body, j631, "stat (631)")
    status, _ = stat.get("/chiffres/annees?organisme=671")
    check(status == 404, "stat: another fund refused (%d)" % status)
    status, _ = stat.get("/chiffres/annees/telecharger?organisme=671")
    check(status == 404, "stat: another fund's workbook refused (%d)" % status)
    status, data = stat.get_bytes("/chiffres/annees/telecharger?organisme=631")
    check(status == 200 and data[:2] == b"PK", "stat: the workbook (%d)" % status)
    check_sheet(xlsx_sheet(data, "Années"), j631, code_of_label, "workbook 631", YEARS["631"])

    admin = Session(env, "admin")
    status, body = admin.get("/chiffres/annees")
    check(status == 200, "admin: /chiffres/annees %d" % status)
    check_page(body, jall, "admin (every fund)")
    status, data = admin.get_bytes("/chiffres/annees/telecharger?organisme=")
    check(status == 200, "admin: the workbook (%d)" % status)
    check_sheet(xlsx_sheet(data, "Années"), jall, code_of_label, "workbook all", all_years)

    # The annual report of 2025 for 631: the sheet « Années » and the series
    # run from the first year with a case (2016) to 2025, empty years at 0.
    span = list(range(2016, 2026))
    jspan = {y: stats(env, y, ["631"]) for y in span}
    check(jspan[2022]["received"] == 0 and jspan[2022]["closed"] == 0, "data: 2022 empty")
    out_dir = shots or os.path.dirname(env.log_path)
    xlsx = os.path.join(out_dir, "rapport-2025-631.xlsx")
    env.cli("report", "--year", "2025", "--organisme", "631", "--as-of", TODAY,
            "--allow-incomplete", "-o", xlsx)
    check_sheet(xlsx_sheet(open(xlsx, "rb").read(), "Années"), jspan, code_of_label,
                "report xlsx", span)
    pdf = os.path.join(out_dir, "rapport-2025-631.pdf")
    env.cli("report", "--year", "2025", "--organisme", "631", "--as-of", TODAY,
            "--allow-incomplete", "-o", pdf)
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                          text=True).stdout
    text = re.sub(r"(?<=\d)[\u202f\u00a0](?=\d{3}\b)", "", text)
    m = re.search(r"Évolution annuelle des demandes(.*?)Part hors médiation :", text, re.S)
    check(m is not None, "pdf: the series table")
    if m:
        for y in span:
            row = re.search(r"^\s*%d\s+(\d+)\s+(\d+)\s+\S+\s*%%?\s+(\d+)" % y, m.group(1), re.M)
            row = row or re.search(r"^\s*%d\s+(\d+)\s+(\d+)\s+n\.d\.\s+(\d+)" % y, m.group(1), re.M)
            f = jspan[y]
            check(row is not None and [int(x) for x in row.groups()] ==
                  [f["received"], f["inadmissible"], f["closed"]],
                  "pdf: series %d %r" % (y, row.groups() if row else None))
    # The online form's inadmissibility reasons, counted here from the data.
    cases = [json.loads(line) for line in open(env.jsonl, encoding="utf-8")]
    flat = re.sub(r"\s+", "", text)
    check("Lesmotifsd'irrecevabilitédesdemandesreçuespartéléprocédure—2024et2025" in flat,
          "pdf: the online form's reasons table")
    csv_path = os.path.join(out_dir, "rapport-2025-631.csv")
    env.cli("report", "--year", "2025", "--organisme", "631", "--as-of", TODAY,
            "--allow-incomplete", "-o", csv_path)
    got = {}
    for f in csv.reader(open(csv_path, encoding="utf-8-sig", newline=""), delimiter=";"):
        if f and f[0] == "teleprocedure_inadmissibility_reason":
            got[(f[1], int(f[3]))] = int(f[4])
    for year in (2024, 2025):
        tele = [c for c in cases if c["organisme"] == "631" and
                c["received_on"].startswith(str(year)) and c.get("channel") == "teleprocedure"
                and c["admissibility"] == "irrecevable"]
        if year == 2025:
            check(len(tele) > 0, "data: inadmissible online requests in 2025")
        want = {r: sum(1 for c in tele if c.get("inadmissibility_reason") == r) for r in REASONS}
        want["unknown"] = sum(1 for c in tele if not c.get("inadmissibility_reason"))
        want["population"] = len(tele)
        if year == 2025:
            known = len(tele) - want["unknown"]
            check(known > 0, "data: online reasons known in 2025")
            check(("Lesmotifsd'irrecevabilitédesdemandesreçuespartéléprocédureen2025" in flat)
                  == (known > 0), "pdf: the online form's reasons chart")
        for code, n in want.items():
            check(got.get((code, year)) == n, "csv: online reasons %s %d = %r, counted %d"
                  % (code, year, got.get((code, year)), n))


def main():
    def setup_keep(env):
        env.jsonl = setup(env)
        return None
    return amiable.main("years_test", "years.db", TODAY, setup_keep, scenario)


if __name__ == "__main__":
    sys.exit(main())
