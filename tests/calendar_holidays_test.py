#!/usr/bin/python3
"""Independent check of `amiable calendar` against domain.md §4.

The holiday rules are restated here from the domain text and Easter comes
from dateutil (a computus independent of the C++ one). For every zone and
every supported year (1900-2199, a superset of 1990-2100), with and without the Whit Monday setting, the dates,
their count and their names must match the program's JSON output. A sample
of working-days and deadline calls is checked against naive day-by-day
counting, and bad input must fail with one line on stderr and a non-zero
exit.

Environment: AMIABLE_BIN, the program to test (default build/amiable).
"""

import datetime as dt
import json
import os
import random
import subprocess
import sys
import time

from dateutil.easter import easter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AMIABLE_BIN") or os.path.join(ROOT, "build", "amiable")

FIRST_YEAR, LAST_YEAR = 1900, 2199  # all supported years, one run per zone and setting
ZONES = ["metropole", "alsace_moselle", "guadeloupe", "martinique", "guyane", "reunion", "mayotte"]
OVERSEAS_FROM = 1983

# (month, day) -> name, every zone.
COMMON_FIXED = {
    (1, 1): "Jour de l'an",
    (5, 1): "Fête du Travail",
    (5, 8): "Victoire 1945",
    (7, 14): "Fête nationale",
    (8, 15): "Assomption",
    (11, 1): "Toussaint",
    (11, 11): "Armistice 1918",
    (12, 25): "Noël",
}
# Days after Easter Sunday -> name, every zone.
COMMON_EASTER = {1: "Lundi de Pâques", 39: "Ascension", 50: "Lundi de Pentecôte"}
WHIT_MONDAY = 50
GOOD_FRIDAY = -2
ABOLITION = "Abolition de l'esclavage"
# zone -> (first year or None, easter offsets, fixed days)
EXTRA = {
    "metropole": (None, {}, {}),
    "alsace_moselle": (None, {GOOD_FRIDAY: "Vendredi saint"}, {(12, 26): "Saint-Étienne"}),
    "guadeloupe": (OVERSEAS_FROM, {GOOD_FRIDAY: "Vendredi saint"}, {(5, 27): ABOLITION}),
    "martinique": (OVERSEAS_FROM, {GOOD_FRIDAY: "Vendredi saint"}, {(5, 22): ABOLITION}),
    "guyane": (OVERSEAS_FROM, {}, {(6, 10): ABOLITION}),
    "reunion": (OVERSEAS_FROM, {}, {(12, 20): ABOLITION}),
    "mayotte": (OVERSEAS_FROM, {}, {(4, 27): ABOLITION}),
}

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        if len(failures) <= 30:
            print("FAIL:", what, file=sys.stderr)


def expected_holidays(zone, year, whit_worked):
    """date -> list of holiday names falling on it."""
    e = easter(year)
    days = {}

    def add(d, name):
        days.setdefault(d, []).append(name)

    for (m, d), name in COMMON_FIXED.items():
        add(dt.date(year, m, d), name)
    for offset, name in COMMON_EASTER.items():
        if offset == WHIT_MONDAY and whit_worked:
            continue
        add(e + dt.timedelta(days=offset), name)
    since, offsets, fixed = EXTRA[zone]
    if since is None or year >= since:
        for offset, name in offsets.items():
            add(e + dt.timedelta(days=offset), name)
        for (m, d), name in fixed.items():
            add(dt.date(year, m, d), name)
    return days


def is_working(zone, d, whit_worked, cache={}):
    key = (zone, d.year, whit_worked)
    if key not in cache:
        cache[key] = set(expected_holidays(zone, d.year, whit_worked))
    return d.isoweekday() <= 5 and d not in cache[key]


def naive_working_days(zone, a, b, whit_worked=False):
    n, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        n += is_working(zone, d, whit_worked)
    return n


def naive_deadline(zone, a, n, whit_worked=False):
    d = a
    while n > 0:
        d += dt.timedelta(days=1)
        n -= is_working(zone, d, whit_worked)
    return d


spawns = 0


def run(*args):
    global spawns
    spawns += 1
    return subprocess.run([BIN, "calendar", *args], capture_output=True, text=True)


