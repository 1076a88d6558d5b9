#!/usr/bin/python3
"""End-to-end test of the reception (issue 9, part 2: availability), with wide
bounds: the figures are measured by bench/slow_clients.py (docs/security.md).

Starts `amiable serve --trusted-proxy 127.0.0.2` on a fresh database and checks:
caps on the head (431), chunked bodies (411), an over-long body refused at
once (413), Expect: 100-continue, pipelined keep-alive requests, /healthz
under 70 slowloris + 70 slow bodies held 8 s (each probe < 1 s), the peak RSS
of an upload flood (< 400 MB), X-Forwarded-For believed only from the trusted
proxy (the access log's remote=), and a clean stop. About 40 s.
"""
import os
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bench"))
import slow_clients as sc  # noqa: E402

BIN = os.environ.get("AMIABLE_BIN", os.path.join(ROOT, os.environ.get("BUILD", "build"),
                                                 "amiable"))
failures = []


def check(cond, what):
    print(("ok - " if cond else "FAIL - ") + what)
    if not cond:
        failures.append(what)


def main():
    srv = sc.Server(BIN, ["--trusted-proxy", "127.0.0.2"]).start()
    port = srv.port
    try:
        st, _ = sc.request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(st == 200, "a normal request is served")

        st, data = sc.request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                              b"a" * 20000 + b"\r\n\r\n")
        check(st == 431, "a 20 KB head is refused with 431 (got %s)" % st)
        check(b"x-content-type-options: nosniff" in data.lower(),
              "a refusal carries the security headers")
        st, _ = sc.request(port, b"GET /healthz HTTP/1.1\r\n" +
                           b"".join(b"X-H%d: 1\r\n" % i for i in range(150)) + b"\r\n")
        check(st == 431, "150 header lines are refused with 431 (got %s)" % st)
        st, _ = sc.request(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n")
        check(st == 414, "a 9 KB request line is refused with 414 (got %s)" % st)
        st, _ = sc.request(port, b"POST /demande HTTP/1.1\r\nHost: x\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        check(st == 411, "a chunked body is refused with 411 (got %s)" % st)
        t0 = time.time()
        st, _ = sc.request(port, b"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Length: 209715200\r\n\r\n")
        check(st == 413 and time.time() - t0 < 2,
              "a 200 MB Content-Length gets 413 at once, unread (got %s)" % st)

        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        interim = s.recv(100)
        s.sendall(b"{}")
        final = b""
        while b"\r\n\r\n" not in final:
            chunk = s.recv(4096)
            if not chunk:
                break
            final += chunk
        s.close()
        check(interim.startswith(b"HTTP/1.1 100 Continue") and final.startswith(b"HTTP/1.1 401"),
              "Expect: 100-continue gets one 100 Continue, then the response")

        st, data = sc.request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                              b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                              until_close=True)
        check(data.count(b"HTTP/1.1 200") == 2, "two pipelined requests on one connection")

        sc.request(port, b"GET /xff-untrusted HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   b"X-Forwarded-For: 203.0.113.9\r\n\r\n")
        sc.request(port, b"GET /xff-trusted HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                   b"X-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n\r\n", source="127.0.0.2")
        time.sleep(0.2)
        log = srv.log_text()
        untrusted = [line for line in log.splitlines() if "path=/xff-untrusted" in line]
        trusted = [line for line in log.splitlines() if "path=/xff-trusted" in line]
        check(len(untrusted) == 1 and "remote=127.0.0.1" in untrusted[0],
              "X-Forwarded-For from an untrusted peer is ignored")
        check(len(trusted) == 1 and "remote=203.0.113.7" in trusted[0],
              "X-Forwarded-For from the trusted proxy gives the client (rightmost untrusted)")

        unloaded = sc.summary(*sc.probe(port, 1.5))
        slow = sc.slow_attack(port, 70, 8)
        print("  /healthz unloaded p99 %.1f ms; under 70 slowloris + 70 slow bodies: p50 %.1f ms "
              "p99 %.1f ms max %.1f ms (%d probes, %d failed, %d held open)" % (
                  unloaded["p99_ms"], slow["p50_ms"], slow["p99_ms"], slow["max_ms"], slow["n"],
                  slow["failures"], slow["held_open"]))
        check(slow["held_open"] >= 130, "the 140 slow connections were held open")
        check(slow["failures"] == 0 and slow["n"] > 20 and slow["max_ms"] < 1000,
              "/healthz answers every probe within 1 s under slow clients")

        flood = sc.upload_flood(srv, 24, 60)
        print("  24 uploads of 60 MiB: VmHWM %.0f MB (rest %.0f MB), statuses %s, %.1f s" % (
            flood["vmhwm_mb"], flood["rss_rest_mb"], flood["statuses"], flood["seconds"]))
        check(flood["vmhwm_mb"] < 400, "peak RSS under 400 MB during the upload flood")
        check(sum(v for k, v in flood["statuses"].items() if k.isdigit()) == 24,
              "every upload got an HTTP response")
        st, _ = sc.request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(st == 200, "the server still answers after the attacks")
    finally:
        code = srv.stop()
    check(code == 0, "SIGTERM stops the server cleanly (exit %s)" % code)
    if failures:
        print(srv.log_text()[-3000:], file=sys.stderr)
        print("availability_test: %d failed" % len(failures))
        sys.exit(1)
    print("availability_test: all checks passed")


if __name__ == "__main__":
    main()
