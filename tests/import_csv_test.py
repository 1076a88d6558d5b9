#!/usr/bin/python3
"""End to end: `amiable import --format csv` and the page /import (issue 10, item 8).

1. A spreadsheet of 30 cases received in 2024 (Windows-1252, `;`, French dates
   and labels, a quoted cell with a line break, no reference column) passes a
   dry run (`--dry-run --json`) that writes nothing; the import then writes the
   30 cases with generated references 631-2024-00001..00030, and
   `amiable stats --json --year 2024` equals the dry run's figures of 2024,
   key for key.
2. The same file with 3 bad lines (an impossible date, an unknown label, an
   amount that is no amount) reports exactly those 3 lines as
   `ligne N : colonne : raison` and writes nothing.
3. The page: a manager checks then imports a file through /import; a mediator
   is refused (403) and the store stays as it was.

Environment: AMIABLE_BIN, the program to test (default build/amiable).
"""
import json
import os
import re
import sys
import tempfile
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amiable import Session, add_user, main  # noqa: E402
from api_test import check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAPPING = os.path.join(ROOT, "docs", "examples", "import-csv-mapping.json")

HEADER = ["Date réception", "Canal", "Émetteur", "N° allocataire", "Démarche préalable",
          "Date démarche", "Recevable", "Motif irrecevabilité", "Prise en charge", "Réponse",
          "Clôture", "Motifs", "Prestations", "Cause", "Foyer", "Activité", "QF",
          "Mode de réponse", "Issue", "Fraude", "Rappel (€)", "Indu annulé (€)", "Observations"]
CHANNELS = ["Courriel", "Téléprocédure", "Courrier", "Formulaire en ligne", "Mail"]
MOTIVES = ["Absence de paiement", "Incompréhension d'une décision",
           "Absence de paiement / Absence de réponse", "Trop-perçu"]
BENEFITS = ["APL", "RSA / Prime d'activité", "AAH", "Paje", "Allocations familiales"]
CAUSES = ["Pas d'erreur Caf", "Délai de traitement", "Réponse Caf inadaptée", "Erreur de liquidation"]
HOUSEHOLDS = ["Personne isolée", "Famille monoparentale", "Couple avec enfant(s)", ""]
ACTIVITIES = ["Salarié", "Chômeur", "Inactif", "Handicapé, invalide"]
ISSUES = ["Décision confirmée", "Décision révisée", "Décision révisée", "Orientation vers un tiers"]


def rows_2024():
    """30 cases of 2024: 24 admissible (20 closed in 2024), 6 inadmissible."""
    rows = []
    for i in range(30):
        month = 1 + i % 11
        day = 2 + (i * 7) % 20
        received = "%02d/%02d/2024" % (day, month)
        inadmissible = i % 5 == 4
        row = {
            "Date réception": received if i % 3 else "%02d/%02d/24" % (day, month),
            "Canal": CHANNELS[i % len(CHANNELS)],
            "Émetteur": "Allocataire" if i % 4 else "Travailleur social",
            "N° allocataire": str(123456 + i) if i % 2 else "%07d" % (1000000 + i),
            "Démarche préalable": "Réclamation" if not inadmissible else "Aucune",
            "Date démarche": "%02d/%02d/2024" % (1, month) if not inadmissible else "",
            "Recevable": "Non" if inadmissible else "Oui",
            "Motif irrecevabilité": "Pas de démarche préalable" if inadmissible else "",
        }
        if not inadmissible:
            taken = "%02d/%02d/2024" % (day + 1, month)
            row.update({
                "Prise en charge": taken if i % 7 else "2024-%02d-%02d" % (month, day + 1),
                "Motifs": MOTIVES[i % len(MOTIVES)],
                "Prestations": BENEFITS[i % len(BENEFITS)],
                "QF": ["420", "1 020", "735,00", ""][i % 4],
                "Fraude": "Non" if i % 6 else "Oui",
            })
            if i % 6 != 5:  # 4 of the 24 stay open
                row.update({
                    "Réponse": "%02d/%02d/2024 00:00" % (day + 5, month),
                    "Clôture": "%02d/%02d/2024" % (day + 6, month),
                    "Cause": CAUSES[i % len(CAUSES)],
                    "Foyer": HOUSEHOLDS[i % len(HOUSEHOLDS)],
                    "Activité": ACTIVITIES[i % len(ACTIVITIES)],
                    "Mode de réponse": "Courriel" if i % 2 else "Courriel, Téléphone",
                    "Issue": ISSUES[i % len(ISSUES)],
                    "Rappel (€)": "1 234,56" if i % 4 == 1 else ("0" if i % 4 == 2 else ""),
                    "Indu annulé (€)": "731,70" if i % 9 == 3 else "",
                })
        row["Observations"] = "Dossier repris ; appel du 3 mars\n« très attendu »" if i == 7 else ""
        rows.append(row)
    return rows


