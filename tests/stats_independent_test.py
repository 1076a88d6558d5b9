#!/usr/bin/python3
"""Independent check of `amiable stats --json` against domain.md §5 and §8.

A seeded random data set (a few thousand cases, three funds in three zones:
receptions on weekends and public holidays, unknown values, null and empty
lists, family quotients on the bracket limits, cases received one year and
closed the next, cases not yet taken in charge, inadmissible cases) is
written as JSON Lines, imported into a throwaway SQLite database through the
command line, and the figures are recomputed here from the definitions with
no code shared with the C++ (holidays from dateutil's Easter, working days
counted day by day). Every key of the JSON is compared (numbers within 1e-9,
nulls equal) for one fund, two funds and all funds, several years and two
days of computation. The worked example of tests/fixtures/examples is checked
the same way, and bad arguments must fail with one line on stderr.

Environment: AMIABLE_BIN, the program to test (default build/amiable).
"""

import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile

from dateutil.easter import easter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AMIABLE_BIN") or os.path.join(ROOT, "build", "amiable")
EXAMPLES = os.path.join(ROOT, "tests", "fixtures", "examples")
SEED = 20260115
N_CASES = 3000

# Nomenclatures of domain.md §3, in domain order.
NOMS = {
    "inadmissibility_reason": ["absence_demarche_prealable", "demande_renseignement", "envoi_pieces",
                               "hors_champ", "litige_prive", "mediation_familiale",
                               "recours_contentieux", "remise_dette", "denonciation", "autre"],
    "channel": ["teleprocedure", "courriel", "courrier", "interne", "telephone", "accueil"],
    "emitter": ["allocataire", "tiers", "partenaire", "caf_cnaf", "mediateur_externe",
                "defenseur_droits", "institution", "service_interne"],
    "prior_step": ["reclamation", "recours_amiable", "recours_contentieux", "aucune"],
    "cause": ["pas_erreur_caf", "erreur_legislation", "erreur_liquidation", "reponse_inadaptee",
              "absence_reponse", "delai_traitement", "dysfonctionnement_informatique"],
    "household": ["isole", "monoparentale", "couple_avec_enfants", "couple_sans_enfant"],
    "activity": ["salarie_eti", "chomeur", "inactif", "handicap_invalide"],
    "qf_bracket": ["0_500", "501_1000", "1001_plus"],
    "resolution": ["confirmee", "revisee", "orientation_externe", "desistement"],
    "motive": ["absence_reponse", "absence_paiement", "non_prise_en_compte",
               "incomprehension_decision", "incomprehension_indu"],
    "benefit": ["logement", "rsa", "ppa", "handicap", "paje", "famille", "asf_aripa", "autre"],
    "response_mode": ["courriel", "telephone", "courrier"],
}
KINDS = ["rappel", "indu_detecte", "indu_annule", "indu_remis"]
ONE_DAY = dt.timedelta(days=1)

# --------------------------------------------------------------------------
# Calendar (domain.md §4), restated.

_holidays = {}


def holidays(zone, year):
    key = (zone, year)
    if key not in _holidays:
        e = easter(year)
        days = {dt.date(year, 1, 1), e + 1 * ONE_DAY, dt.date(year, 5, 1), dt.date(year, 5, 8),
                e + 39 * ONE_DAY, e + 50 * ONE_DAY, dt.date(year, 7, 14), dt.date(year, 8, 15),
                dt.date(year, 11, 1), dt.date(year, 11, 11), dt.date(year, 12, 25)}
        if zone == "alsace_moselle":
            days |= {e - 2 * ONE_DAY, dt.date(year, 12, 26)}
        if year >= 1983:
            days |= {
                "guadeloupe": {e - 2 * ONE_DAY, dt.date(year, 5, 27)},
                "martinique": {e - 2 * ONE_DAY, dt.date(year, 5, 22)},
                "guyane": {dt.date(year, 6, 10)},
                "reunion": {dt.date(year, 12, 20)},
                "mayotte": {dt.date(year, 4, 27)},
            }.get(zone, set())
        _holidays[key] = days
    return _holidays[key]


def is_working(zone, d):
    return d.weekday() < 5 and d not in holidays(zone, d.year)


