#!/usr/bin/env python3
"""One rule, one refusal, whatever the path (issue 7, item 1).

Each row of the table below is a rule of the case service. The same request
is sent through the JSON API and through the page form a mediator uses; both
must be refused with the same status, and the page must show the same French
message the API returns (its `message`, keyed by `message_id`). A refusal
writes nothing, so both paths run on the same case, which is then checked
unchanged (same version).

Drives the real binary on SQLite ($AMIABLE_BIN); standard library only.
"""
import html
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from api_test import call, check  # noqa: E402
import amiable  # noqa: E402
from amiable import Session, add_funds, add_user  # noqa: E402

TODAY = "2026-12-01"
CLOSE_CONFIRM = ["emitter", "prior_step", "motives", "benefits", "household", "activity",
                 "quotient_familial", "fraud"]


def setup(env):
    add_funds(env)
    for name, role, fund in (("m1", "mediator", "631"), ("m2", "mediator", "631"),
                             ("m4", "mediator", "671"), ("chef", "manager", "631"),
                             ("stat", "statistics", "631")):
        add_user(env, name, role, fund)
    env.cli("organisme", "service", "add", "--code", "631", "--service", "prestations",
            "--label", "Service prestations", "--address", "prestations@example.org")
    env.cli("organisme", "service", "add", "--code", "631", "--service", "ancien",
            "--label", "Ancien service", "--address", "ancien@example.org", "--inactive")
    return {n: env.cli("token", "create", "--user", n, "--label", "regles").stdout.strip()
            for n in ("m1", "m2", "m4", "chef", "stat")}


class World:
    def __init__(self, env, tokens):
        self.env, self.tokens, self.sessions = env, tokens, {}

    def page(self, who):
        if who not in self.sessions:
            self.sessions[who] = Session(self.env, who)
        return self.sessions[who]

    def api(self, method, path, who, body=None):
        return call(self.env, method, path, self.tokens[who], body)

    def event(self, ref, who, body):
        r = self.api("POST", "/api/v1/cases/%s/events" % ref, who, body)
        check(r.status == 200, "setup %s on %s: %r" % (body.get("event"), ref, r))
        return r

    def new_case(self, state="received"):
        r = self.api("POST", "/api/v1/cases", "m1", {
            "organisme": "631", "received_on": "2026-11-02", "channel": "courriel",
            "people": [{"role": "beneficiary", "name": "Jeanne Martin"}]})
        check(r.status == 201, "setup create: %r" % r)
        ref = r.json["reference"]
        if state in ("taken", "answered", "closed"):
            self.event(ref, "m1", {"event": "take_in_charge", "date": "2026-11-03"})
        if state in ("answered", "closed"):
            self.event(ref, "m1", {"event": "answer", "date": "2026-11-10",
                                   "response_modes": ["courriel"]})
        if state == "closed":
            self.event(ref, "m1", {"event": "close", "date": "2026-11-12", "resolution": "revisee",
                                   "cause": "erreur_liquidation", "confirm_unknown": CLOSE_CONFIRM})
        return ref

    def version(self, ref):
        return self.api("GET", "/api/v1/cases/" + ref, "chef").json["version"]