def check_year_json(zone, whit, obj, raw_line):
    year = obj.get("year")
    where = f"{zone} {year}{' whit-worked' if whit else ''}"
    check(obj.get("zone") == zone, f"{where}: zone {obj.get('zone')!r}")
    check(list(obj) == ["zone", "year", "holidays"], f"{where}: keys {list(obj)}")
    want = expected_holidays(zone, year, whit)
    got = obj.get("holidays", [])
    got_dates = [h["date"] for h in got]
    want_dates = sorted(d.isoformat() for d in want)
    check(len(got) == len(want), f"{where}: {len(got)} holidays, expected {len(want)}")
    check(got_dates == want_dates, f"{where}: dates {got_dates} != {want_dates}")
    for h in got:
        names = want.get(dt.date.fromisoformat(h["date"]), [])
        if len(names) == 1:
            check(h["name"] == names[0], f"{where} {h['date']}: {h['name']!r} != {names[0]!r}")
        else:  # several holidays on one day: one entry naming them all
            check(all(n in h["name"] for n in names), f"{where} {h['date']}: {h['name']!r} lacks {names}")
    check("\\u" not in raw_line, f"{where}: accents escaped in JSON")


def test_holidays_every_zone_and_year():
    years = 0
    for zone in ZONES:
        for whit in (False, True):
            args = ["holidays", "--zone", zone, "--year", str(FIRST_YEAR), "--to-year", str(LAST_YEAR), "--json"]
            if whit:
                args.append("--whit-monday-worked")
            p = run(*args)
            check(p.returncode == 0, f"{' '.join(args)}: exit {p.returncode} {p.stderr.strip()}")
            lines = p.stdout.splitlines()
            check(len(lines) == LAST_YEAR - FIRST_YEAR + 1, f"{zone}: {len(lines)} lines")
            for expected_year, line in zip(range(FIRST_YEAR, LAST_YEAR + 1), lines):
                obj = json.loads(line)
                check(obj.get("year") == expected_year, f"{zone}: year {obj.get('year')} != {expected_year}")
                check_year_json(zone, whit, obj, line)
                years += 1
    return years


def test_single_year_output():
    # The documented one-year form, exactly, for one zone and year.
    p = run("holidays", "--zone", "alsace_moselle", "--year", "2025", "--json")
    want = (
        '{"zone":"alsace_moselle","year":2025,"holidays":['
        '{"date":"2025-01-01","name":"Jour de l\'an"},{"date":"2025-04-18","name":"Vendredi saint"},'
        '{"date":"2025-04-21","name":"Lundi de Pâques"},{"date":"2025-05-01","name":"Fête du Travail"},'
        '{"date":"2025-05-08","name":"Victoire 1945"},{"date":"2025-05-29","name":"Ascension"},'
        '{"date":"2025-06-09","name":"Lundi de Pentecôte"},{"date":"2025-07-14","name":"Fête nationale"},'
        '{"date":"2025-08-15","name":"Assomption"},{"date":"2025-11-01","name":"Toussaint"},'
        '{"date":"2025-11-11","name":"Armistice 1918"},{"date":"2025-12-25","name":"Noël"},'
        '{"date":"2025-12-26","name":"Saint-Étienne"}]}\n'
    )
    check(p.returncode == 0 and p.stdout == want, f"alsace_moselle 2025 JSON: {p.stdout!r}")
    # One spawn per year for a sample of zones and years, including the
    # edges of the supported range and of the overseas rule.
    for zone in ZONES:
        for year in (1900, 1982, 1983, 2019, 2199):
            p = run("holidays", "--zone", zone, "--year", str(year), "--json")
            check(p.returncode == 0 and p.stdout.count("\n") == 1, f"{zone} {year}: {p.stderr.strip()}")
            if p.returncode == 0:
                check_year_json(zone, False, json.loads(p.stdout), p.stdout)
    # The readable list: French dates and names.
    p = run("holidays", "--zone", "metropole", "--year", "2025")
    check(p.returncode == 0 and "14/07/2025" in p.stdout and "Fête nationale" in p.stdout,
          f"text list: {p.stdout!r}")


