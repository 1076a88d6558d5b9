#!/usr/bin/env python3
"""End-to-end test of uploads and downloads (issue 9, part 3).

Drives the real binary ($AMIABLE_BIN, default build/amiable) on a throwaway
SQLite database:
- a PNG+HTML polyglot sent through the public form as "x.html" is stored and
  served as "x.png", image/png, attachment, nosniff, sandboxing CSP;
- refused uploads (wrong type, over 10 Mo, interrupted) leave no file in the
  document folder;
- orphan files an hour old are swept at start, a file with its row never;
- memory: UPLOADS (default 16) concurrent 60 MiB uploads, half through the
  public form, half through the authenticated API document route (POST
  /api/v1/cases/REF/documents), all refused as over 10 Mo: the server's
  peak RSS (VmHWM) stays under 300 MB (the HTTP layer accepts bodies up to
  64 MiB, `serve --max-body-mib`; no route keeps more than 10 Mo a file).
Standard library only.
"""
import http.client
import os
import re
import socket
import sqlite3
import struct
import sys
import tempfile
import threading
import time
import uuid
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amiable import WEB_ROOT, Session, add_user  # noqa: E402
from api_test import Env, check, FAILURES  # noqa: E402

MIB = 1 << 20
UPLOADS = int(os.environ.get("UPLOADS", "16"))
RSS_LIMIT_MB = 300


def png_1x1():
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    raw = b"\x00\xff\x00\x00"  # one red pixel, filter byte first
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


POLYGLOT = png_1x1() + b"<html><body><script>document.title='pwned'</script></body></html>\n"


def multipart(fields, files):
    """(content type, body bytes): fields first (as browsers send them)."""
    boundary = "----amiable" + uuid.uuid4().hex
    out = b""
    for k, v in fields:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                % (boundary, k, v)).encode()
    for field, name, ctype, data in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: %s\r\n\r\n" % (boundary, field, name, ctype)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return "multipart/form-data; boundary=" + boundary, out


def http_request(env, method, path, body=b"", headers=None, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", env.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def public_fields(env):
    status, _, page = http_request(env, "GET", "/demande")
    token = re.search(rb'name="form_token" value="([^"]+)"', page).group(1).decode()
    return [("form_token", token), ("emitter", "allocataire"), ("allocataire_number", "7654321"),
            ("last_name", "Lefèvre"), ("first_name", "Zoé"), ("email", "zoe@example.org"),
            ("prior_complaint", "oui"), ("prior_complaint_on", "2025-02-10"),
            ("benefits", "logement"),
            ("description", "Mon aide au logement n'est plus versée depuis deux mois."),
            ("consent", "oui")]


def submit_public(env, files):
    ctype, body = multipart(public_fields(env), files)
    return http_request(env, "POST", "/demande", body, {"Content-Type": ctype})


def folder_files(docs):
    return sorted(os.listdir(docs)) if os.path.isdir(docs) else []


def vm_hwm_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0


class Stream:
    """A body of `size` bytes sent in 1 MiB chunks (never held whole)."""

    def __init__(self, head, size, tail):
        self.head, self.size, self.tail = head, size, tail

    def __iter__(self):
        yield self.head
        left = self.size
        block = b"\x89PNG\r\n\x1a\n" + b"x" * (MIB - 8)
        while left > 0:
            n = min(left, MIB)
            yield block[:n]
            left -= n
        yield self.tail

    def length(self):
        return len(self.head) + self.size + len(self.tail)


def big_upload(env, path, fields, headers, results, i):
    boundary = "----amiable-big-%d" % i
    if fields is None:  # a raw body (the API)
        body = Stream(b"", 60 * MIB, b"")
        hdrs = dict(headers)
    else:
        head = b"".join(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                         % (boundary, k, v)).encode() for k, v in fields)
        head += ("--%s\r\nContent-Disposition: form-data; name=\"attachments\"; "
                 "filename=\"grand.png\"\r\nContent-Type: image/png\r\n\r\n" % boundary).encode()
        body = Stream(head, 60 * MIB, ("\r\n--%s--\r\n" % boundary).encode())
        hdrs = {"Content-Type": "multipart/form-data; boundary=" + boundary}
    hdrs["Content-Length"] = str(body.length())
    try:
        conn = http.client.HTTPConnection("127.0.0.1", env.port, timeout=120)
        conn.request("POST", path, body=iter(body), headers=hdrs)
        r = conn.getresponse()
        r.read()
        results[i] = r.status
        conn.close()
    except Exception as e:  # noqa: BLE001
        results[i] = repr(e)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = Env(tmp, "sqlite:" + os.path.join(tmp, "uploads.db"))
        env.cli("organisme", "add", "--code", "631", "--name", "Caf du Puy-de-Dôme",
                "--zone", "metropole", "--region", "84")
        add_user(env, "marie", "mediator", "631")
        token = env.cli("token", "create", "--user", "marie", "--label", "test").stdout.strip()
        docs = os.path.join(tmp, "documents")
        os.makedirs(docs)
        # Files left by interrupted uploads before this start: two hours old
        # (swept) and two minutes old (kept); a name of another shape (kept).
        old = time.time() - 7200
        for name, mtime in (("a" * 32, old), ("b" * 32 + ".part", old),
                            ("c" * 32 + ".part", time.time() - 120), ("notes.txt", old)):
            with open(os.path.join(docs, name), "w") as f:
                f.write("x")
            os.utime(os.path.join(docs, name), (mtime, mtime))
        os.environ["AMIABLE_DOCUMENTS_DIR"] = docs
        os.environ["AMIABLE_PUBLIC_ORGANISME"] = "631"
        os.environ["AMIABLE_FORM_RATE_LIMIT"] = "1000"
        env.start_args = ["--web-root", WEB_ROOT, "--today", "2025-03-03"]
        env.start()
        try:
            scenario(env, docs, token, tmp)
        finally:
            env.stop()
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("uploads_test: all checks passed")
    return 0


