// The reception of `amiable serve` (internal to src/web; includes httplib.h): amiable's own
// accept loop and one epoll thread that read every request's head and body on
// non-blocking sockets, under caps and deadlines, and hand only COMPLETE
// requests to the worker threads. A slow client costs a socket and a few
// kilobytes, never a thread (see docs/decisions/0008-http-reception.md).
//
// What the reception refuses by itself (one response, then the connection
// closes): a head over head_max_bytes or header_max_count (431), a request
// line over request_line_max_bytes (414), a malformed head (400), a
// Transfer-Encoding body (411: send Content-Length). A head not complete
// head_timeout_seconds after its first byte, or a body slower than
// max(body_min_seconds, length / body_min_rate) closes the connection (408).
// A Content-Length over max_body_bytes is not read: the request goes to a
// worker at once with an empty body, so that httplib answers 413 through the
// error handler, and the connection closes.
//
// Bodies up to memory_body_max_bytes are kept in memory while the budget of
// memory_budget_bytes (all connections together) allows; others are spooled
// to an unlinked temporary file in spool_dir (O_TMPFILE).
#ifndef AMIABLE_WEB_RECEPTION_H_
#define AMIABLE_WEB_RECEPTION_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <httplib.h>

namespace amiable::web {

struct ReceptionLimits {
  size_t head_max_bytes = 16u << 10;
  size_t header_max_count = 100;
  size_t request_line_max_bytes = 8u << 10;
  int head_timeout_seconds = 10;        // from the head's first byte
  int idle_timeout_seconds = 5;         // keep-alive: waiting for the next head
  int body_min_seconds = 30;            // a body always has at least this long
  size_t body_min_rate = 64u << 10;     // bytes per second, beyond body_min_seconds
  size_t max_body_bytes = 64u << 20;    // above: 413 without reading
  size_t memory_body_max_bytes = 1u << 20;
  size_t memory_budget_bytes = 64u << 20;
  std::string spool_dir;                // empty: $TMPDIR or /tmp
  int write_timeout_seconds = 10;       // a worker's writes of one response
  size_t keep_alive_max_count = 100;    // requests per connection
  size_t max_connections = 10000;       // beyond: accepted and closed at once
  size_t spooled_concurrency = 2;       // spooled requests served at the same time
};

// What the head of a request says, as far as the reception needs it.
struct HeadInfo {
  int status = 0;  // 0: acceptable; else the status to answer (400, 411, 414, 431)
  size_t content_length = 0;
  bool has_content_length = false;
  bool expect_continue = false;
};

// Checks a complete head (request line, headers, final CRLF CRLF). Pure.
HeadInfo CheckHead(std::string_view head, const ReceptionLimits& limits);

// Finds the end of a head in buf (the index after CRLF CRLF) or npos,
// starting the search at `from` (bytes before it were searched already).
size_t FindHeadEnd(std::string_view buf, size_t from);

// The worker's side: serves one complete request read from `stream`
// (httplib's process_request), whose reads give the head then the body and
// whose writes go to the socket. `last`: the connection's last request
// (keep-alive max count, stopping), the response must say Connection: close.
// Returns false when the connection must close after it.
using ServeFn = std::function<bool(httplib::Stream& stream, bool last)>;

// Writes a full refusal response (status line to body) for a status the
// reception answers itself (400, 408, 411, 414, 431), and records it (log,
// metrics). peer: the socket's peer address.
using RefuseFn = std::function<std::string(int status, const std::string& peer)>;

class Reception {
 public:
  // listen_fd: bound and listening (the reception makes it non-blocking and
  // owns it from now on). threads: worker threads.
  Reception(int listen_fd, size_t threads, ReceptionLimits limits, ServeFn serve,
            RefuseFn refuse);
  ~Reception();
  Reception(const Reception&) = delete;
  Reception& operator=(const Reception&) = delete;

  // Runs the loop until Stop(): then closes the listening socket and every
  // connection not being served, waits for the requests in flight.
  void Run();
  // Thread-safe, async-signal-unsafe; callable before Run.
  void Stop();
  bool running() const { return running_.load(); }

  // Observability (thread-safe).
  size_t open_connections() const { return open_.load(); }
  size_t memory_in_use() const { return memory_in_use_.load(); }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> running_{false};
  std::atomic<size_t> open_{0};
  std::atomic<size_t> memory_in_use_{0};
};

}  // namespace amiable::web

#endif  // AMIABLE_WEB_RECEPTION_H_