def rows(w):
    """(what, who, case state, API (method, path, body), page (path, form), expected key)."""
    ev = "/api/v1/cases/{ref}/events"
    return [
        ("take in charge by an unknown user", "m1", "received",
         ("POST", ev, {"event": "take_in_charge", "assigned_to": "personne"}),
         ("/dossiers/{ref}/evenement", {"event": "take_in_charge", "assigned_to": "personne"}),
         "user.unknown"),
        ("take in charge by a statistics reader", "m1", "received",
         ("POST", ev, {"event": "take_in_charge", "assigned_to": "stat"}),
         ("/dossiers/{ref}/evenement", {"event": "take_in_charge", "assigned_to": "stat"}),
         "user.not_mediator"),
        ("take in charge by a mediator of another fund", "m1", "received",
         ("POST", ev, {"event": "take_in_charge", "assigned_to": "m4"}),
         ("/dossiers/{ref}/evenement", {"event": "take_in_charge", "assigned_to": "m4"}),
         "user.wrong_fund"),
        ("an event dated in the future", "m1", "received",
         ("POST", ev, {"event": "take_in_charge", "date": "2027-01-04"}),
         ("/dossiers/{ref}/evenement", {"event": "take_in_charge", "date": "2027-01-04"}),
         "event.date_future"),
        ("a colleague records the recusal of the mediator in charge", "m2", "taken",
         ("POST", ev, {"event": "recuse", "to": "m2", "reason": "lien familial"}),
         ("/dossiers/{ref}/evenement", {"event": "recuse", "to": "m2", "reason": "lien familial"}),
         "recuse.own_only"),
        ("a recusal to a mediator of another region", "m1", "taken",
         ("POST", ev, {"event": "recuse", "to": "m4", "reason": "lien familial"}),
         ("/dossiers/{ref}/evenement", {"event": "recuse", "to": "m4", "reason": "lien familial"}),
         "recuse.target_not_eligible"),
        ("a recusal with an unknown intensity", "m1", "taken",
         ("POST", ev, {"event": "recuse", "to": "m2", "reason": "x", "intensite": "enorme"}),
         ("/dossiers/{ref}/evenement", {"event": "recuse", "to": "m2", "reason": "x",
                                        "intensite": "enorme"}),
         "recuse.intensity_unknown"),
        ("closing with empty report fields", "m1", "answered",
         ("POST", ev, {"event": "close", "resolution": "revisee", "cause": "erreur_liquidation"}),
         ("/dossiers/{ref}/evenement", {"event": "close", "resolution": "revisee",
                                        "cause": "erreur_liquidation"}),
         "close.unknown_fields"),
        ("reopening by a mediator not in charge", "m2", "closed",
         ("POST", ev, {"event": "reopen", "reason": "pièce nouvelle"}),
         ("/dossiers/{ref}/evenement", {"event": "reopen", "reason": "pièce nouvelle"}),
         "reopen.not_assigned"),
        ("editing a closed case", "m1", "closed",
         ("PATCH", "/api/v1/cases/{ref}", {"household": "isole"}),
         ("/dossiers/{ref}/modifier", {"household": "isole", "channel": "courriel"}),
         "case.locked"),
        ("a financial line on a closed case", "m1", "closed",
         ("POST", "/api/v1/cases/{ref}/financial", {"kind": "rappel", "amount_cents": 12000}),
         ("/dossiers/{ref}/finances", {"kind": "rappel", "amount": "120,00"}),
         "case.locked"),
        ("a person on a closed case", "m1", "closed",
         ("POST", "/api/v1/cases/{ref}/people", {"role": "landlord", "name": "SCI Les Tilleuls"}),
         ("/dossiers/{ref}/personnes", {"role": "landlord", "name": "SCI Les Tilleuls"}),
         "case.locked"),
        ("an unknown code", "m1", "received",
         ("PATCH", "/api/v1/cases/{ref}", {"household": "chateau"}),
         ("/dossiers/{ref}/modifier", {"household": "chateau", "channel": "courriel"}),
         "case.unknown_code"),
        ("a stale version", "m1", "received",
         ("PATCH", "/api/v1/cases/{ref}", {"household": "isole", "version": 0}),
         ("/dossiers/{ref}/modifier", {"household": "isole", "channel": "courriel",
                                       "version": "0"}),
         "case.stale_version"),
        ("an empty note", "m1", "received",
         ("POST", "/api/v1/cases/{ref}/notes", {"text": "   "}),
         ("/dossiers/{ref}/notes", {"text": "   "}),
         "note.empty"),
        ("an internal request without a question", "m1", "taken",
         ("POST", "/api/v1/cases/{ref}/internal-requests", {"service": "prestations",
                                                            "question": "  "}),
         ("/dossiers/{ref}/demandes-internes", {"service": "prestations", "question": "  "}),
         "internal_request.question_required"),
        ("an internal request to an inactive service", "m1", "taken",
         ("POST", "/api/v1/cases/{ref}/internal-requests", {"service": "ancien",
                                                            "question": "Montant ?"}),
         ("/dossiers/{ref}/demandes-internes", {"service": "ancien", "question": "Montant ?"}),
         "internal_request.service_unknown"),
        ("an internal request on a closed case", "m1", "closed",
         ("POST", "/api/v1/cases/{ref}/internal-requests", {"service": "prestations",
                                                            "question": "Montant ?"}),
         ("/dossiers/{ref}/demandes-internes", {"service": "prestations",
                                                "question": "Montant ?"}),
         "case.locked"),
        ("a person with a bad email address", "m1", "received",
         ("POST", "/api/v1/cases/{ref}/people", {"role": "emitter", "name": "Mme Durand",
                                                 "email": "durand-at-ccas"}),
         ("/dossiers/{ref}/personnes", {"role": "emitter", "name": "Mme Durand",
                                        "email": "durand-at-ccas"}),
         "person.email"),
    ]


def run_row(w, row):
    what, who, state, (method, api_path, body), (page_path, form), key = row
    ref = w.new_case(state)
    before = w.version(ref)
    r = w.api(method, api_path.format(ref=ref), who, body)
    err = r.error()
    check(r.status >= 400 and err.get("message_id") == key,
          "API, %s: %s expected, got %r" % (what, key, r))
    s = w.page(who)
    fields = dict(form)
    fields.setdefault("version", str(w.version(ref)))
    status, page = s.post(page_path.format(ref=ref), fields)
    check(status == r.status, "page, %s: status %d expected (as the API), got %d" % (
        what, r.status, status))
    shown = html.unescape(page)
    if key == "close.unknown_fields":
        # The page lists the fields to confirm rather than the first one.
        check("non renseigné" in shown, "page, %s: the fields to confirm are listed" % what)
    else:
        check(err.get("message", "\0") in shown,
              "page, %s: the API's message %r is shown" % (what, err.get("message")))
    check(w.version(ref) == before, "%s: nothing was written" % what)


