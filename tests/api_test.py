#!/usr/bin/env python3
"""End-to-end test of `amiable serve`: /healthz, /metrics and the JSON API.

Drives the real binary ($AMIABLE_BIN, default build/amiable) on a throwaway
SQLite database and a free loopback port: creates funds, users and tokens with
the command line, exercises every endpoint and every error class, checks the
security headers and the access log, then stops the server with SIGTERM.
Standard library only (Debian's python3).
"""
import json
import os
import pwd
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BIN = os.environ.get("AMIABLE_BIN", "build/amiable")
TODAY = "2025-03-03"  # a Monday; the server is started with --today
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Env:
    def __init__(self, tmp, db_url):
        self.db = db_url
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(tmp, "server-%d.log" % self.port)
        self.proc = None

    def cli(self, *args, stdin=None, ok=True):
        r = subprocess.run([BIN, "--db", self.db, *args], input=stdin, capture_output=True,
                           text=True, timeout=60)
        if ok and r.returncode != 0:
            raise SystemExit("command failed: %s\n%s" % (" ".join(args), r.stderr))
        return r

    def start(self):
        self.log = open(self.log_path, "w")
        extra = getattr(self, "start_args", None) or ["--today", TODAY]
        self.proc = subprocess.Popen(
            [BIN, "--db", self.db, "serve", "--port", str(self.port),
             "--max-api-body-kib", "256", *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("server exited early:\n" + open(self.log_path).read())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        raise SystemExit("server did not answer /healthz")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                return None
        return self.proc.returncode if self.proc else None


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            self.json = None

    def error(self):
        return (self.json or {}).get("error", {})

    def __repr__(self):
        return "%d %s" % (self.status, self.raw[:300])


def call(env, method, path, token=None, body=None, raw=None,
         content_type="application/json", headers=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(env.base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None and content_type:
        req.add_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return Reply(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, e.headers, e.read())


# Words that give an English sentence away (messages are French; they may
# quote codes such as "beneficiary" or "true").
ENGLISH = (" the ", " must ", " cannot ", "unknown ", "invalid ", "missing ", " is ", " not ",
           " should ", " already ", " only ", " with ", " and ", " of ", " to ", " be ")


def looks_english(text):
    padded = " %s " % text.lower()
    return [w for w in ENGLISH if w in padded]


def expect_error(reply, status, code, field=None, what="", message_id=None):
    check(reply.status == status, "%s: status %d expected, got %r" % (what, status, reply))
    err = reply.error()
    check(err.get("code") == code, "%s: code %s expected, got %r" % (what, code, reply))
    check(bool(err.get("message")), "%s: an error message is expected" % what)
    check(re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", err.get("message_id", "")) is not None,
          "%s: a catalogue key in message_id, got %r" % (what, err))
    if message_id is not None:
        check(err.get("message_id") == message_id,
              "%s: message_id %s expected, got %r" % (what, message_id, err))
    check(not looks_english(err.get("message", "")),
          "%s: a French message expected, got %r" % (what, err))
    if field is not None:
        check(err.get("field") == field, "%s: field %s expected, got %r" % (what, field, reply))
    check(reply.headers.get("Content-Type", "").startswith("application/json"),
          "%s: JSON content type" % what)
    check("Traceback" not in reply.raw.decode("utf-8", "replace")
          and "sql_store" not in reply.raw.decode("utf-8", "replace"),
          "%s: no internals in the body" % what)
    return err


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def check_security_headers(reply, what):
    csp = reply.headers.get("Content-Security-Policy", "")
    check("default-src 'self'" in csp and "frame-ancestors 'none'" in csp,
          "%s: Content-Security-Policy, got %r" % (what, csp))
    for k, v in SECURITY_HEADERS.items():
        check(reply.headers.get(k) == v, "%s: %s: %s expected, got %r" %
              (what, k, v, reply.headers.get(k)))


def setup(env):
    env.cli("organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
            "--zone", "metropole")
    env.cli("organisme", "add", "--code", "974", "--name", "Caf de La Réunion",
            "--zone", "reunion")
    env.cli("user", "add", "--name", "alice", "--role", "mediator", "--organisme", "631",
            "--password-stdin", stdin="correct horse battery staple\n")
    env.cli("user", "add", "--name", "bob", "--role", "mediator", "--organisme", "631",
            stdin="another long password\n")
    env.cli("user", "add", "--name", "admin", "--role", "administrator", "--all-funds",
            "--no-password")
    env.cli("user", "add", "--name", "stat", "--role", "statistics", "--organisme", "631",
            "--no-password")
    r = env.cli("user", "add", "--name", "weak", "--role", "mediator", "--organisme", "631",
                "--password-stdin", stdin="short\n", ok=False)
    check(r.returncode != 0 and "password" in r.stderr, "a short password is refused")
    r = env.cli("user", "add", "--name", "nofund", "--role", "mediator", "--organisme", "999",
                "--no-password", ok=False)
    check(r.returncode != 0, "a user of an unknown fund is refused")
    env.cli("user", "add", "--name", "carol", "--role", "mediator", "--organisme", "631",
            "--no-password")
    # Conflicts of interest: bob declares a link with a landlord.
    out = env.cli("user", "interest", "add", "--user", "bob", "--kind", "landlord",
                  "--value", "SCI Les Tilleuls", "--relation", "associé de la SCI",
                  "--organisme", "631").stdout.strip()
    check(out.isdigit(), "interest add prints the link's id: %r" % out)
    out = env.cli("user", "interest", "list", "--user", "bob").stdout
    check(out.startswith(out.split("\t")[0] + "\tperson\tSCI Les Tilleuls\tassocié de la SCI\t631"),
          "interest list: %r" % out)
    r = env.cli("user", "interest", "add", "--user", "bob", "--kind", "cousin",
                "--value", "x", ok=False)
    check(r.returncode == 2 and "--kind" in r.stderr, "unknown interest kind: %r" % r.stderr)
    r = env.cli("user", "interest", "add", "--user", "nobody", "--kind", "person",
                "--value", "x", ok=False)
    check(r.returncode == 2, "interest of an unknown user: exit %d" % r.returncode)
    tokens = {}
    for name in ("alice", "bob", "carol", "stat"):
        out = env.cli("token", "create", "--user", name, "--label", "test").stdout.strip()
        check(re.fullmatch(r"amb_[A-Za-z0-9_-]{43}", out) is not None, "token shape: " + out)
        tokens[name] = out
    out = json.loads(env.cli("token", "create", "--user", "admin", "--json").stdout)
    tokens["admin"] = out["token"]
    r = env.cli("token", "create", "--user", "nobody", ok=False)
    check(r.returncode == 3, "token for an unknown user: exit 3, got %d" % r.returncode)
    return tokens


def test_ops(env):
    r = call(env, "GET", "/healthz")
    engine = "sqlite" if env.db.startswith("sqlite:") else "postgresql"
    check(r.status == 200 and r.json["status"] == "ok" and r.json["engine"] == engine
          and isinstance(r.json["schema"], int) and r.json["schema"] >= 1, "healthz: %r" % r)
    check_security_headers(r, "healthz")
    r = call(env, "GET", "/metrics")
    text = r.raw.decode()
    check(r.status == 200 and r.headers.get("Content-Type", "").startswith("text/plain"),
          "metrics: %r" % r)
    check('amiable_http_requests_total{class="2xx"}' in text, "metrics: request counts")
    check("amiable_http_request_duration_seconds_count" in text, "metrics: durations")
    check("amiable_http_request_duration_seconds_sum" in text, "metrics: duration sum")
    r = call(env, "GET", "/api/v1/nothing-here")
    err = expect_error(r, 404, "not_found", what="unknown API route")
    check(err.get("message_id") in ("http.not_found", "error.not_found"),
          "unknown API route: a key of the catalogue: %r" % err)
    check_security_headers(r, "404")


def test_auth(env, tokens):
    r = call(env, "GET", "/api/v1/cases")
    expect_error(r, 401, "unauthorized", what="no token", message_id="api.token_missing")
    check(r.headers.get("WWW-Authenticate", "").startswith("Bearer"), "WWW-Authenticate")
    check_security_headers(r, "401")
    expect_error(call(env, "GET", "/api/v1/cases", token="amb_" + "x" * 43), 401,
                 "unauthorized", what="unknown token", message_id="api.token_invalid")
    expect_error(call(env, "GET", "/api/v1/cases", headers={"Authorization": "Basic YTpi"}),
                 401, "unauthorized", what="not a bearer token", message_id="api.token_malformed")
    r = call(env, "GET", "/api/v1/me", token=tokens["alice"])
    check(r.status == 200 and r.json["name"] == "alice" and r.json["organismes"] == ["631"],
          "me: %r" % r)


def test_cases(env, tokens):
    alice, admin, stat = tokens["alice"], tokens["admin"], tokens["stat"]
    # Create: the fund defaults to alice's only one, the reference is generated.
    r = call(env, "POST", "/api/v1/cases", alice, {
        "received_on": "2025-02-24", "channel": "courriel", "emitter": "allocataire",
        "allocataire_number": "1234567", "prior_step": "reclamation",
        "prior_step_on": "2025-02-10", "motives": ["absence_paiement"],
        "benefits": ["logement", "rsa"], "description": "Aide au logement non versée.",
        "people": [{"role": "beneficiary", "name": "Jeanne Martin",
                    "email": "jeanne@example.org"}]})
    check(r.status == 201, "create: %r" % r)
    check_security_headers(r, "create")
    case = r.json
    ref = case["reference"]
    check(re.fullmatch(r"631-2025-\d{5}", ref) is not None, "generated reference: " + ref)
    check(r.headers.get("Location") == "/api/v1/cases/" + ref, "Location header")
    check(case["state"] == "received" and case["admissibility"] is None, "created state")
    check(case["deadline"] == {"take_charge_by": "2025-03-06", "status": "pending",
                               "working_days_left": 3}, "deadline: %r" % case["deadline"])
    events = [e["event"] for e in case["allowed_events"]]
    check("take_in_charge" in events and "declare_inadmissible" in events
          and "close" not in events, "allowed events: %r" % events)
    check(case["people"][0]["name"] == "Jeanne Martin", "people saved")
    check(len(case["history"]) == 1 and case["history"][0]["actor"] == "alice", "history")

    # A given reference; a duplicate is a conflict.
    old = {"reference": "631-2025-0001", "organisme": "631", "received_on": "2025-01-06",
           "channel": "courrier"}
    r = call(env, "POST", "/api/v1/cases", alice, old)
    check(r.status == 201 and r.json["reference"] == "631-2025-0001", "create with ref: %r" % r)
    check(r.json["deadline"]["status"] == "overdue", "overdue deadline: %r" % r.json["deadline"])
    expect_error(call(env, "POST", "/api/v1/cases", alice, old), 409, "conflict",
                 what="duplicate reference")

    # Another fund's case: created by the administrator, invisible to alice.
    r = call(env, "POST", "/api/v1/cases", admin,
             {"organisme": "974", "received_on": "2025-01-06", "channel": "telephone"})
    check(r.status == 201 and r.json["reference"].startswith("974-2025-"), "admin create: %r" % r)
    other = r.json["reference"]
    expect_error(call(env, "GET", "/api/v1/cases/" + other, alice), 404, "not_found",
                 what="another fund's case")
    expect_error(call(env, "PATCH", "/api/v1/cases/" + other, alice, {"channel": "courriel"}),
                 404, "not_found", what="patch another fund's case")
    expect_error(call(env, "POST", "/api/v1/cases/" + other + "/events", alice,
                      {"event": "take_in_charge"}), 404, "not_found",
                 what="event on another fund's case")
    expect_error(call(env, "POST", "/api/v1/cases", alice,
                      {"organisme": "974", "received_on": "2025-01-06"}),
                 400, "invalid", field="organisme", what="create in another fund")
    expect_error(call(env, "GET", "/api/v1/cases/631-2099-99999", alice), 404, "not_found",
                 what="unknown case")
    r = call(env, "GET", "/api/v1/cases/" + other, admin)
    check(r.status == 200 and r.json["deadline"]["take_charge_by"] == "2025-01-16",
          "admin reads 974 case: %r" % r)

    # Read.
    r = call(env, "GET", "/api/v1/cases/" + ref, alice)
    check(r.status == 200 and r.json["reference"] == ref and r.json["version"] >= 1,
          "read: %r" % r)
    version = r.json["version"]

    # List, filters, paging.
    r = call(env, "GET", "/api/v1/cases?limit=1&offset=0", alice)
    check(r.status == 200 and r.json["total"] == 2 and len(r.json["items"]) == 1
          and r.json["limit"] == 1 and r.json["offset"] == 0, "list paging: %r" % r)
    r = call(env, "GET", "/api/v1/cases?limit=1&offset=1", alice)
    check(r.status == 200 and len(r.json["items"]) == 1, "second page: %r" % r)
    r = call(env, "GET", "/api/v1/cases", admin)
    check(r.json["total"] == 3, "admin sees every fund: %r" % r)
    r = call(env, "GET", "/api/v1/cases?overdue=true", alice)
    check([c["reference"] for c in r.json["items"]] == ["631-2025-0001"],
          "overdue filter: %r" % r)
    r = call(env, "GET", "/api/v1/cases?organisme=974", alice)
    check(r.status == 200 and r.json["total"] == 0, "alice filtering on 974 sees nothing")
    r = call(env, "GET", "/api/v1/cases?state=received&year=2025&organisme=631", alice)
    check(r.json["total"] == 2, "state/year filter: %r" % r)
    r = call(env, "GET", "/api/v1/cases?year=2024", alice)
    check(r.json["total"] == 0, "year filter: %r" % r)
    expect_error(call(env, "GET", "/api/v1/cases?state=asleep", alice), 400, "invalid",
                 field="state", what="bad state filter", message_id="api.state_unknown")
    expect_error(call(env, "GET", "/api/v1/cases?limit=100000", alice), 400, "invalid",
                 field="limit", what="limit too large", message_id="api.field_range")
    expect_error(call(env, "GET", "/api/v1/cases?colour=red", alice), 400, "invalid",
                 field="colour", what="unknown query parameter", message_id="api.query_unknown")

    # Update.
    r = call(env, "PATCH", "/api/v1/cases/" + ref, alice,
             {"version": version, "household": "isole", "quotient_familial": 420,
              "fraud": False})
    check(r.status == 200 and r.json["household"] == "isole"
          and r.json["quotient_familial"] == 420 and r.json["version"] == version + 1,
          "patch: %r" % r)
    check(r.json["history"][-1]["kind"] == "update", "patch history: %r" % r.json["history"])
    err = expect_error(call(env, "PATCH", "/api/v1/cases/" + ref, alice,
                            {"version": version, "household": "monoparentale"}),
                       409, "conflict", what="stale version")
    check("version" in err.get("message", ""), "stale version says why: %r" % err)
    expect_error(call(env, "PATCH", "/api/v1/cases/" + ref, alice, {"colour": "blue"}),
                 400, "invalid", field="colour", what="patch unknown field")
    err = expect_error(call(env, "PATCH", "/api/v1/cases/" + ref, alice,
                            {"closed_on": "2025-03-01"}),
                       400, "invalid", field="closed_on", what="patch a lifecycle date")
    check("event" in err["message"], "lifecycle dates go through events: %r" % err)
    err = expect_error(call(env, "PATCH", "/api/v1/cases/" + ref, alice, {"household": "castle"}),
                       400, "invalid", field="household", what="patch unknown code")
    check("castle" in err["message"], "the unknown code is named: %r" % err)
    expect_error(call(env, "PATCH", "/api/v1/cases/" + ref, alice, {"reference": "x"}),
                 400, "invalid", field="reference", what="patch the reference")

    # Lifecycle events.
    ev = "/api/v1/cases/%s/events" % ref
    err = expect_error(call(env, "POST", ev, alice, {"event": "close",
                                                    "resolution": "revisee"}),
                       409, "conflict", what="close a received case")
    check(err.get("message_id") == "event.not_allowed" and "répondre" in err["message"],
          "invalid transition says why, in French: %r" % err)
    expect_error(call(env, "POST", ev, alice, {"event": "teleport"}), 400, "invalid",
                 field="event", what="unknown event")
    expect_error(call(env, "POST", ev, alice, {"date": "2025-02-25"}), 400, "invalid",
                 field="event", what="no event", message_id="api.event_required")
    expect_error(call(env, "POST", ev, alice, {"event": "take_in_charge", "actor": "bob"}),
                 400, "invalid", field="actor", what="actor given",
                 message_id="api.actor_given")
    expect_error(call(env, "POST", ev, alice, {"event": "put_on_hold", "reason": 3}),
                 400, "invalid", field="reason", what="a parameter of another type",
                 message_id="api.param_type")
    expect_error(call(env, "POST", ev, alice, {"event": "take_in_charge",
                                               "date": "2025-03-04"}),
                 400, "invalid", field="date", what="event date after today")
    expect_error(call(env, "POST", ev, alice, {"event": "take_in_charge",
                                               "assigned_to": "nobody"}),
                 400, "invalid", field="assigned_to", what="assigned to an unknown user")
    r = call(env, "POST", ev, alice, {"event": "take_in_charge", "date": "2025-02-25",
                                      "assigned_to": "bob"})
    check(r.status == 200 and r.json["state"] == "taken_in_charge"
          and r.json["taken_in_charge_on"] == "2025-02-25" and r.json["assigned_to"] == "bob"
          and r.json["deadline"]["status"] == "met", "take in charge: %r" % r)
    for body, state in (({"event": "start_investigation", "date": "2025-02-26"}, "in_progress"),
                        ({"event": "answer", "date": "2025-02-28",
                          "response_modes": ["courriel", "telephone"]}, "answered"),
                        ({"event": "close", "date": "2025-03-03", "resolution": "revisee",
                          "cause": "erreur_liquidation",
                          "confirm_unknown": ["activity"]}, "closed")):
        r = call(env, "POST", ev, alice, body)
        check(r.status == 200 and r.json["state"] == state, "%s: %r" % (body["event"], r))
    check(r.json["closed_on"] == "2025-03-03" and r.json["resolution"] == "revisee",
          "closed fields: %r" % r)
    check([h["kind"] for h in r.json["history"]][-4:] ==
          ["take_in_charge", "start_investigation", "answer", "close"], "event history")
    r = call(env, "POST", "/api/v1/cases/631-2025-0001/events", alice,
             {"event": "declare_inadmissible", "date": "2025-01-08",
              "inadmissibility_reason": "absence_demarche_prealable",
              "orientation": "Service des prestations"})
    check(r.status == 200 and r.json["state"] == "inadmissible"
          and r.json["admissibility"] == "irrecevable", "declare inadmissible: %r" % r)
    err = expect_error(call(env, "POST", "/api/v1/cases/631-2025-0001/events", alice,
                            {"event": "take_in_charge"}),
                       409, "conflict", what="take in charge an inadmissible case")

    # Figures.
    r = call(env, "GET", "/api/v1/stats?year=2025", alice)
    check(r.status == 200 and r.json["organismes"] == ["631"] and r.json["year"] == 2025
          and r.json["received"] == 2 and r.json["closed"] == 1
          and r.json["inadmissible"] == 1 and r.json["as_of"] == TODAY, "stats: %r" % r)
    r = call(env, "GET", "/api/v1/stats?year=2025&as_of=2025-12-31", admin)
    check(r.status == 200 and r.json["organismes"] == ["631", "974"]
          and r.json["received"] == 3, "national stats: %r" % r)
    r = call(env, "GET", "/api/v1/stats?year=2025&organisme=974&organisme=631", admin)
    check(r.status == 200 and r.json["organismes"] == ["631", "974"], "several funds: %r" % r)
    expect_error(call(env, "GET", "/api/v1/stats?year=2025&organisme=974", alice), 403,
                 "forbidden", field="organisme", what="stats of another fund")
    expect_error(call(env, "GET", "/api/v1/stats?year=2025&organisme=999", admin), 404,
                 "not_found", what="stats of an unknown fund")
    expect_error(call(env, "GET", "/api/v1/stats?year=nineteen", alice), 400, "invalid",
                 field="year", what="bad year", message_id="api.field_integer")
    r = call(env, "GET", "/api/v1/stats?year=2025", stat)
    check(r.status == 200 and r.json["organismes"] == ["631"], "statistics reader: %r" % r)
    expect_error(call(env, "GET", "/api/v1/cases/" + ref, stat), 403, "forbidden",
                 what="statistics reader reads a case")
    expect_error(call(env, "POST", "/api/v1/cases", stat, {"received_on": "2025-01-06"}),
                 403, "forbidden", what="statistics reader creates a case")
    return ref


def test_bad_bodies(env, tokens, ref):
    alice = tokens["alice"]
    err = expect_error(call(env, "POST", "/api/v1/cases", alice, raw=b'{"channel": "courriel",'),
                       400, "invalid", what="malformed JSON", message_id="api.json_malformed")
    check("JSON mal formé" in err["message"] and "ligne 1" in err["message"],
          "malformed JSON says where: %r" % err)
    expect_error(call(env, "POST", "/api/v1/cases", alice, raw=b'[]'), 400, "invalid",
                 what="not an object", message_id="api.body_object")
    expect_error(call(env, "POST", "/api/v1/cases", alice, raw=b''), 400, "invalid",
                 what="empty body", message_id="api.body_empty")
    err = expect_error(call(env, "POST", "/api/v1/cases", alice, {"channel": "courriel",
                                                                "colour": "blue"}),
                       400, "invalid", field="colour", what="unknown field",
                       message_id="api.field_unknown")
    check(err["message"] == "Champ inconnu « colour ».", "unknown field in French: %r" % err)
    expect_error(call(env, "POST", "/api/v1/cases", alice,
                      raw=b'{"channel":"courriel","channel":"courrier"}'),
                 400, "invalid", field="channel", what="repeated key", message_id="api.key_twice")
    err = expect_error(call(env, "POST", "/api/v1/cases", alice, {"channel": "pigeon"}),
                       400, "invalid", field="channel", what="unknown code",
                       message_id="interchange.code_unknown")
    check(err["message"] == "code inconnu « pigeon » pour channel",
          "unknown code in French: %r" % err)
    expect_error(call(env, "POST", "/api/v1/cases", alice, {"allocataire_number": "12"}),
                 400, "invalid", field="allocataire_number", what="bad allocataire number",
                 message_id="interchange.allocataire_number")
    expect_error(call(env, "POST", "/api/v1/cases", alice, {"received_on": "06/01/2025"}),
                 400, "invalid", field="received_on", what="bad date",
                 message_id="interchange.date_shape")
    expect_error(call(env, "POST", "/api/v1/cases", alice, {"description": 12}),
                 400, "invalid", field="description", what="description not a string",
                 message_id="api.field_string")
    expect_error(call(env, "POST", "/api/v1/cases", alice, {"people": [{"name": "X"}]}),
                 400, "invalid", field="people[0].role", what="a person without a role",
                 message_id="api.person_role_required")
    expect_error(call(env, "POST", "/api/v1/cases", alice, {"received_on": "2030-01-02"}),
                 400, "invalid", field="received_on", what="received in the future",
                 message_id="case.received_on_future")
    expect_error(call(env, "POST", "/api/v1/cases", alice, raw=b'{"channel":"\xff"}'),
                 400, "invalid", what="invalid UTF-8")
    r = call(env, "POST", "/api/v1/cases", alice, raw=b'channel=courriel',
             content_type="application/x-www-form-urlencoded")
    check(r.status == 415 and r.error().get("code") == "unsupported_media_type",
          "wrong content type: %r" % r)
    big = json.dumps({"description": "x" * (300 * 1024)}).encode()
    expect_error(call(env, "POST", "/api/v1/cases", alice, raw=big), 413, "too_large",
                 what="body over the API limit")
    expect_error(call(env, "PATCH", "/api/v1/cases/" + ref, alice, raw=big), 413, "too_large",
                 what="patch body over the API limit")
    # Not even authenticated: still 413 before anything is parsed.
    expect_error(call(env, "POST", "/api/v1/cases", None, raw=big), 413, "too_large",
                 what="unauthenticated large body")


def test_conflicts(env, tokens):
    alice, bob, carol, admin = tokens["alice"], tokens["bob"], tokens["carol"], tokens["admin"]
    r = call(env, "POST", "/api/v1/cases", alice, {
        "received_on": "2025-03-03", "channel": "courriel", "description": "Loyer et APL.",
        "people": [{"role": "beneficiary", "name": "Paul Durand"},
                   {"role": "landlord", "name": "SCI les Tilleuls"}]})
    check(r.status == 201, "create a case with a landlord: %r" % r)
    ref = r.json["reference"]
    path = "/api/v1/cases/" + ref
    ev = path + "/events"
    # bob declared the landlord: he may not take the case in charge, nor be put in charge.
    err = expect_error(call(env, "POST", ev, bob, {"event": "take_in_charge"}), 409, "conflict",
                       what="take in charge despite a conflict of interest")
    check(err.get("message_id") == "conflict.strong" and "déport" in err.get("message", "")
          and "Tilleuls" in err.get("message", ""),
          "the refusal says why and what to do: %r" % err)
    expect_error(call(env, "POST", ev, alice, {"event": "take_in_charge", "assigned_to": "bob"}),
                 409, "conflict", field="assigned_to", what="put bob in charge despite his link")
    r = call(env, "POST", ev, alice, {"event": "take_in_charge"})
    check(r.status == 200 and r.json["assigned_to"] == "alice", "alice takes it: %r" % r)
    # alice recuses to carol: from then on the case does not exist for alice.
    r = call(env, "POST", ev, alice, {"event": "recuse", "to": "carol",
                                      "reason": "Le bailleur est un voisin."})
    check(r.status == 200 and r.json.get("recused") is True
          and r.json.get("assigned_to") == "carol" and "history" not in r.json,
          "recusal answer shows nothing of the case: %r" % r)
    expect_error(call(env, "GET", path, alice), 404, "not_found", what="recused mediator reads")
    expect_error(call(env, "POST", ev, alice, {"event": "start_investigation"}), 404, "not_found",
                 what="recused mediator acts")
    expect_error(call(env, "PATCH", path, alice, {"description": "x"}), 404, "not_found",
                 what="recused mediator patches")
    r = call(env, "GET", "/api/v1/cases?limit=100", alice)
    check(r.status == 200 and ref not in [c["reference"] for c in r.json["items"]],
          "recused case absent from the list: %r" % r)
    r = call(env, "GET", path, carol)
    check(r.status == 200 and r.json["assigned_to"] == "carol"
          and r.json["history"][-1]["kind"] == "recuse", "carol has it: %r" % r)
    r = call(env, "GET", path, admin)
    check(r.status == 200, "the administrator still sees it: %r" % r)
    expect_error(call(env, "POST", ev, carol, {"event": "recuse", "to": "alice",
                                               "reason": "retour"}),
                 400, "invalid", field="to", what="hand the case back to who recused")


def unix_user():
    """The name the program takes for "cli:<unix user>" (service::UnixUserName)."""
    return os.environ.get("USER") or pwd.getpwuid(os.geteuid()).pw_name


def audit_rows(db_url, action):
    """(actor, object) of the audit rows of `action`, on SQLite or PostgreSQL."""
    if db_url.startswith("sqlite:"):
        db = sqlite3.connect(db_url[len("sqlite:"):])
        try:
            return db.execute("SELECT actor, object FROM audit_log WHERE action = ? ORDER BY id",
                              (action,)).fetchall()
        finally:
            db.close()
    psql = "/usr/lib/postgresql/15/bin/psql"
    out = subprocess.run([psql, "-At", "-F", "\t", "-d", db_url, "-c",
                          "SELECT actor, object FROM audit_log WHERE action = '%s' ORDER BY id"
                          % action], capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if line]


def test_cli_actor(env, tmp):
    """The command line acts, and is audited, as cli:<unix user>; its errors are French."""
    actor = "cli:" + unix_user()
    path = os.path.join(tmp, "cli-import-%d.jsonl" % env.port)
    with open(path, "w") as f:
        f.write('{"reference":"CLI-1","organisme":"974","received_on":"2025-01-06",'
                '"admissibility":"recevable","channel":"courriel"}\n')
    env.cli("import", path)
    rows = audit_rows(env.db, "cases.import")
    check(rows and rows[-1][0] == actor, "import audited as %s: %r" % (actor, rows))
    for action, obj in (("organisme.create", "631"), ("user.create", "alice"),
                        ("token.create", "alice"), ("interest.add", None)):
        rows = audit_rows(env.db, action)
        check(any(a == actor and (obj is None or o.startswith(obj)) for a, o in rows),
              "%s audited as %s: %r" % (action, actor, rows))
    env.cli("export", "--organisme", "974", "-o", os.path.join(tmp, "cli-export.jsonl"))
    rows = audit_rows(env.db, "cases.export")
    check(rows and rows[-1][0] == actor, "export audited as %s: %r" % (actor, rows))
    env.cli("stats", "--year", "2025", "--organisme", "974", "--json")
    rows = audit_rows(env.db, "figures.read")
    check(rows and rows[-1] == (actor, "974 2025"), "stats audited: %r" % rows)

    # Errors: one French line from the catalogue, the exit code of their class.
    with open(path, "w") as f:
        f.write('{"reference":"CLI-2","organisme":"974","received_on":"2025-01-06",'
                '"admissibility":"recevable","channel":"pigeon"}\n')
    r = env.cli("import", path, ok=False)
    check(r.returncode == 2 and "ligne 1 : channel : code inconnu « pigeon » pour channel" in r.stderr
          and "1 problème, rien n'a été importé" in r.stderr, "bad import: %r" % r.stderr)
    for args, code, text in (
            (["export", "--organisme", "999"], 3, "amiable: --organisme : organisme inconnu « 999 »"),
            (["token", "create", "--user", "nobody"], 3, "amiable: --user : compte inconnu « nobody »"),
            (["stats", "--year", "20x5"], 2, "amiable: --year : année invalide : « 20x5 »"),
            (["user", "add", "--name", "alice", "--role", "mediator", "--organisme", "631",
              "--no-password"], 4, "le compte « alice » existe déjà"),
            (["user", "interest", "remove", "--id", "999999"], 3, "aucun lien d'intérêts"),
            (["stats"], 106, "option ou argument obligatoire absent : --year"),
            (["organisme", "list", "--colour"], 109, "argument inattendu : --colour")):
        r = env.cli(*args, ok=False)
        lines = r.stderr.strip().splitlines()
        check(r.returncode == code and len(lines) == 1 and text in lines[0]
              and not looks_english(lines[0].split(":", 1)[1]),
              "%s: exit %d (want %d), stderr %r" % (" ".join(args), r.returncode, code, r.stderr))


def test_letters(env, tokens):
    """Letters from templates (issue 8, item 3): templates, orientations, a
    letter by mail and one for post, the answer event."""
    alice, admin, stat = tokens["alice"], tokens["admin"], tokens["stat"]
    r = call(env, "POST", "/api/v1/cases", alice, {
        "received_on": "2025-02-24", "channel": "courriel", "emitter": "allocataire",
        "people": [{"role": "beneficiary", "name": "Jeanne Martin",
                    "email": "jeanne@example.org",
                    "address": "4 place de Jaude, 63000 Clermont-Ferrand"}]})
    check(r.status == 201, "letters: create: %r" % r)
    ref = r.json["reference"]
    r = call(env, "GET", "/api/v1/letter-templates", alice)
    check(r.status == 200 and r.json["organisme"] == "631", "templates: %r" % r)
    kinds = [t["kind"] for t in r.json["items"]]
    check(kinds[:5] == ["acknowledgement", "admissibility", "inadmissibility", "intermediate",
                        "answer"], "template kinds: %r" % kinds)
    expect_error(call(env, "PUT", "/api/v1/letter-templates/acknowledgement", alice,
                      {"subject": "x", "body": "y"}), 403, "forbidden",
                 what="a mediator edits a template", message_id="role.manager_required")
    err = expect_error(call(env, "PUT", "/api/v1/letter-templates/acknowledgement?organisme=631",
                            admin, {"subject": "Reçu — {{reference}}", "body": "Bonjour\n{{#x}}"}),
                       400, "invalid", field="body", what="a broken template",
                       message_id="letter.template_unclosed_section")
    check("ligne 2, colonne 1" in err["message"], "position in French: %r" % err)
    r = call(env, "PUT", "/api/v1/letter-templates/acknowledgement?organisme=631", admin,
             {"subject": "Reçu — {{reference}}",
              "body": "{{> opening}}\n\nDemande reçue le {{received_on}}.\n\n{{> closing}}"})
    check(r.status == 200, "save a template: %r" % r)
    ack = [t for t in r.json["items"] if t["kind"] == "acknowledgement"][0]
    check(ack["overridden"] and ack["updated_by"] == "admin", "override kept: %r" % ack)
    r = call(env, "POST", "/api/v1/cases/%s/letters" % ref, alice,
             {"kind": "acknowledgement", "mode": "courriel"})
    check(r.status == 201, "a letter by mail: %r" % r)
    check(r.json["subject"] == "Reçu — " + ref and r.json["outbox"]["recipient"]
          == "jeanne@example.org" and r.json["outbox"]["state"] == "queued",
          "letter by mail: %r" % r.json)
    check("Demande reçue le 24 février 2025." in r.json["body_text"], "rendered: %r" % r.json)
    expect_error(call(env, "POST", "/api/v1/cases/%s/letters" % ref, stat,
                      {"kind": "acknowledgement", "mode": "courriel"}), 403, "forbidden",
                 what="a statistics reader sends a letter")
    expect_error(call(env, "POST", "/api/v1/cases/%s/letters" % ref, alice,
                      {"kind": "acknowledgement", "mode": "pigeon"}), 400, "invalid",
                 field="mode", what="an unknown mode", message_id="letter.mode_unknown")
    r = call(env, "POST", "/api/v1/cases/%s/events" % ref, alice, {"event": "take_in_charge"})
    check(r.status in (200, 201), "take in charge: %r" % r)
    r = call(env, "POST", "/api/v1/cases/%s/letters" % ref, alice,
             {"kind": "answer", "mode": "courrier", "response": "Votre droit est rétabli."})
    check(r.status == 201 and r.json["document"]["content_type"] == "application/pdf",
          "a letter for post: %r" % r)
    doc = call(env, "GET", "/api/v1/cases/%s/documents/%d" % (ref, r.json["document"]["id"]),
               alice)
    check(doc.status == 200 and doc.raw[:5] == b"%PDF-", "the PDF is a case document")
    case = call(env, "GET", "/api/v1/cases/" + ref, alice).json
    check(case["state"] == "answered" and case["response_modes"] == ["courrier"]
          and case["answered_on"] == TODAY, "the answer applied: %r" % case)
    r = call(env, "GET", "/api/v1/cases/%s/letters" % ref, alice)
    check([l["mode"] for l in r.json["items"]] == ["courriel", "courrier"], "letters: %r" % r)
    r = call(env, "GET", "/api/v1/orientations", alice)
    check(r.status == 200 and any(o["code"] == "point_conseil_budget" for o in r.json["items"]),
          "orientations: %r" % r)
    r = call(env, "DELETE", "/api/v1/letter-templates/acknowledgement?organisme=631", admin)
    check(r.status == 200 and not [t for t in r.json["items"]
                                   if t["kind"] == "acknowledgement"][0]["overridden"],
          "reset a template: %r" % r)


def run_scenario(tmp, db_url):
    env = Env(tmp, db_url)
    tokens = setup(env)
    env.start()
    try:
        test_ops(env)
        test_auth(env, tokens)
        ref = test_cases(env, tokens)
        test_bad_bodies(env, tokens, ref)
        test_conflicts(env, tokens)
        test_letters(env, tokens)
        r = call(env, "GET", "/metrics")
        check('amiable_http_requests_total{class="4xx"}' in r.raw.decode(), "4xx counted")
    finally:
        code = env.stop()
    log = open(env.log_path).read()
    check(code == 0, "clean stop on SIGTERM: exit %r" % code)
    check("msg=stopped" in log, "graceful stop logged")
    check(re.search(r"msg=request method=GET path=/healthz status=200 duration_ms=", log)
          is not None, "access log line")
    check("user=alice" in log, "access log names the user")
    check("amb_" not in log, "tokens never logged")
    test_cli_actor(env, tmp)
    if db_url.startswith("sqlite:"):
        # Reads are audited in batches; the stop flushes the last batch.
        db = sqlite3.connect(db_url[len("sqlite:"):])
        reads = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'case.read'").fetchone()
        db.close()
        check(reads[0] >= 2, "case reads audited: %r" % (reads,))
    return log


def fresh_pg_database():
    """A new empty database on the test PostgreSQL server ($AMIABLE_TEST_PG_URL,
    started by scripts/test), or None when there is none."""
    url = os.environ.get("AMIABLE_TEST_PG_URL", "")
    m = re.fullmatch(r"postgres(?:ql)?://([^@/]+)@([^:/]+):(\d+)/(\w+)", url)
    createdb = "/usr/lib/postgresql/15/bin/createdb"
    if not m or not os.path.exists(createdb):
        return None, None
    user, host, port, _ = m.groups()
    name = "amiable_api_%d" % os.getpid()
    subprocess.run([createdb, "-h", host, "-p", port, "-U", user, name], check=True)
    dropdb = ["/usr/lib/postgresql/15/bin/dropdb", "-h", host, "-p", port, "-U", user, name]
    return "postgresql://%s@%s:%s/%s" % (user, host, port, name), dropdb


def main():
    with tempfile.TemporaryDirectory(prefix="amiable-api-") as tmp:
        engines = [("sqlite", "sqlite:" + os.path.join(tmp, "api.db"), None)]
        pg_url, dropdb = fresh_pg_database()
        if pg_url:
            engines.append(("postgresql", pg_url, dropdb))
        for name, url, cleanup in engines:
            before = len(FAILURES)
            try:
                log = run_scenario(tmp, url)
            finally:
                if cleanup:
                    subprocess.run(cleanup, check=False)
            if len(FAILURES) > before:
                print("--- server log on %s (tail) ---\n%s" % (name, log[-3000:]),
                      file=sys.stderr)
            else:
                print("api_test: %s: all checks passed" % name)
        if FAILURES:
            print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