def test_working_days_and_deadline():
    cases = [
        # domain.md §4 examples: same day, Friday -> Monday, Saturday -> Monday.
        ("metropole", "2025-01-08", "2025-01-08", 0),
        ("metropole", "2025-01-10", "2025-01-13", 1),
        ("metropole", "2025-01-11", "2025-01-13", 1),
        ("alsace_moselle", "2025-04-17", "2025-04-22", 1),
        ("metropole", "2025-04-17", "2025-04-22", 2),
    ]
    rng = random.Random(20250101)
    for _ in range(30):
        zone = rng.choice(ZONES)
        a = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(40000))
        b = a + dt.timedelta(days=rng.randrange(400))
        cases.append((zone, a.isoformat(), b.isoformat(), None))
    for zone, a, b, want in cases:
        da, db = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        naive = naive_working_days(zone, da, db)
        if want is not None:
            check(naive == want, f"python reference {zone} {a} {b}: {naive} != {want}")
        p = run("working-days", "--zone", zone, a, b)
        check(p.returncode == 0 and p.stdout == f"{naive}\n",
              f"working-days {zone} {a} {b}: {p.stdout!r} {p.stderr!r}, expected {naive}")

    deadlines = [
        ("metropole", "2025-04-17", 8, False),
        ("alsace_moselle", "2025-12-23", 8, False),
        ("metropole", "2025-06-06", 1, True),
        ("guyane", "2019-06-07", 1, True),
    ]
    for _ in range(20):
        zone = rng.choice(ZONES)
        a = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(40000))
        deadlines.append((zone, a.isoformat(), rng.randrange(0, 60), rng.random() < 0.3))
    for zone, a, n, whit in deadlines:
        want = naive_deadline(zone, dt.date.fromisoformat(a), n, whit).isoformat()
        args = ["deadline", "--zone", zone, a, str(n)] + (["--whit-monday-worked"] if whit else [])
        p = run(*args)
        check(p.returncode == 0 and p.stdout == want + "\n",
              f"{' '.join(args)}: {p.stdout!r} {p.stderr!r}, expected {want}")
    p = run("deadline", "--zone", "metropole", "2025-01-06")
    check(p.stdout == "2025-01-16\n", f"deadline default N: {p.stdout!r}")


def test_errors():
    bad = [
        ["holidays", "--zone", "paris", "--year", "2025"],
        ["holidays", "--zone", "metropole", "--year", "1899"],
        ["holidays", "--zone", "metropole", "--year", "2200"],
        ["holidays", "--zone", "metropole", "--year", "20x5"],
        ["working-days", "--zone", "metropole", "2025-01-13", "2025-01-10"],  # TO before FROM
        ["working-days", "--zone", "metropole", "2025-02-30", "2025-03-01"],
        ["working-days", "--zone", "metropole", "13/01/2025", "2025-03-01"],
        ["working-days", "--zone", "metropole", "1899-12-31", "2025-03-01"],
        ["working-days", "--zone", "nowhere", "2025-01-10", "2025-01-13"],
        ["deadline", "--zone", "metropole", "2025-13-01", "8"],
        ["deadline", "--zone", "metropole", "2025-01-06", "-1"],
        ["deadline", "--zone", "metropole", "2199-12-01", "100"],  # past 2199
    ]
    for args in bad:
        p = run(*args)
        err = p.stderr.strip().splitlines()
        check(p.returncode != 0 and p.stdout == "" and len(err) == 1 and err[0].startswith("amiable: "),
              f"{' '.join(args)}: exit {p.returncode}, stdout {p.stdout!r}, stderr {p.stderr!r}")
    for args in (["holidays", "--year", "2025"], ["working-days", "--zone", "metropole", "2025-01-10"]):
        p = run(*args)
        check(p.returncode != 0, f"{' '.join(args)}: exit {p.returncode}")
    for sub in ("holidays", "working-days", "deadline"):
        p = run(sub, "--help")
        check(p.returncode == 0 and "--zone" in p.stdout, f"{sub} --help: exit {p.returncode}")


def main():
    if not os.access(BIN, os.X_OK):
        print(f"calendar_holidays_test: no program at {BIN} (set AMIABLE_BIN)", file=sys.stderr)
        return 1
    start = time.monotonic()
    years = test_holidays_every_zone_and_year()
    test_single_year_output()
    test_working_days_and_deadline()
    test_errors()
    elapsed = time.monotonic() - start
    if failures:
        print(f"calendar_holidays_test: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print(f"calendar_holidays_test: ok ({years} zone-years, {spawns} runs, {elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