def published_year(w):
    ref = w.new_case("received")
    r = w.api("POST", "/api/v1/organismes/631/published-years", "chef", {"year": 2026})
    check(r.status == 201, "the manager publishes 2026: %r" % r)
    r = w.api("PATCH", "/api/v1/cases/" + ref, "m1", {"household": "isole"})
    check(r.status == 409 and r.error().get("field") == "confirm_published",
          "API: a change to a published year needs confirmation: %r" % r)
    status, page = w.page("m1").post("/dossiers/%s/modifier" % ref, {
        "household": "isole", "channel": "courriel", "version": str(w.version(ref))})
    check(status == 409 and 'name="confirm_published"' in page,
          "page: the same refusal offers the confirmation box (%d)" % status)
    r = w.api("PATCH", "/api/v1/cases/" + ref, "m1",
              {"household": "isole", "confirm_published": True})
    check(r.status == 200, "API: confirmed: %r" % r)


def lift_and_publish_rights(w):
    ref = w.new_case("taken")
    w.event(ref, "m1", {"event": "recuse", "to": "m2", "reason": "voisin"})
    rec = w.api("GET", "/api/v1/cases/%s/recusals" % ref, "m2").json["items"][0]
    r = w.api("POST", "/api/v1/cases/%s/recusals/%d/lift" % (ref, rec["id"]), "m2",
              {"reason": "erreur"})
    check(r.status == 403 and r.error().get("message_id") == "role.manager_required",
          "API: a mediator may not lift a recusal: %r" % r)
    status, page = w.page("m2").post("/dossiers/%s/deports/%d/lever" % (ref, rec["id"]),
                                     {"reason": "erreur", "version": str(w.version(ref))})
    check(status == 403 and r.error()["message"] in html.unescape(page),
          "page: the same refusal (%d)" % status)
    r = w.api("POST", "/api/v1/cases/%s/recusals/%d/lift" % (ref, rec["id"]), "chef",
              {"reason": "enregistré par erreur"})
    check(r.status == 200 and r.json["items"][0]["lifted_by"] == "chef",
          "the manager lifts it: %r" % r)


def internal_requests(w):
    """Ask a service, refuse an answer dated before the request, refuse the roles."""
    ref = w.new_case("taken")
    path = "/api/v1/cases/%s/internal-requests" % ref
    r = w.api("POST", path, "m1", {"service": "prestations",
                                   "question": "Pouvez-vous confirmer le montant de l'indu ?"})
    check(r.status == 201 and r.json["sent_on"] == TODAY and r.json["answered_on"] is None
          and r.json["due_on"] == "2026-12-08" and r.json["late"] is False,
          "API: a mediator asks a service: %r" % r)
    rid = r.json["id"]
    case = w.api("GET", "/api/v1/cases/" + ref, "m1").json
    check([x["id"] for x in case["internal_requests"]] == [rid]
          and case["internal_requests"][0]["service_label"] == "Service prestations",
          "the case document lists it: %r" % case.get("internal_requests"))
    answer = "%s/%d/answer" % (path, rid)
    r = w.api("POST", answer, "m1", {"answered_on": "2026-11-30"})
    check(r.status == 400 and r.error().get("message_id") == "internal_request.answer_before_sent",
          "API: an answer before the request is refused: %r" % r)
    status, page = w.page("m1").post("/dossiers/%s/demandes-internes/%d/reponse" % (ref, rid),
                                     {"answered_on": "2026-11-30"})
    check(status == 400 and r.error()["message"] in html.unescape(page),
          "page: the same refusal (%d)" % status)
    for who, key in (("stat", "role.no_case_access"), ("m4", "case.not_found")):
        r = w.api("POST", path, who, {"service": "prestations", "question": "Montant ?"})
        check(r.status >= 400 and r.error().get("message_id") == key,
              "API: %s may not ask (%s): %r" % (who, key, r))
    pending = w.api("GET", "/api/v1/internal-requests/pending", "m1").json["items"]
    check([p["reference"] for p in pending] == [ref], "pending for m1: %r" % pending)
    check(w.api("GET", "/api/v1/internal-requests/pending", "m4").json["items"] == [],
          "pending: nothing for a mediator of another fund")
    status, page = w.page("m1").get("/tableau")
    check(status == 200 and "Demandes internes en attente" in page and ref in page,
          "the dashboard lists the request awaiting an answer")
    r = w.api("POST", answer, "chef", {"answered_on": TODAY})
    check(r.status == 200 and r.json["answered_on"] == TODAY, "the manager records it: %r" % r)
    r = w.api("POST", answer, "m1", {"answered_on": TODAY})
    check(r.status == 409 and r.error().get("message_id") == "internal_request.already_answered",
          "a second answer is a conflict: %r" % r)
    check(w.api("GET", "/api/v1/internal-requests/pending", "m1").json["items"] == [],
          "no request pending any more")


def scenario(env, tokens):
    w = World(env, tokens)
    table = rows(w)
    for row in table:
        run_row(w, row)
    lift_and_publish_rights(w)
    internal_requests(w)
    published_year(w)  # last: it publishes 2026 for 631
    print("rules: %d rules through the API and the pages" % (len(table) + 3))


if __name__ == "__main__":
    sys.exit(amiable.main("rules_test", "regles.db", TODAY, setup, scenario))