def working_days(zone, a, b):
    """Working days d with a < d <= b, counted one by one."""
    assert a <= b, (a, b)
    n, d = 0, a + ONE_DAY
    while d <= b:
        n += is_working(zone, d)
        d += ONE_DAY
    return n


# --------------------------------------------------------------------------
# The figures (domain.md §5), restated.


def day(s):
    return dt.date.fromisoformat(s) if s else None


def ratio(num, den):
    return None if den == 0 else num / den


def qf_bracket(q):
    if q is None:
        return None
    return "0_500" if q <= 500 else ("501_1000" if q <= 1000 else "1001_plus")


def compute(cases, zones, funds, year, as_of):
    funds = sorted(set(funds))
    cs = [c for c in cases if c["organisme"] in funds]

    def in_year(d):
        return d is not None and d.year == year

    received = [c for c in cs if in_year(day(c["received_on"]))]
    monthly = [0] * 12
    for c in received:
        monthly[day(c["received_on"]).month - 1] += 1
    inadmissible = [c for c in received if c["admissibility"] == "irrecevable"]
    out = {"organismes": funds, "year": year, "as_of": as_of.isoformat(),
           "received": len(received), "monthly_received": monthly,
           "inadmissible": len(inadmissible),
           "inadmissible_rate": ratio(len(inadmissible), len(received))}

    def single(population, nom, value):
        counts = {k: 0 for k in NOMS[nom]}
        unknown = 0
        for c in population:
            v = value(c)
            if v is None:
                unknown += 1
            else:
                counts[v] += 1
        counts["unknown"] = unknown
        return counts

    def several(population, field, nom):
        counts = {k: 0 for k in NOMS[nom]}
        unknown = 0
        for c in population:
            values = c.get(field)
            if not values:
                unknown += 1
            for v in set(values or []):
                counts[v] += 1
        counts["unknown"] = unknown
        return counts

    out["by_inadmissibility_reason"] = single(inadmissible, "inadmissibility_reason",
                                              lambda c: c.get("inadmissibility_reason"))
    study = [c for c in cs if c["admissibility"] == "recevable" and in_year(day(c.get("closed_on")))]
    out["closed"] = len(study)
    for f in ["channel", "emitter", "prior_step", "cause", "household", "activity"]:
        out["by_" + f] = single(study, f, lambda c, f=f: c.get(f))
    out["by_qf_bracket"] = single(study, "qf_bracket", lambda c: qf_bracket(c.get("quotient_familial")))
    out["by_resolution"] = single(study, "resolution", lambda c: c.get("resolution"))
    out["by_motive"] = several(study, "motives", "motive")
    out["by_benefit"] = several(study, "benefits", "benefit")
    out["by_response_mode"] = several(study, "response_modes", "response_mode")

    def take_delay(c):
        t = day(c.get("taken_in_charge_on"))
        return None if t is None else working_days(zones[c["organisme"]], day(c["received_on"]), t)

    takes = [d for d in map(take_delay, study) if d is not None]
    answered = [c for c in study if c.get("answered_on")]
    answer_wd = [working_days(zones[c["organisme"]], day(c["received_on"]), day(c["answered_on"]))
                 for c in answered]
    answer_cd = [(day(c["answered_on"]) - day(c["received_on"])).days for c in answered]
    out["delays"] = {
        "take_charge_working_days_avg": ratio(sum(takes), len(takes)),
        "answer_working_days_avg": ratio(sum(answer_wd), len(answer_wd)),
        "answer_calendar_days_avg": ratio(sum(answer_cd), len(answer_cd)),
        "take_charge_within_target_rate": ratio(sum(1 for d in takes if d <= 8), len(takes)),
    }

    quarters = []
    for q in range(4):
        met = missed = pending = 0
        for c in received:
            r = day(c["received_on"])
            if c["admissibility"] != "recevable" or (r.month - 1) // 3 != q:
                continue
            d = take_delay(c)
            if d is not None:
                if d <= 8:
                    met += 1
                else:
                    missed += 1
            elif r > as_of:
                pending += 1
            elif working_days(zones[c["organisme"]], r, as_of) > 8:
                missed += 1
            else:
                pending += 1
        quarters.append({"quarter": q + 1, "met": met, "missed": missed, "pending": pending,
                         "rate": ratio(met, met + missed)})
    out["quarterly_take_charge"] = quarters

    money = {k: {"count": 0, "amount_cents": 0} for k in KINDS}
    for c in study:
        for line in c.get("financial") or []:
            money[line["kind"]]["count"] += 1
            money[line["kind"]]["amount_cents"] += line["amount_cents"]
    out["financial"] = money
    out["fraud_rate"] = ratio(sum(1 for c in study if c.get("fraud") is True), len(study))
    res = out["by_resolution"]
    out["revision_rate"] = ratio(res["revisee"], len(study) - res["unknown"])

    tele_received = [c for c in received if c.get("channel") == "teleprocedure"]
    tele_study = [c for c in study if c.get("channel") == "teleprocedure"]
    tele_resolved = [c for c in tele_study if c.get("resolution") is not None]
    tele_takes = [d for d in map(take_delay, tele_study) if d is not None]
    out["teleprocedure"] = {
        "received": len(tele_received),
        "inadmissible_rate": ratio(sum(1 for c in tele_received if c["admissibility"] == "irrecevable"),
                                   len(tele_received)),
        "closed": len(tele_study),
        "share_of_closed": ratio(len(tele_study), len(study)),
        "revision_rate": ratio(sum(1 for c in tele_resolved if c["resolution"] == "revisee"),
                               len(tele_resolved)),
        "take_charge_working_days_avg": ratio(sum(tele_takes), len(tele_takes)),
    }

    # Internal requests sent in Y, whatever the case's dates; answered when
    # the answer date is on or before the day of computation.
    sent = answered = 0
    delays = []
    for c in cs:
        for r in c.get("internal_requests") or []:
            s = day(r["sent_on"])
            if s.year != year:
                continue
            sent += 1
            a = day(r.get("answered_on"))
            if a is not None and a <= as_of:
                answered += 1
                delays.append(working_days(zones[c["organisme"]], s, a))
    out["internal_requests"] = {"sent": sent, "answered": answered,
                                "answer_working_days_avg": ratio(sum(delays), len(delays))}
    return out


