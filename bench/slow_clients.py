#!/usr/bin/python3
"""Slow clients and upload floods against `amiable serve` (issue 9, part 2).

Starts the server on a fresh SQLite database and a free loopback port, then:
  1. /healthz latency unloaded (the ceiling the loaded figures are read beside);
  2. N slowloris connections (one header line every 3 s, reconnecting when
     the server closes them) and N slow bodies (a few bytes every 3 s of a
     1 MB body) held for HOLD seconds, while /healthz is probed every 50 ms
     on fresh connections: p50 / p99 / max and failures;
  3. U concurrent uploads of SIZE MiB each (multipart, POST /demande, the
     public form) while the server's RSS is sampled; VmHWM (peak RSS) at the
     end, beside its RSS at rest.

Usage: bench/slow_clients.py [--hold 20] [--slow 70] [--uploads 32]
       [--upload-mib 60] [--bin build/amiable] [--json]
The functions are reused by tests/availability_test.py with wide bounds.
"""
import argparse
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """amiable serve on a temporary database; the log goes to a file."""

    def __init__(self, binary, extra=(), tmp=None):
        self.binary = binary
        self.tmp = tmp or tempfile.mkdtemp(prefix="amiable-avail-")
        self.port = free_port()
        self.extra = list(extra)
        self.log_path = os.path.join(self.tmp, "server.log")
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [self.binary, "--db", "sqlite:" + os.path.join(self.tmp, "db.sqlite"), "serve",
             "--port", str(self.port), "--web-root", os.path.join(ROOT, "web"),
             "--mail-poll-seconds", "0", *self.extra],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("server exited early:\n" + open(self.log_path).read())
            if healthz(self.port, timeout=1) is not None:
                return self
            time.sleep(0.05)
        raise SystemExit("server did not answer /healthz")

    def status(self, field):
        """A /proc/PID/status field in kB (VmRSS, VmHWM)."""
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def log_text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                return None
        return self.proc.returncode if self.proc else None


# --front: every connection is TLS to the nginx front (scripts/front-start),
# whose certificate is self-signed.
TLS = None


def connect(port, timeout, source=None):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    if TLS is not None:
        s = TLS.wrap_socket(s, server_hostname="127.0.0.1")
    return s


def request(port, raw, timeout=5.0, source=None, until_close=False):
    """Sends raw bytes on a new connection; returns (status, bytes received):
    the first response, or all until the server closes (until_close)."""
    s = connect(port, timeout, source)
    try:
        s.sendall(raw)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if not until_close and b"\r\n\r\n" in data:
                head, _, body = data.partition(b"\r\n\r\n")
                length = None
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is not None and len(body) >= length:
                    break
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
        return status, data
    finally:
        s.close()


def healthz(port, timeout=5.0):
    """Seconds one GET /healthz took on a fresh connection, or None (failure)."""
    t0 = time.perf_counter()
    try:
        status, _ = request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                            timeout=timeout)
    except OSError:
        return None
    return time.perf_counter() - t0 if status == 200 else None