def scenario(env, docs, token, tmp):
    # ---- The sweep at start ----
    deadline = time.time() + 5
    while time.time() < deadline and ("a" * 32) in folder_files(docs):
        time.sleep(0.05)
    files = folder_files(docs)
    check("a" * 32 not in files and "b" * 32 + ".part" not in files,
          "old orphans swept at start: %r" % files)
    check("c" * 32 + ".part" in files and "notes.txt" in files,
          "a young temporary file and another name are kept: %r" % files)
    os.unlink(os.path.join(docs, "c" * 32 + ".part"))
    os.unlink(os.path.join(docs, "notes.txt"))

    # ---- The polyglot ----
    status, h, _ = submit_public(env, [("attachments", "x.html", "text/html", POLYGLOT)])
    check(status == 303, "public form with the polyglot: 303 expected, got %d" % status)
    ref = re.search(r"r=([0-9-]+)", h.get("location", ""))
    check(ref is not None, "receipt link: %r" % h.get("location"))
    if ref is None:
        return
    ref = ref.group(1)
    db = sqlite3.connect(env.db[len("sqlite:"):])
    rows = db.execute("SELECT file_name, content_type, storage_key, size_bytes FROM documents"
                      ).fetchall()
    check([r[:2] for r in rows] == [("x.png", "image/png")],
          "stored as x.png image/png: %r" % rows)
    key = rows[0][2] if rows else ""
    check(folder_files(docs) == [key], "one file, under its key: %r" % folder_files(docs))
    marie = Session(env, "marie")
    status, page = marie.get("/dossiers/" + ref)
    link = re.search(r'href="(/dossiers/%s/documents/\d+)"' % ref, page)
    check(link is not None, "the case page links the document")
    if link:
        status, body = marie.get_bytes(link.group(1))
        check(status == 200 and body == POLYGLOT, "download: %d, same bytes" % status)
        # The headers, through a plain request with the session's cookie.
        cookie = "; ".join("%s=%s" % (c.name, c.value) for c in marie.jar)
        status, h, _ = http_request(env, "GET", link.group(1), headers={"Cookie": cookie})
        check(h.get("content-type") == "image/png", "served as image/png: %r" % h)
        check(h.get("content-disposition", "").startswith('attachment; filename="x.png"'),
              "attachment named x.png: %r" % h.get("content-disposition"))
        check(h.get("x-content-type-options") == "nosniff", "nosniff: %r" % h)
        csp = h.get("content-security-policy", "")
        check("sandbox" in csp and "default-src 'none'" in csp, "sandbox CSP: %r" % csp)
    # The API download too.
    status, h, body = http_request(env, "GET", "/api/v1/cases/%s/documents/1" % ref,
                                   headers={"Authorization": "Bearer " + token})
    check(status == 200 and h.get("content-type") == "image/png" and
          'filename="x.png"' in h.get("content-disposition", "") and
          "sandbox" in h.get("content-security-policy", ""),
          "API download: %d %r" % (status, h))

    # ---- Refused uploads leave no file ----
    before = folder_files(docs)
    status, _, page = submit_public(env, [("attachments", "virus.pdf", "application/pdf",
                                           b"MZ\x90\x00 not a pdf")])
    check(status == 400 and "ni un PDF".encode() in page, "wrong type refused: %d" % status)
    status, _, page = submit_public(env, [("attachments", "grand.pdf", "application/pdf",
                                           b"%PDF-1.4\n" + b"x" * (11 * MIB))])
    check(status == 400 and "dépasse 10 Mo".encode() in page, "over 10 Mo refused: %d" % status)
    status, _, _ = submit_public(env, [("attachments", "p%d.pdf" % i, "application/pdf",
                                        b"%PDF-1.4\n") for i in range(6)])
    check(status == 400, "six attachments refused: %d" % status)
    # A form token that does not verify: files are not even written.
    ctype, body = multipart([("form_token", "faux")] + public_fields(env)[1:],
                            [("attachments", "a.pdf", "application/pdf", b"%PDF-1.4\n")])
    status, _, _ = http_request(env, "POST", "/demande", body, {"Content-Type": ctype})
    check(status == 400, "expired form token: %d" % status)
    # The API: a 12 Mo body, an executable, an empty body.
    for what, data, want in (("12 Mo", b"%PDF-1.4\n" + b"x" * (12 * MIB), 413),
                             ("executable", b"MZ\x90\x00", 400), ("empty", b"", 400)):
        status, _, _ = http_request(env, "POST", "/api/v1/cases/%s/documents?name=a.pdf" % ref,
                                    data, {"Authorization": "Bearer " + token,
                                           "Content-Type": "application/pdf"})
        check(status == want, "API %s refused: %d expected, got %d" % (what, want, status))
    # Unauthenticated: 401, the body read and dropped.
    status, _, _ = http_request(env, "POST", "/api/v1/cases/%s/documents?name=a.pdf" % ref,
                                b"%PDF-1.4\n" + b"x" * MIB, {"Content-Type": "application/pdf"})
    check(status == 401, "API upload without a token: %d" % status)
    # An interrupted upload: headers announce 5 MiB, 1 MiB comes, the client goes.
    ctype, body = multipart(public_fields(env), [("attachments", "coupe.pdf", "application/pdf",
                                                  b"%PDF-1.4\n" + b"x" * (5 * MIB))])
    s = socket.create_connection(("127.0.0.1", env.port))
    s.sendall(("POST /demande HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
               % (ctype, len(body))).encode() + body[:MIB])
    time.sleep(0.5)
    s.close()
    time.sleep(0.5)
    check(folder_files(docs) == before, "refused and interrupted uploads leave no file: %r -> %r"
          % (before, folder_files(docs)))
    # An accepted API upload (9 Mo), streamed: its bytes and hash kept.
    data = b"%PDF-1.4\n" + os.urandom(9 * MIB)
    status, _, body = http_request(env, "POST", "/api/v1/cases/%s/documents?name=gros.html" % ref,
                                   data, {"Authorization": "Bearer " + token,
                                          "Content-Type": "application/octet-stream"})
    check(status == 201 and b'"file_name":"gros.pdf"' in body, "API 9 Mo upload: %d %r"
          % (status, body[:200]))
    status, _, back = http_request(env, "GET", "/api/v1/cases/%s/documents/2" % ref,
                                   headers={"Authorization": "Bearer " + token})
    check(back == data, "the 9 Mo document reads back the same")
    # The case page's document form (streamed, CSRF first).
    ctype, body = multipart([("csrf", marie.csrf)],
                            [("file", "page.html", "text/html", POLYGLOT)])
    cookie = "; ".join("%s=%s" % (c.name, c.value) for c in marie.jar)
    status, h, _ = http_request(env, "POST", "/dossiers/%s/documents" % ref, body,
                                {"Content-Type": ctype, "Cookie": cookie})
    check(status == 303, "case page upload: %d" % status)
    ctype, body = multipart([("csrf", "x" * 43)], [("file", "b.pdf", "application/pdf",
                                                   b"%PDF-1.4\n")])
    n = len(folder_files(docs))
    status, _, _ = http_request(env, "POST", "/dossiers/%s/documents" % ref, body,
                                {"Content-Type": ctype, "Cookie": cookie})
    check(status == 403 and len(folder_files(docs)) == n, "case upload with a bad CSRF: %d" % status)
    names = [r[0] for r in db.execute("SELECT file_name FROM documents ORDER BY id")]
    check(names == ["x.png", "gros.pdf", "page.png"], "stored names: %r" % names)

    # ---- Memory: concurrent 60 MiB uploads, all refused ----
    base = vm_hwm_mb(env.proc.pid)
    results = [None] * UPLOADS
    threads = []
    fields = public_fields(env)
    for i in range(UPLOADS):
        if i % 2 == 0:
            args = (env, "/demande", fields, {}, results, i)
        else:
            args = (env, "/api/v1/cases/%s/documents?name=grand.png" % ref, None,
                    {"Authorization": "Bearer " + token, "Content-Type": "image/png"}, results, i)
        t = threading.Thread(target=big_upload, args=args)
        threads.append(t)
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.time() - t0
    peak = vm_hwm_mb(env.proc.pid)
    print("memory: %d concurrent 60 MiB uploads in %.1f s, VmHWM %.0f MB before, %.0f MB after"
          % (UPLOADS, took, base, peak))
    check(all(r in (400, 413) for r in results), "60 MiB uploads refused: %r" % results)
    check(peak < RSS_LIMIT_MB, "peak RSS %.0f MB under %d MB" % (peak, RSS_LIMIT_MB))
    check(len(folder_files(docs)) == n, "refused big uploads leave no file")

    # ---- A restart: the sweep keeps files with a row, however old ----
    for name in folder_files(docs):
        os.utime(os.path.join(docs, name), (time.time() - 86400, time.time() - 86400))
    env.stop()
    env.start()
    time.sleep(0.5)
    check(len(folder_files(docs)) == n, "files with rows survive the sweep: %r" % folder_files(docs))
    status, _, back = http_request(env, "GET", "/api/v1/cases/%s/documents/2" % ref,
                                   headers={"Authorization": "Bearer " + token})
    check(status == 200 and back == data, "a document still reads after the sweep")


if __name__ == "__main__":
    sys.exit(main())
