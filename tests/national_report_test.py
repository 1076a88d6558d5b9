#!/usr/bin/env python3
"""The national report (issue 10, part 5) end to end, on a multi-fund data set
made by `amiable demo generate`, one fund of which is the national pole
(`amiable settings set deployment.national_pole C`):

- `amiable report --national --format csv`: every fund's figures (received,
  inadmissible and its share, closed, the delays, each quarter's 8-day
  indicator, the yearly rate) equal `amiable stats --json --organisme C`, and
  those of all funds equal `amiable stats --json` over every fund but the
  pole; the pole is in no total, shown apart;
- PDF, XLSX and HTML are produced; the PDF names the pole and the sections;
- the workspace: the national role opens /rapport/national and downloads
  the PDF, a mediator gets 403;
- `amiable settings`: get, set, a fund that does not exist refused in French.

Drives the real binary ($AMIABLE_BIN) on SQLite; standard library plus
pdftotext (poppler-utils).
"""
import csv
import io
import json
import os
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import check  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_user  # noqa: E402

TODAY = "2026-02-02"
YEAR = 2025
AS_OF = "2026-01-31"
STATE = {}


def setup(env):
    tmp = os.path.dirname(env.db[len("sqlite:"):])
    data = os.path.join(tmp, "national.jsonl")
    funds_file = os.path.join(tmp, "funds.tsv")
    env.cli("demo", "generate", "--funds", "7", "--years", "2", "--cases-per-year", "60",
            "--until", "2025-12-31", "-o", data, "--funds-file", funds_file)
    codes = []
    for line in open(funds_file, encoding="utf-8"):
        code, zone, region, name = line.rstrip("\n").split("\t")
        env.cli("organisme", "add", "--code", code, "--zone", zone, "--region", region,
                "--name", name)
        codes.append(code)
    env.cli("import", data)
    pole = sorted(codes)[-1]
    r = env.cli("settings", "set", "deployment.national_pole", pole)
    check(pole in r.stdout, "settings set prints the value: %r" % r.stdout)
    add_user(env, "nat", "national")
    add_user(env, "admin", "administrator")
    add_user(env, "m1", "mediator", sorted(codes)[0])
    add_user(env, "m2", "mediator", sorted(codes)[0])
    STATE.update(codes=sorted(codes), pole=pole, tmp=tmp)
    return STATE


def number(text):
    return None if text == "" else float(text.replace(",", "."))


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    check(rows[0] == ["section", "code", "label", "year", "count", "share"],
          "CSV header: %r" % rows[0])
    points = {}
    for section, code, label, year, count, share in rows[1:]:
        points[(section, code, int(year))] = (number(count), number(share))
    return points


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def stats(env, codes, year=YEAR):
    args = ["stats", "--year", str(year), "--as-of", AS_OF, "--json"]
    for c in codes:
        args += ["--organisme", c]
    return json.loads(env.cli(*args).stdout)


def compare(points, section, prefix, s, what, year=YEAR):
    """The data points `prefix`.* of `section` against the stats JSON `s`."""
    def get(code):
        key = (section, prefix + "." + code, year)
        check(key in points, "%s: no data point %s" % (what, key))
        return points.get(key, (None, None))

    def same(code, count, share=None, with_share=False):
        c, sh = get(code)
        check(close(c, count), "%s %s: count %r, stats %r" % (what, code, c, count))
        if with_share:
            check(close(sh, share), "%s %s: share %r, stats %r" % (what, code, sh, share))

    same("received", s["received"])
    same("inadmissible", s["inadmissible"], s["inadmissible_rate"], True)
    same("closed", s["closed"])
    for k in ("take_charge_working_days_avg", "answer_working_days_avg",
              "answer_calendar_days_avg"):
        same(k, s["delays"][k])
    met = measured = 0
    for q in s["quarterly_take_charge"]:
        n = q["quarter"]
        same("q%d.met" % n, q["met"], q["rate"], True)
        same("q%d.missed" % n, q["missed"])
        met += q["met"]
        measured += q["met"] + q["missed"]
    same("year_take_charge", met, met / measured if measured else None, True)