def diff(got, want, path=""):
    """Every difference: keys both ways, lengths, nulls, numbers within 1e-9."""
    out = []
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path}: {got!r} is not an object"]
        for k in want:
            if k not in got:
                out.append(f"{path}.{k}: missing")
            else:
                out += diff(got[k], want[k], f"{path}.{k}")
        out += [f"{path}.{k}: unexpected key" for k in got if k not in want]
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{path}: {got!r} vs expected {want!r}"]
        for i, (g, w) in enumerate(zip(got, want)):
            out += diff(g, w, f"{path}[{i}]")
    elif want is None or isinstance(want, (bool, str)) or isinstance(got, (bool, str)) or got is None:
        if got != want or type(got) != type(want):
            out.append(f"{path}: {got!r} vs expected {want!r}")
    elif isinstance(want, (int, float)) and isinstance(got, (int, float)):
        if abs(got - want) > 1e-9:
            out.append(f"{path}: {got!r} vs expected {want!r}")
        elif isinstance(want, int) and not isinstance(got, int):
            out.append(f"{path}: {got!r} should be an integer")
    else:
        out.append(f"{path}: {got!r} vs expected {want!r}")
    return out


# --------------------------------------------------------------------------
# The random data set.

FUNDS = [("631", "Caf du Puy-de-Dôme", "metropole"),
         ("671", "Caf du Bas-Rhin", "alsace_moselle"),
         ("974", "Caf de La Réunion", "reunion")]
ZONES = {code: zone for code, _, zone in FUNDS}
FIRST_DAY, LAST_DAY = dt.date(2024, 1, 1), dt.date(2026, 1, 31)


