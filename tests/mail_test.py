"""Outgoing mail end to end, with real servers: scripts/mail-start runs
dovecot (IMAP, LMTP) and opensmtpd (SMTP -> LMTP) on loopback ports; the
server sends the outbox to opensmtpd, which delivers into dovecot, read back
over IMAP. Standard library only. Needs root (the mail servers).

1. A beneficiary files the public form with an email address: the
   acknowledgement arrives in the mailbox, names the case reference, carries
   the outbox row's Message-ID, and the row is `sent`.
2. The SMTP server stopped: the next acknowledgement stays queued with its
   attempts and last_error; once the server is back it is sent, one copy
   (counted by Message-ID).
3. The case document shows its messages (`thread`): the delivered
   acknowledgement `sent` with the Message-ID found in the mailbox, for an
   administrator; a mediator of another fund gets 404. With the SMTP server
   down and AMIABLE_MAIL_MAX_ATTEMPTS=1, a new acknowledgement is given up:
   its thread entry is `failed` with the error.
"""
import email
import email.header
import email.policy
import imaplib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_test import Env, call, check, FAILURES  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
WEB_ROOT = os.path.join(ROOT, "web")
TODAY = "2025-03-04"


def mail_start(d, *extra):
    r = subprocess.run([os.path.join(ROOT, "scripts", "mail-start"), d, *extra],
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise SystemExit("mail-start failed:\n" + r.stderr)
    return dict(kv.split("=", 1) for kv in r.stdout.split())


def mail_stop(d, *extra):
    subprocess.run([os.path.join(ROOT, "scripts", "mail-stop"), d, *extra], timeout=30)


def mailbox(cfg):
    """Every message of the INBOX, parsed."""
    u = urllib.parse.urlparse(cfg["IMAP_URL"])
    m = imaplib.IMAP4(u.hostname, u.port)
    try:
        m.login(cfg["IMAP_USER"], cfg["IMAP_PASSWORD"])
        m.select("INBOX", readonly=True)
        _, data = m.search(None, "ALL")
        out = []
        for num in data[0].split():
            _, parts = m.fetch(num, "(BODY.PEEK[])")
            out.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
        return out
    finally:
        m.logout()


def wait_for(what, fn, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    check(False, "timed out waiting for " + what)
    return None


def outbox(env):
    r = env.cli("mail", "outbox", "--json")
    return [json.loads(l) for l in r.stdout.splitlines() if l.strip()]


def file_form(env, email_address, last_name):
    with urllib.request.urlopen(env.base + "/demande", timeout=10) as r:
        page = r.read().decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    fields = {
        "form_token": token, "emitter": "allocataire", "allocataire_number": "7654321",
        "last_name": last_name, "first_name": "Zoé", "email": email_address,
        "prior_complaint": "oui", "prior_complaint_on": "2025-02-10", "benefits": "logement",
        "description": "Mon aide au logement n'est plus versée depuis deux mois malgré ma "
                       "réclamation.",
        "consent": "oui", "site_web": "",
    }
    body = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(env.base + "/demande", data=body, method="POST")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(req, timeout=10)
        check(False, "the form was not accepted (no redirect)")
        return None
    except urllib.error.HTTPError as e:
        loc = e.headers.get("Location", "")
        check(e.code == 303 or e.code == 302, "form answered %d" % e.code)
        m = re.search(r"r=([^&]+)", loc)
        return urllib.parse.unquote(m.group(1)) if m else None


def subject_of(msg):
    return str(msg["Subject"])


def main():
    if os.geteuid() != 0:
        print("mail_test: skipped (the mail servers need root)")
        return 0
    import fcntl
    lock = open("/tmp/amiable-mail.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # one mail-start per machine (opensmtpd's fixed spool)
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # dovecot (users dovecot, nobody) reads the mail folder
        maildir = os.path.join(tmp, "mail")
        env = Env(tmp, "sqlite:" + os.path.join(tmp, "mail.db"))
        try:
            cfg = mail_start(maildir)
            env.cli("organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
                    "--zone", "metropole", "--region", "84")
            env.cli("organisme", "add", "--code", "671", "--name", "Caf du Bas-Rhin",
                    "--zone", "alsace_moselle", "--region", "44")
            env.cli("user", "add", "--name", "admin", "--role", "administrator", "--all-funds",
                    "--no-password")
            env.cli("user", "add", "--name", "dave", "--role", "mediator", "--organisme", "671",
                    "--no-password")
            env.tokens = {
                name: json.loads(env.cli("token", "create", "--user", name, "--json").stdout)["token"]
                for name in ("admin", "dave")}
            os.environ.update({
                "AMIABLE_DOCUMENTS_DIR": os.path.join(tmp, "documents"),
                "AMIABLE_SMTP_URL": cfg["SMTP_URL"],
                "AMIABLE_MAIL_FROM": "Médiateur de la Caf <mediateur@caf631.example>",
                "AMIABLE_MAIL_INTERVAL_SECONDS": "1",
                "AMIABLE_MAIL_RETRY_SECONDS": "1",
                "AMIABLE_PUBLIC_ORGANISME": "631",  # the form files into 631 (671: another fund)
            })
            env.start_args = ["--web-root", WEB_ROOT, "--today", TODAY]
            env.start()
            try:
                scenario(env, cfg, maildir)
            finally:
                env.stop()
        finally:
            mail_stop(maildir)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("mail_test: all checks passed")
    return 0


def scenario(env, cfg, maildir):
    # 1. The acknowledgement of the online form arrives.
    t0 = time.time()
    ref = file_form(env, "zoe@example.org", "Lefèvre")
    check(ref is not None, "the form gave a reference")
    if ref is None:
        return
    msgs = wait_for("the acknowledgement in the mailbox", lambda: mailbox(cfg))
    print("acknowledgement delivered in %.2f s" % (time.time() - t0))
    rows = outbox(env)
    check(len(rows) == 1, "one outbox row: %r" % rows)
    row = rows[0]
    check(row["reference"] == ref, "the row is of the case")
    wait_for("the row marked sent", lambda: outbox(env)[0]["state"] == "sent")
    row = outbox(env)[0]
    check(row["state"] == "sent" and row["attempts"] == 1, "row sent at the first attempt: %r" % row)
    check(len(msgs) == 1, "one message delivered, got %d" % len(msgs or []))
    m = msgs[0]
    check(ref in subject_of(m), "the subject names the reference: %r" % subject_of(m))
    check(m["Message-ID"] == row["message_id"],
          "the Message-ID is the row's: %r vs %r" % (m["Message-ID"], row["message_id"]))
    check(m["To"] == "zoe@example.org", "To: %r" % m["To"])
    check("mediateur@caf631.example" in str(m["From"]), "From: %r" % m["From"])
    check("Médiateur" in str(m["From"]), "From display name decoded: %r" % m["From"])
    check(m["Auto-Submitted"] == "auto-generated", "Auto-Submitted")
    body = m.get_content()
    check(ref in body and "reçue le 04/03/2025" in body, "the body names the reference: %r" % body)

    # 2. SMTP server down: the row stays queued with attempts and the error.
    mail_stop(maildir, "--smtp")
    ref2 = file_form(env, "luc@example.org", "Martin")
    check(ref2 is not None, "second form accepted while the SMTP server is down")

    def failed_once():
        r = [x for x in outbox(env) if x["reference"] == ref2]
        return r[0] if r and r[0]["attempts"] >= 2 and r[0]["last_error"] else None
    row2 = wait_for("two failed attempts", failed_once)
    if row2:
        check(row2["state"] == "queued", "still queued while the server is down: %r" % row2)
        print("while down: attempts=%d last_error=%r" % (row2["attempts"], row2["last_error"]))
    mail_start(maildir, "--smtp")
    t1 = time.time()

    def delivered():
        ms = [x for x in mailbox(cfg) if ref2 in subject_of(x)]
        return ms or None
    wait_for("the retried message in the mailbox", delivered, timeout=30)
    print("retried message delivered %.2f s after the restart" % (time.time() - t1))
    wait_for("the second row sent",
             lambda: [x for x in outbox(env) if x["reference"] == ref2][0]["state"] == "sent")
    row2 = [x for x in outbox(env) if x["reference"] == ref2][0]
    time.sleep(2)  # a duplicate, if any, would arrive now
    all_msgs = mailbox(cfg)
    ids = [x["Message-ID"] for x in all_msgs]
    check(ids.count(row2["message_id"]) == 1, "one copy of the retried message: %r" % ids)
    check(len(ids) == 2 and len(set(ids)) == 2, "two messages, two Message-IDs: %r" % ids)
    print("mailbox: %d messages, Message-IDs %s" % (len(ids), ", ".join(ids)))

    # 3. The thread of the case document.
    thread_sent(env, ref, [x for x in all_msgs if ref in subject_of(x)])
    thread_failed(env, maildir)


def case_thread(env, ref, who="admin"):
    r = call(env, "GET", "/api/v1/cases/" + urllib.parse.quote(ref), token=env.tokens[who])
    check(r.status == 200, "GET the case as %s: %r" % (who, r))
    return (r.json or {}).get("thread") if r.status == 200 else None


def thread_sent(env, ref, delivered):
    thread = case_thread(env, ref)
    check(isinstance(thread, list) and len(thread) == 1, "one message in the thread: %r" % thread)
    if not thread or not delivered:
        return
    t = thread[0]
    check(t["direction"] == "out" and t["kind"] == "message", "an outgoing message: %r" % t)
    check(t["state"] == "sent" and t["attempts"] == 1 and t["error"] is None,
          "sent at the first attempt, no error: %r" % t)
    check(t["message_id"] == delivered[0]["Message-ID"],
          "the thread's Message-ID is the delivered one: %r vs %r"
          % (t["message_id"], delivered[0]["Message-ID"]))
    check(t["subject"] == subject_of(delivered[0]) and ref in t["subject"],
          "the subject as sent, reference filled in: %r vs %r" % (t["subject"], subject_of(delivered[0])))
    check(t["to"] == "zoe@example.org", "to: %r" % t["to"])
    check(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", t["at"] or "") is not None,
          "at is an ISO timestamp: %r" % t["at"])
    print("thread[0]: state=%s message_id=%s" % (t["state"], t["message_id"]))
    r = call(env, "GET", "/api/v1/cases/" + urllib.parse.quote(ref), token=env.tokens["dave"])
    check(r.status == 404, "a mediator of another fund does not see the case: %r" % r)


def thread_failed(env, maildir):
    # SMTP down, one attempt allowed: the next acknowledgement is given up.
    mail_stop(maildir, "--smtp")
    env.stop()
    os.environ["AMIABLE_MAIL_MAX_ATTEMPTS"] = "1"
    try:
        env.start()
    finally:
        del os.environ["AMIABLE_MAIL_MAX_ATTEMPTS"]
    ref3 = file_form(env, "ines@example.org", "Durand")
    check(ref3 is not None, "third form accepted while the SMTP server is down")
    if ref3 is None:
        return

    def failed():
        th = case_thread(env, ref3)
        return th if th and th[0]["state"] == "failed" else None
    thread = wait_for("the third message given up", failed)
    if not thread:
        return
    t = thread[0]
    check(t["attempts"] == 1, "given up after one attempt: %r" % t)
    check(isinstance(t["error"], str) and t["error"] != "", "the error is shown: %r" % t)
    check(t["to"] == "ines@example.org" and ref3 in t["subject"], "the failed message: %r" % t)
    print("thread of %s: state=%s attempts=%d error=%r" % (ref3, t["state"], t["attempts"], t["error"]))


if __name__ == "__main__":
    sys.exit(main())