class SlowClients(threading.Thread):
    """n slowloris heads and n slow bodies, kept open (reconnecting) until stop()."""

    def __init__(self, port, n_heads, n_bodies, interval=3.0):
        super().__init__(daemon=True)
        self.port, self.n_heads, self.n_bodies, self.interval = port, n_heads, n_bodies, interval
        self.done = threading.Event()
        self.socks = {}  # socket -> (kind, next send time)
        self.reconnects = 0
        self.max_open = 0

    def open_one(self, kind):
        try:
            s = connect(self.port, 2)
        except OSError:
            return
        s.setblocking(False)
        try:
            if kind == "head":
                s.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
            else:
                s.send(b"POST /demande HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       b"application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\na=")
        except OSError:
            s.close()
            return
        self.socks[s] = (kind, time.time() + self.interval)

    def run(self):
        for _ in range(self.n_heads):
            self.open_one("head")
        for _ in range(self.n_bodies):
            self.open_one("body")
        while not self.done.is_set():
            self.max_open = max(self.max_open, len(self.socks))
            readable, _, _ = select.select(list(self.socks), [], [], 0.2)
            for s in readable:  # the server answered (408) or closed: reconnect
                kind = self.socks.pop(s)[0]
                s.close()
                self.reconnects += 1
                self.open_one(kind)
            now = time.time()
            for s, (kind, due) in list(self.socks.items()):
                if now < due:
                    continue
                try:
                    s.send(b"X-Slow: 1\r\n" if kind == "head" else b"aaaa")
                    self.socks[s] = (kind, now + self.interval)
                except OSError:
                    self.socks.pop(s)
                    s.close()
                    self.reconnects += 1
                    self.open_one(kind)
        for s in self.socks:
            s.close()

    def stop(self):
        self.done.set()
        self.join()


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def probe(port, seconds, every=0.05, timeout=5.0):
    """Probes /healthz for `seconds`; returns (latencies in s, failures)."""
    lat, failures = [], 0
    end = time.time() + seconds
    while time.time() < end:
        t = healthz(port, timeout=timeout)
        if t is None:
            failures += 1
        else:
            lat.append(t)
        time.sleep(every)
    return lat, failures


def summary(lat, failures):
    return {"n": len(lat), "failures": failures, "p50_ms": percentile(lat, 50) * 1e3,
            "p99_ms": percentile(lat, 99) * 1e3, "max_ms": (max(lat) if lat else float("nan")) * 1e3}


def slow_attack(port, n, hold):
    """Holds n slowloris + n slow bodies for `hold` s while probing /healthz."""
    attack = SlowClients(port, n, n)
    attack.start()
    time.sleep(1.0)  # all connections open
    lat, failures = probe(port, hold - 1.0)
    open_at_end = len(attack.socks)
    attack.stop()
    out = summary(lat, failures)
    out.update({"held_open": attack.max_open, "open_at_end": open_at_end,
                "reconnects": attack.reconnects})
    return out


def upload(port, mib, results, i):
    """One multipart POST /demande of `mib` MiB, sent in 1 MiB pieces."""
    boundary = b"----amiablebench%d" % i
    head = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"pj\"; "
            b"filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
    tail = b"\r\n--" + boundary + b"--\r\n"
    piece = b"%PDF-1.4\n" + b"x" * ((1 << 20) - 9)
    length = len(head) + mib * len(piece) + len(tail)
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=120)
        s.sendall(b"POST /demande HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  b"Content-Type: multipart/form-data; boundary=" + boundary +
                  b"\r\nContent-Length: %d\r\n\r\n" % length + head)
        for _ in range(mib):
            s.sendall(piece)
        s.sendall(tail)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        results[i] = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    except OSError as e:
        results[i] = "error: %s" % e


def upload_many(port, n, mib):
    """n concurrent uploads (threads); returns {status: count}."""
    results = [None] * n
    threads = [threading.Thread(target=upload, args=(port, mib, results, i)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = {}
    for r in results:
        statuses[str(r)] = statuses.get(str(r), 0) + 1
    return statuses


def upload_flood(server, n, mib):
    """n concurrent uploads, sent by a child process (so that its threads do
    not slow this process's /healthz probes); returns RSS figures (MB), the
    statuses and /healthz meanwhile."""
    rest_kb = server.status("VmRSS")
    t0 = time.time()
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--upload-worker",
                              "%d,%d,%d" % (server.port, n, mib)], stdout=subprocess.PIPE)
    peak_sampled = 0
    health = []
    while child.poll() is None:
        peak_sampled = max(peak_sampled, server.status("VmRSS"))
        h = healthz(server.port, timeout=5)
        health.append(h if h is not None else 5.0)
        time.sleep(0.05)
    statuses = json.loads(child.stdout.read() or b"{}")
    return {"uploads": n, "mib_each": mib, "seconds": time.time() - t0,
            "rss_rest_mb": rest_kb / 1024.0, "rss_peak_sampled_mb": peak_sampled / 1024.0,
            "vmhwm_mb": server.status("VmHWM") / 1024.0, "statuses": statuses,
            "healthz_during_p99_ms": percentile(health, 99) * 1e3}


