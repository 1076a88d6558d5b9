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
// - SIGTERM and SIGINT stop accepting connections, let requests in flight
//   finish, and make RunServer return 0.
#ifndef AMIABLE_WEB_SERVER_H_
#define AMIABLE_WEB_SERVER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "calendar/clock.h"
#include "core/date.h"

namespace amiable::web {

struct ServerOptions {
  std::string db_url;  // as for Store::Open; empty: Store::DefaultUrl()
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: pick a free port (see on_listening)
  // Worker threads. Each open keep-alive connection holds one, so this is
  // also the number of concurrent connections served without queueing.
  int threads = 64;
  int listen_backlog = 1024;
  // Largest request body accepted by the server at all (uploads of the
  // workspace included); larger requests get 413 before their body is read.
  size_t max_body_bytes = 64u << 20;
  // Largest body of a JSON API request (413 above it).
  size_t max_api_body_bytes = 1u << 20;
  int keep_alive_max_count = 100;
  int keep_alive_timeout_seconds = 5;
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 10;
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
