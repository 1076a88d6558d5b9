#!/usr/bin/env python3
"""The workspace's « Météo et chiffres de contexte » page (/rapport/meteo,
issue 10) on the real binary ($AMIABLE_BIN): the national role types the
Cnaf and all-funds figures (decimals with a comma), a mediator his fund's
year-before figures and its context figures; a mediator may not type the
national figures (403); bad numbers are refused in French naming the field,
the values kept in the form; what was typed is in the report the command
line produces (same database, same report directory).
Standard library only.
"""
import html as htmllib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import check  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_funds, add_user  # noqa: E402


def setup(env):
    add_funds(env)
    add_user(env, "nat", "national")
    add_user(env, "m1", "mediator", "631")
    add_user(env, "lecteur", "statistics", "631")
    return None


def flat(text):
    return re.sub(r"[\u202f\u00a0 ]+", " ", text)


def scenario(env, _):
    nat = Session(env, "nat")
    status, page = nat.get("/rapport/meteo?annee=2025")
    check(status == 200, "national: page %d" % status)
    check("Cnaf (pôle national) 2025" in page and "Ensemble des Caf 2024" in page,
          "national: the national forms")
    status, _ = nat.post("/rapport/meteo/chiffres", {
        "annee": "2025", "organisme": "", "scope": "all_funds", "scope_year": "2025",
        "take_charge_working_days": "5,12", "answer_working_days": "22.80",
        "answer_calendar_days": "", "closed": "24 579", "inadmissible": "9054"})
    check(status in (302, 303) and "ok=page.saved" in (nat.location or ""),
          "national: all funds typed (%d %r)" % (status, nat.location))
    status, page = nat.post("/rapport/meteo/chiffres", {
        "annee": "2025", "organisme": "", "scope": "national_pole", "scope_year": "2025",
        "take_charge_working_days": "quatre", "closed": "189"})
    page = htmllib.unescape(page)
    check(status == 400 and "Délai de prise en charge (jours ouvrés) : « quatre » n'est pas un "
          "nombre positif" in page and 'value="189"' in page,
          "national: a bad number refused in French, the form kept (%d)" % status)
    status, page = nat.get("/rapport/meteo?annee=2025")
    check('value="5,12"' in page and "24\u202f579" in page and "Chiffres saisis le" in page,
          "national: the typed figures shown again")

    m1 = Session(env, "m1")
    status, page = m1.get("/rapport/meteo?annee=2025&organisme=631")
    check(status == 200 and "Cnaf (pôle national)" not in page and "Caf 631 2024" in page,
          "mediator: only his fund's form")
    status, _ = m1.post("/rapport/meteo/chiffres", {
        "annee": "2025", "organisme": "631", "scope": "all_funds", "scope_year": "2025",
        "closed": "1"})
    check(status == 403, "mediator: national figures refused (%d)" % status)
    status, _ = m1.post("/rapport/meteo/chiffres", {
        "annee": "2025", "organisme": "631", "scope": "fund", "scope_year": "2024",
        "take_charge_working_days": "1,79", "answer_working_days": "9,47", "closed": "155",
        "inadmissible": "65"})
    check(status in (302, 303), "mediator: his fund's 2024 figures typed (%d)" % status)
    status, page = m1.post("/rapport/meteo/contexte", {
        "annee": "2025", "organisme": "631", "beneficiaries": "133 331",
        "national_beneficiaries": "12 888 188", "all_funds_requests": "35 555",
        "complaints": "27149", "complaints_within_10_days": "194 %",
        "complaints_mean_days": "5,9", "source": "Cnaf"})
    check(status == 400 and "n'est pas un pourcentage entre 0 et 100" in htmllib.unescape(page),
          "mediator: a bad percentage refused (%d)" % status)
    status, _ = m1.post("/rapport/meteo/contexte", {
        "annee": "2025", "organisme": "631", "beneficiaries": "133 331",
        "national_beneficiaries": "12 888 188", "all_funds_requests": "35 555",
        "complaints": "27149", "complaints_within_10_days": "94,34 %",
        "complaints_mean_days": "5,9", "source": "Cnaf, données au 30/06/2025"})
    check(status in (302, 303), "mediator: context figures saved (%d)" % status)
    lecteur = Session(env, "lecteur")
    status, page = lecteur.get("/rapport/meteo?annee=2025&organisme=631")
    check(status == 200 and "/rapport/meteo/contexte" not in page and
          "/rapport/meteo/chiffres" not in page, "statistics reader: no form")

    out = os.path.join(os.path.dirname(env.log_path), "r.html")
    env.cli("report", "--year", "2025", "--organisme", "631", "-o", out, "--allow-incomplete")
    html = flat(open(out, encoding="utf-8").read())
    check("Ensemble des Caf 2025" in html and "24 579" in html and "5,12 j" in html,
          "report: the typed all-funds figures")
    check("Caf 631 2024 et 2025" not in html and "Caf 631 2024 : saisis le" in html,
          "report: the fund's 2024 column from the typed figures, said")
    check("133 331 allocataires au 30 juin 2025, soit 1,03 %" in html,
          "report: the context share")


if __name__ == "__main__":
    sys.exit(amiable.main("meteo pages", "meteo.db", "2026-01-20", setup, scenario))