def cell(v, delim):
    if any(c in v for c in (delim, '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v


def to_csv(rows, delim=";", encoding="windows-1252"):
    lines = [delim.join(cell(h, delim) for h in HEADER)]
    for r in rows:
        lines.append(delim.join(cell(r.get(h, ""), delim) for h in HEADER))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def write(tmp, name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def count_cases(env):
    out = env.cli("export", "--organisme", "631").stdout
    return len([line for line in out.splitlines() if line.strip()])


def setup(env):
    env.cli("organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
            "--zone", "metropole", "--region", "84")
    add_user(env, "resp", "manager", "631")
    add_user(env, "med", "mediator", "631")
    return {}


def cli_checks(env, tmp):
    # The example of docs/import-csv.md passes as it is.
    example = os.path.join(ROOT, "docs", "examples", "import-csv-exemple.csv")
    r = env.cli("import", "--format", "csv", "--mapping", MAPPING, "--organisme", "631",
                "--dry-run", "--json", example, ok=False)
    check(r.returncode == 0, "the documented example passes: %s" % r.stderr)
    if r.returncode == 0:
        check(json.loads(r.stdout)["cases"] == 4, "the example has 4 cases")

    rows = rows_2024()
    good = write(tmp, "dossiers-2024.csv", to_csv(rows))
    with open(good, "rb") as f:
        raw = f.read()
    check(b"\xe9" in raw, "the file is Windows-1252 (é as one byte)")

    # 1. The dry run writes nothing and gives the figures.
    r = env.cli("import", "--format", "csv", "--mapping", MAPPING, "--organisme", "631",
                "--dry-run", "--json", good, ok=False)
    check(r.returncode == 0, "dry run passes: %s" % r.stderr)
    dry = json.loads(r.stdout) if r.returncode == 0 else {}
    check(dry.get("cases") == 30, "dry run: 30 cases (%s)" % dry.get("cases"))
    check(dry.get("generated_references") == 30, "dry run: 30 references to generate")
    check(dry.get("encoding") == "windows-1252", "encoding detected: %s" % dry.get("encoding"))
    check(dry.get("delimiter") == ";", "delimiter detected: %s" % dry.get("delimiter"))
    check(list(dry.get("figures", {}).keys()) == ["2024"], "figures of 2024 only")
    check(count_cases(env) == 0, "the dry run wrote nothing")

    # The human dry run too.
    r = env.cli("import", "--format", "csv", "--mapping", MAPPING, "--organisme", "631",
                "--dry-run", good, ok=False)
    check(r.returncode == 0 and "30 cas importables" in r.stdout, "human dry run: %s" % r.stdout)

    # 2. The import, then stats = the dry run's figures.
    r = env.cli("import", "--format", "csv", "--mapping", MAPPING, "--organisme", "631", good,
                ok=False)
    check(r.returncode == 0 and "30 cas importés" in r.stdout, "import: %s %s" % (r.stdout, r.stderr))
    check(count_cases(env) == 30, "30 cases stored")
    refs = sorted(json.loads(line)["reference"]
                  for line in env.cli("export", "--organisme", "631").stdout.splitlines())
    check(refs == ["631-2024-%05d" % n for n in range(1, 31)], "generated references: %s" % refs[:3])
    stats = json.loads(env.cli("stats", "--json", "--year", "2024").stdout)
    expected = dry.get("figures", {}).get("2024")
    check(stats == expected, "stats --json --year 2024 equals the dry run's figures")
    if stats != expected and expected:
        for k in stats:
            if stats[k] != expected.get(k):
                print("  differs: %s: %s vs %s" % (k, stats[k], expected.get(k)))
    check(stats["received"] == 30 and stats["inadmissible"] == 6, "30 received, 6 inadmissible")
    check(stats["closed"] == 20, "20 closed: %s" % stats["closed"])
    check(stats["by_channel"]["teleprocedure"] > 0 and stats["by_channel"]["courriel"] > 0,
          "labels mapped (Formulaire en ligne, Mail)")
    check(stats["financial"]["rappel"]["amount_cents"] % 123456 == 0
          and stats["financial"]["rappel"]["count"] > 0, "amounts in euros read as cents")

    # 3. Three bad lines: exactly those three problems, nothing written.
    bad_rows = rows_2024()
    bad_rows[2]["Date réception"] = "31/02/2024"          # line 4
    bad_rows[10]["Canal"] = "Pigeon voyageur"              # line 12
    bad_rows[20]["Rappel (€)"] = "beaucoup"                # line 22
    bad_rows[20]["Recevable"] = "Oui"
    bad_rows[20]["Clôture"] = bad_rows[20].get("Clôture") or "28/11/2024"
    bad = write(tmp, "dossiers-mauvais.csv", to_csv(bad_rows, delim=",", encoding="utf-8"))
    before = count_cases(env)
    r = env.cli("import", "--format", "csv", "--mapping", MAPPING, "--organisme", "631", bad,
                ok=False)
    check(r.returncode != 0, "bad file refused")
    problems = [line for line in r.stderr.splitlines() if line.startswith("ligne ")]
    check(len(problems) == 3, "exactly 3 problems: %s" % problems)
    want = [r"^ligne 4 : Date réception : date illisible « 31/02/2024 »",
            r"^ligne 12 : Canal : libellé inconnu « Pigeon voyageur »",
            r"^ligne 22 : Rappel \(€\) : montant illisible « beaucoup »"]
    for w, p in zip(want, problems):
        check(re.search(w, p) is not None, "%s ~ %s" % (p, w))
    check(count_cases(env) == before, "the bad file wrote nothing")


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                % (boundary, k, v)).encode()
    for k, (name, data) in files.items():
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (boundary, k, name)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, "multipart/form-data; boundary=" + boundary


def post_multipart(s, fields, files):
    body, ctype = multipart(fields, files)
    req = urllib.request.Request(s.env.base + "/import", data=body, method="POST")
    req.add_header("Content-Type", ctype)
    try:
        with s.opener.open(req, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def page_checks(env, tmp):
    rows = rows_2024()[:5]
    for r in rows:
        r["Date réception"] = r["Date réception"].replace("2024", "2025").replace("/24", "/25")
        for k in ("Date démarche", "Prise en charge", "Réponse", "Clôture"):
            if r.get(k):
                r[k] = r[k].replace("2024", "2025")
    data = to_csv(rows, delim=";", encoding="utf-8")
    with open(MAPPING, "rb") as f:
        mapping = f.read()
    before = count_cases(env)

    med = Session(env, "med")
    status, _ = med.get("/import")
    check(status == 403, "a mediator may not open /import: %d" % status)
    status, _ = post_multipart(med, {"csrf": med.csrf, "organisme": "631", "action": "importer"},
                               {"fichier": ("a.csv", data), "correspondance": ("m.json", mapping)})
    check(status == 403, "a mediator may not import: %d" % status)
    check(count_cases(env) == before, "nothing written for the mediator")

    resp = Session(env, "resp")
    status, page = resp.get("/import")
    check(status == 200 and "Importer des dossiers" in page, "manager opens /import: %d" % status)
    status, page = post_multipart(resp, {"csrf": resp.csrf, "organisme": "631",
                                         "action": "verifier"},
                                  {"fichier": ("a.csv", data), "correspondance": ("m.json", mapping)})
    check(status == 200 and "Vérification réussie" in page, "dry run on the page: %d" % status)
    check("Année 2025" in page, "the page shows the figures of 2025")
    check(count_cases(env) == before, "the page's dry run wrote nothing")
    csv_b64 = re.search(r'name="fichier_b64" value="([^"]*)"', page)
    map_b64 = re.search(r'name="correspondance_b64" value="([^"]*)"', page)
    check(csv_b64 is not None and map_b64 is not None, "the page carries the files back")
    if csv_b64 and map_b64:
        status, page = post_multipart(resp, {"csrf": resp.csrf, "organisme": "631",
                                             "action": "importer", "encodage": "",
                                             "separateur": "",
                                             "fichier_b64": csv_b64.group(1),
                                             "correspondance_b64": map_b64.group(1)}, {})
        check(status == 200 and "5 dossiers importés" in page, "import on the page: %d" % status)
        check(count_cases(env) == before + 5, "5 cases written by the page")
    # Without the CSRF token: refused.
    status, _ = post_multipart(resp, {"organisme": "631", "action": "importer"},
                               {"fichier": ("a.csv", data), "correspondance": ("m.json", mapping)})
    check(status == 403, "no CSRF token: 403 (%d)" % status)


def scenario(env, state):
    with tempfile.TemporaryDirectory() as tmp:
        cli_checks(env, tmp)
        page_checks(env, tmp)


if __name__ == "__main__":
    sys.exit(main("import_csv_test", "import.db", "2026-01-15", setup, scenario))