def generate(rng):
    span = (LAST_DAY - FIRST_DAY).days
    special = {}  # fund -> holidays and weekend days to receive on
    for code, _, zone in FUNDS:
        special[code] = sorted(
            {d for y in (2024, 2025) for d in holidays(zone, y)} |
            {FIRST_DAY + i * ONE_DAY for i in range(span) if (FIRST_DAY + i * ONE_DAY).weekday() >= 5})
    cases = []
    for i in range(N_CASES):
        code = FUNDS[i % len(FUNDS)][0]
        if rng.random() < 0.2:
            received = rng.choice(special[code])
        elif rng.random() < 0.1:
            received = dt.date(rng.choice((2024, 2025)), 12, rng.randint(10, 31))  # closes next year
        else:
            received = FIRST_DAY + rng.randrange(span) * ONE_DAY
        c = {"reference": f"{code}-{received.year}-{i:05d}", "organisme": code,
             "received_on": received.isoformat()}
        # Internal requests (G@ci): absent, null, [] or a few, some unanswered,
        # some answered after the day of computation, some sent the next year.
        r = rng.random()
        if r < 0.03:
            c["internal_requests"] = None
        elif r < 0.06:
            c["internal_requests"] = []
        elif r < 0.3:
            requests = []
            for _ in range(rng.randint(1, 3)):
                sent = received + rng.choice([0, 1, 2, 5, 10, 20, 40]) * ONE_DAY
                q = {"sent_on": sent.isoformat()}
                a = rng.random()
                if a < 0.7:
                    q["answered_on"] = (sent + rng.randint(0, 15) * ONE_DAY).isoformat()
                elif a < 0.85:
                    q["answered_on"] = None
                requests.append(q)
            c["internal_requests"] = requests

        def maybe(key, value, p_unknown=0.1):
            # Unknown either as an absent key or as an explicit null.
            r = rng.random()
            if r < p_unknown / 2:
                return
            c[key] = None if r < p_unknown else value

        def maybe_list(key, nom):
            r = rng.random()
            if r < 0.05:
                return
            if r < 0.09:
                c[key] = None
            elif r < 0.14:
                c[key] = []
            else:
                c[key] = rng.sample(NOMS[nom], rng.randint(1, min(3, len(NOMS[nom]))))

        maybe("channel", rng.choice(NOMS["channel"][:4] + ["teleprocedure"] * 2))
        maybe("emitter", rng.choice(NOMS["emitter"]))
        if rng.random() < 0.8:
            c["allocataire_number"] = f"{rng.randrange(10**7):07d}"
        maybe("prior_step", rng.choice(NOMS["prior_step"]))
        if rng.random() < 0.7:
            c["prior_step_on"] = (received - rng.randint(0, 60) * ONE_DAY).isoformat()
        inadmissible = rng.random() < 0.35
        c["admissibility"] = "irrecevable" if inadmissible else "recevable"
        if inadmissible:
            maybe("inadmissibility_reason", rng.choice(NOMS["inadmissibility_reason"]), 0.15)
            if rng.random() < 0.75:
                answered = received + rng.randint(0, 20) * ONE_DAY
                c["answered_on"] = answered.isoformat()
                c["closed_on"] = (answered + rng.randint(0, 3) * ONE_DAY).isoformat()
            cases.append(c)
            continue
        if rng.random() < 0.1:  # not yet taken in charge
            cases.append(c)
            continue
        taken = received + rng.choice([0, 1, 2, 3, 4, 5, 7, 10, 12, 14, 20]) * ONE_DAY
        c["taken_in_charge_on"] = taken.isoformat()
        answered = None
        if rng.random() < 0.9:
            answered = taken + rng.randint(0, 60) * ONE_DAY
            c["answered_on"] = answered.isoformat()
        if rng.random() < 0.85:  # closed (sometimes without an answer date)
            closed = (answered or taken) + rng.randint(0, 10) * ONE_DAY
            c["closed_on"] = closed.isoformat()
            maybe_list("motives", "motive")
            maybe_list("benefits", "benefit")
            maybe("cause", rng.choice(NOMS["cause"]))
            maybe("household", rng.choice(NOMS["household"]))
            maybe("activity", rng.choice(NOMS["activity"]))
            maybe("quotient_familial",
                  rng.choice([0, 500, 501, 1000, 1001, rng.randint(0, 3000), rng.randint(0, 3000)]))
            maybe_list("response_modes", "response_mode")
            maybe("resolution", rng.choice(NOMS["resolution"] + ["confirmee", "revisee"]))
            maybe("fraud", rng.random() < 0.2)
            r = rng.random()
            if r < 0.05:
                c["financial"] = []
            elif r < 0.5:
                c["financial"] = [{"kind": rng.choice(KINDS), "amount_cents": rng.randint(0, 900000)}
                                  for _ in range(rng.randint(1, 3))]
        cases.append(c)
    return cases