def front_attack(app_port, n, hold):
    """The slow clients against the nginx front started in front of the app."""
    global TLS
    import ssl
    d = tempfile.mkdtemp(prefix="amiable-bench-front.")
    port = free_port()
    subprocess.run([os.path.join(ROOT, "scripts", "front-start"), d, str(port), str(app_port)],
                   check=True, stdout=subprocess.DEVNULL)
    TLS = ssl.create_default_context()
    TLS.check_hostname = False
    TLS.verify_mode = ssl.CERT_NONE
    try:
        unloaded = summary(*probe(port, 3))
        slow = slow_attack(port, n, hold)
    finally:
        TLS = None
        subprocess.run([os.path.join(ROOT, "scripts", "front-stop"), d],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {"unloaded": unloaded, "slow": slow}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "amiable"))
    ap.add_argument("--hold", type=float, default=20)
    ap.add_argument("--slow", type=int, default=70)
    ap.add_argument("--uploads", type=int, default=32)
    ap.add_argument("--upload-mib", type=int, default=60)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--front", action="store_true",
                    help="also hold the slow clients against the nginx front (TLS)")
    ap.add_argument("--upload-worker", help=argparse.SUPPRESS)
    ap.add_argument("server_args", nargs="*", help="extra `serve` arguments (after --)")
    a = ap.parse_args()
    if a.upload_worker:
        port, n, mib = (int(x) for x in a.upload_worker.split(","))
        print(json.dumps(upload_many(port, n, mib)))
        return
    srv = Server(a.bin, ["--no-access-log", *a.server_args]).start()
    front = None
    try:
        unloaded = summary(*probe(srv.port, 3))
        slow = slow_attack(srv.port, a.slow, a.hold)
        flood = upload_flood(srv, a.uploads, a.upload_mib)
        if a.front:
            front = front_attack(srv.port, a.slow, a.hold)
    finally:
        code = srv.stop()
    out = {"healthz_unloaded": unloaded, "slow_clients": slow, "upload_flood": flood,
           "stop_exit_code": code}
    if a.json:
        print(json.dumps(out, indent=2))
        return
    print("== bench/slow_clients.py (load average %.1f %.1f %.1f, %d cores)" % (
        *os.getloadavg(), os.cpu_count()))
    print("== /healthz, fresh connection each probe, every 50 ms")
    print("  unloaded:            p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (n=%d, failed %d)" % (
        unloaded["p50_ms"], unloaded["p99_ms"], unloaded["max_ms"], unloaded["n"],
        unloaded["failures"]))
    print("  %d slowloris + %d slow bodies held %.0f s (max %d open, %d reconnects):" % (
        a.slow, a.slow, a.hold, slow["held_open"], slow["reconnects"]))
    print("                       p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (n=%d, failed %d)" % (
        slow["p50_ms"], slow["p99_ms"], slow["max_ms"], slow["n"], slow["failures"]))
    print("  target: p99 < 100 ms")
    print("== %d concurrent uploads of %d MiB (POST /demande, multipart) in %.1f s" % (
        flood["uploads"], flood["mib_each"], flood["seconds"]))
    print("  RSS at rest %.0f MB; peak sampled %.0f MB; VmHWM %.0f MB (target < 300 MB)" % (
        flood["rss_rest_mb"], flood["rss_peak_sampled_mb"], flood["vmhwm_mb"]))
    print("  statuses %s; /healthz p99 during the flood %.1f ms" % (
        flood["statuses"], flood["healthz_during_p99_ms"]))
    print("  clean stop: exit code %s" % code)
    if front:
        print("== through the nginx front (deploy/nginx/amiable.conf, TLS), /healthz probes")
        print("  unloaded:            p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (n=%d, failed %d)" % (
            front["unloaded"]["p50_ms"], front["unloaded"]["p99_ms"], front["unloaded"]["max_ms"],
            front["unloaded"]["n"], front["unloaded"]["failures"]))
        f = front["slow"]
        print("  %d slowloris + %d slow bodies held %.0f s:" % (a.slow, a.slow, a.hold))
        print("                       p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (n=%d, failed %d)" % (
            f["p50_ms"], f["p99_ms"], f["max_ms"], f["n"], f["failures"]))


if __name__ == "__main__":
    main()