def scenario(env, state):
    codes, pole, tmp = state["codes"], state["pole"], state["tmp"]
    others = [c for c in codes if c != pole]
    r = env.cli("settings", "get", "deployment.national_pole")
    check(r.stdout.strip() == pole, "settings get: %r" % r.stdout)
    r = env.cli("settings", "set", "deployment.national_pole", "999", ok=False)
    check(r.returncode == 2 and "999" in r.stderr and "pôle national" in r.stderr,
          "an unknown fund is refused in French: %d %r" % (r.returncode, r.stderr))
    r = env.cli("settings", "set", "deployment.inconnu", "1", ok=False)
    check(r.returncode == 2 and "paramètre inconnu" in r.stderr, "unknown key: %r" % r.stderr)
    r = env.cli("report", "--national", "--organisme", codes[0], "--year", str(YEAR),
                "-o", os.path.join(tmp, "x.pdf"), ok=False)
    check(r.returncode == 2 and "--national" in r.stderr, "--national with --organisme: %r" %
          r.stderr)

    # The figures: CSV against `amiable stats`.
    out = os.path.join(tmp, "national.csv")
    env.cli("report", "--national", "--year", str(YEAR), "--as-of", AS_OF, "-o", out)
    points = read_csv(out)
    for c in others:
        compare(points, "funds", c, stats(env, [c]), "fund " + c)
        check(("funds", "pole." + c + ".received", YEAR) not in points, "%s is not the pole" % c)
    check(("funds", pole + ".received", YEAR) not in points, "the pole is not among the funds")
    compare(points, "funds", "pole." + pole, stats(env, [pole]), "the pole")
    nation = stats(env, others)
    compare(points, "key_figures", "all", nation, "all funds")
    compare(points, "key_figures", "all", stats(env, others, YEAR - 1), "all funds Y-1", YEAR - 1)
    everyone = stats(env, [])
    check(everyone["received"] != nation["received"],
          "the pole's requests make a difference (else the test proves nothing)")
    check(points[("key_figures", "all.received", YEAR)][0] == nation["received"],
          "all funds leave the pole out")

    # The other formats.
    pdf = os.path.join(tmp, "national.pdf")
    r = env.cli("report", "--national", "--year", str(YEAR), "--as-of", AS_OF, "-o", pdf)
    data = open(pdf, "rb").read()
    check(data[:5] == b"%PDF-", "a PDF")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True).stdout.decode()
    for needle in ("Rapport national", "Le réseau de la médiation", "Les chiffres par région",
                   "Les chiffres par Caf", "La dispersion des délais", "Pôle national",
                   "Les préconisations de l'ensemble des Caf", pole):
        check(needle in text, "the PDF shows %r" % needle)
    xlsx = os.path.join(tmp, "national.xlsx")
    env.cli("report", "--national", "--year", str(YEAR), "--as-of", AS_OF, "-o", xlsx)
    with zipfile.ZipFile(xlsx) as z:
        check(any(n.startswith("xl/worksheets/") for n in z.namelist()), "an XLSX workbook")
    html = os.path.join(tmp, "national.html")
    env.cli("report", "--national", "--year", str(YEAR), "--as-of", AS_OF, "-o", html)
    check("<svg" in open(html, encoding="utf-8").read(), "the HTML draws its charts")
    if os.environ.get("NATIONAL_KEEP"):
        import shutil
        shutil.copy(pdf, os.environ["NATIONAL_KEEP"])

    # The workspace.
    nat = Session(env, "nat")
    status, body = nat.get("/rapport/national?annee=%d" % YEAR)
    check(status == 200 and "Rapport national" in body and pole in body,
          "the national role opens /rapport/national: %d" % status)
    status, data = nat.get_bytes("/rapport/national/telecharger?annee=%d&format=pdf" % YEAR)
    check(status == 200 and data[:5] == b"%PDF-", "the national role downloads the PDF: %d" %
          status)
    status, data = nat.get_bytes("/rapport/national/telecharger?annee=%d&format=csv" % YEAR)
    check(status == 200 and b"all.received" in data, "and the CSV: %d" % status)
    status, _ = nat.get_bytes("/rapport/national/telecharger?annee=%d&format=doc" % YEAR)
    check(status == 400, "an unknown format: %d" % status)
    for fund in codes:
        status, _ = nat.get("/rapport?annee=%d&organisme=%s" % (YEAR, fund))
        check(status == 200, "the national role opens the report of %s: %d" % (fund, status))
    status, _ = nat.get("/dossiers")
    check(status == 403, "the national role has no case list: %d" % status)
    m1 = Session(env, "m1")
    status, _ = m1.get("/rapport/national?annee=%d" % YEAR)
    check(status == 403, "a mediator may not open the national report: %d" % status)
    status, _ = m1.get_bytes("/rapport/national/telecharger?annee=%d&format=pdf" % YEAR)
    check(status == 403, "nor download it: %d" % status)
    status, _ = Session(env, "admin").get("/rapport/national?annee=%d" % YEAR)
    check(status == 200, "an administrator opens it: %d" % status)


if __name__ == "__main__":
    sys.exit(amiable.main("national_report_test", "national.db", TODAY, setup, scenario))