# --------------------------------------------------------------------------
# Running the program.

failures = []


def run(db, *args, ok=True):
    p = subprocess.run([BIN, "--db", "sqlite:" + db, *args], capture_output=True, text=True)
    if ok and p.returncode != 0:
        sys.exit(f"FAIL: amiable {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
    return p


def check_stats(db, cases, zones, funds, all_funds, year, as_of):
    args = ["stats", "--year", str(year), "--as-of", as_of.isoformat(), "--json"]
    for f in funds:
        args += ["--organisme", f]
    p = run(db, *args)
    try:
        got = json.loads(p.stdout)
    except json.JSONDecodeError as e:
        failures.append(f"{' '.join(args)}: not JSON ({e}): {p.stdout[:200]!r}")
        return
    want = compute(cases, zones, funds or all_funds, year, as_of)
    for d in diff(got, want):
        failures.append(f"stats {funds or 'all'} {year} as_of {as_of}: {d}")


def main():
    rng = random.Random(SEED)
    cases = generate(rng)
    with tempfile.TemporaryDirectory(prefix="amiable-stats-") as tmp:
        # 1. The random data set.
        data = os.path.join(tmp, "cases.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for c in cases:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        db = os.path.join(tmp, "random.db")
        for code, name, zone in FUNDS:
            run(db, "organisme", "add", "--code", code, "--name", name, "--zone", zone)
        run(db, "import", data)
        all_funds = [code for code, _, _ in FUNDS]
        for funds in (["631"], ["671", "974"], []):
            for year in (2024, 2025, 2026):
                check_stats(db, cases, ZONES, funds, all_funds, year, dt.date(2026, 1, 15))
        for funds in (["974"], []):
            check_stats(db, cases, ZONES, funds, all_funds, 2025, dt.date(2025, 12, 22))

        # 2. The worked example, through the same path.
        example = os.path.join(EXAMPLES, "cases-small.jsonl")
        with open(example, encoding="utf-8") as f:
            small = [json.loads(line) for line in f if line.strip()]
        db2 = os.path.join(tmp, "example.db")
        for code, name, zone in FUNDS:
            run(db2, "organisme", "add", "--code", code, "--name", name, "--zone", zone)
        run(db2, "import", example)
        for name, funds, year in (("figures-2025-631.json", ["631"], 2025),
                                  ("figures-2025-all.json", [], 2025),
                                  ("figures-2024-974.json", ["974"], 2024)):
            with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
                fixture = json.load(f)
            as_of = dt.date.fromisoformat(fixture["as_of"])
            # This oracle agrees with the fixture...
            for d in diff(compute(small, ZONES, funds or all_funds, year, as_of), fixture):
                failures.append(f"oracle vs {name}: {d}")
            # ...and the program with both.
            check_stats(db2, small, ZONES, funds, all_funds, year, as_of)

        # 3. Bad input: one line on stderr, non-zero exit, nothing on stdout.
        for args, code in ((["stats", "--year", "20x5", "--json"], 2),
                           (["stats", "--year", "1850", "--json"], 2),
                           (["stats", "--year", "2025", "--as-of", "2025-02-30", "--json"], 2),
                           (["stats", "--year", "2025", "--organisme", "999", "--json"], 3)):
            p = run(db2, *args, ok=False)
            lines = p.stderr.strip().splitlines()
            if p.returncode != code or len(lines) != 1 or p.stdout:
                failures.append(f"{' '.join(args)}: exit {p.returncode} (want {code}), "
                                f"stderr {p.stderr!r}, stdout {p.stdout[:80]!r}")
        # The French summary prints without error.
        p = run(db2, "stats", "--year", "2025", "--as-of", "2026-01-15")
        if "Demandes reçues : 40" not in p.stdout:
            failures.append(f"summary: {p.stdout!r}")

    for f in failures[:50]:
        print("FAIL:", f)
    if failures:
        sys.exit(f"{len(failures)} failure(s)")
    print(f"stats: {N_CASES} random cases, 3 funds, every key matches (and the worked example)")


if __name__ == "__main__":
    main()
