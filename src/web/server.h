// The HTTP server of `amiable serve`: /healthz, /metrics, the JSON API under
// /api/v1/ and, later, the workspace pages (they plug in through
// web/routes.h). Public header: no HTTP library types here.
//
// Behaviour:
// - One Store per worker thread at a time, taken from a pool (Store is not
//   thread-safe). The pool opens the store once at start (which applies the
//   migrations) and fails fast when it cannot.
// - Every response carries the security headers of web/policy.h; every
//   request is logged on stderr as one logfmt line (method, path, status,
//   duration, user); /metrics exposes the counters.
// - Requests are read whole by the reception (web/reception.h: caps, deadlines,
//   spooled bodies) before a worker serves them; req.remote_addr is the client
//   behind a trusted proxy (web/forwarded.h).
// - SIGTERM and SIGINT stop accepting connections, let requests in flight
//   finish, and make RunServer return 0.
#ifndef AMIABLE_WEB_SERVER_H_
#define AMIABLE_WEB_SERVER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "calendar/clock.h"
#include "core/date.h"

namespace amiable::web {

struct ServerOptions {
  std::string db_url;  // as for Store::Open; empty: Store::DefaultUrl()
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: pick a free port (see on_listening)
  // Worker threads: requests served at the same time. Connections do not
  // hold one: the reception (web/reception.h) reads every request whole on
  // one thread before a worker serves it.
  int threads = 64;
  int listen_backlog = 1024;
  // Largest request body accepted by the server at all (uploads of the
  // workspace included); larger requests get 413 before their body is read.
  size_t max_body_bytes = 64u << 20;
  // Largest body of a JSON API request (413 above it).
  size_t max_api_body_bytes = 1u << 20;
  int keep_alive_max_count = 100;
  int keep_alive_timeout_seconds = 5;
  // The head of a request must arrive whole within this many seconds of its
  // first byte (408 and close otherwise; slowloris).
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 10;
  // A body must arrive within max(body_min_seconds, length / body_min_rate).
  int body_min_seconds = 30;
  size_t body_min_rate = 64u << 10;  // bytes per second
  // Caps on a request's head: 431 above them.
  size_t head_max_bytes = 16u << 10;
  size_t header_max_count = 100;
  // Bodies up to 1 MiB stay in memory while all of them together stay under
  // this budget; others are spooled to unlinked files in spool_dir (empty:
  // $TMPDIR or /tmp).
  size_t body_memory_budget_bytes = 64u << 20;
  std::string spool_dir;
  // Requests with a spooled body served at the same time (the others wait,
  // whole, in their spool files): bounds the memory of handlers that read a
  // large body into memory.
  int spooled_concurrency = 2;
  // Reverse proxies whose X-Forwarded-For is believed (addresses or networks,
  // "127.0.0.1", "10.0.0.0/8"): see web/forwarded.h. req.remote_addr is the
  // client's address so found, before any handler runs.
  std::vector<std::string> trusted_proxies;
  // Folder of templates and static assets of the workspace (web/ at the
  // repository root). Empty: pages are not served.
  std::string web_root;
  // Served through HTTPS by a reverse proxy: adds HSTS, Secure cookies.
  bool behind_tls = false;
  // A browser session ends after this many minutes without a request
  // (web/session.h), and kSessionHours after sign-in in any case.
  int session_idle_minutes = 30;
  // Administrators and managers with a local account must enrol a second
  // factor (TOTP) before anything else (web/pages_signin.cc).
  bool require_second_factor = false;
  // One log line per request on stderr.
  bool access_log = true;
  // The server's one source of now (deadlines, overdue, as_of, "today" in a
  // fund's zone): null means SystemClock(). `serve --today` installs a
  // ShiftedClock; tests a FixedClock. Not owned; outlives RunServer.
  const Clock* clock = nullptr;
  // Called once the socket listens, with the actual port (tests, port 0).
  std::function<void(int port)> on_listening;
};

// Serves until SIGTERM or SIGINT (or RequestStop). Returns the process exit
// code: 0 after a clean stop; 5 when the store cannot be opened; 1 when the
// address cannot be bound. Errors are printed on stderr as one line. Call it
// from the main thread, once at a time.
int RunServer(const ServerOptions& options);

// Asks a running RunServer to stop as SIGTERM would (thread-safe; a no-op
// when none runs).
void RequestStop();

}  // namespace amiable::web

#endif  // AMIABLE_WEB_SERVER_H_
