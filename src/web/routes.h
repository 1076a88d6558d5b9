// How route groups plug into the server (internal to src/web and the
// modules that serve HTTP). A route group is a function
//   void RegisterXxxRoutes(httplib::Server& server, Context& ctx);
// called once by RunServer (server.cc, BuildRoutes) before the server
// listens. It adds handlers with server.Get/Post/...; each handler takes a
// store from ctx.stores for the duration of the request, acts as the
// authenticated user's Actor (so that the store authorizes), and answers
// errors with SendError (JSON) or, for pages, its own HTML.
//
// What the server does around every handler (server.cc):
// - security headers (web/policy.h) unless the handler set that header;
// - a 413 before the body is read when it exceeds options.max_body_bytes;
// - errors a handler left without a body (404 of an unknown route, 413, an
//   uncaught exception turned into 500) get a JSON body on machine paths
//   (/api/, /healthz, /metrics) and ctx.page_error's HTML elsewhere;
// - one access-log line and the /metrics counters.
//
// This header does not include httplib.h: include <httplib.h> in the .cc
// that registers routes (it takes ~2 s to compile; keep such files few).
#ifndef AMIABLE_WEB_ROUTES_H_
#define AMIABLE_WEB_ROUTES_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "calendar/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "store/store.h"
#include "web/policy.h"
#include "web/server.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace amiable::web {

// Stores for worker threads: Acquire() hands out an idle opened store, or
// opens a new one; the lease gives it back when destroyed. Thread-safe.
class StorePool {
 public:
  // Opens a first store (applying migrations): fails as Store::Open does.
  static Result<std::unique_ptr<StorePool>> Open(std::string url);

  class Lease {
   public:
    Lease(Lease&& o) noexcept : pool_(o.pool_), store_(std::move(o.store_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Store& operator*() const { return *store_; }
    Store* operator->() const { return store_.get(); }
    // Closes the store instead of giving it back (after kUnavailable: the
    // connection may be broken).
    void Discard();

   private:
    friend class StorePool;
    Lease(StorePool* pool, std::unique_ptr<Store> s) : pool_(pool), store_(std::move(s)) {}
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  // kUnavailable (or Store::Open's error) when no store can be opened.
  Result<Lease> Acquire();

  const std::string& url() const { return url_; }
  size_t idle() const;
  size_t opened() const;  // stores alive, idle or leased

 private:
  explicit StorePool(std::string url) : url_(std::move(url)) {}
  void Release(std::unique_ptr<Store> s);

  const std::string url_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Store>> idle_;
  size_t opened_ = 0;
};

// Audit records of reads ("case.read", "case.view", "stats.read"...),
// written in batches by a background thread through its own store: a read
// must not pay for a synchronous database commit (with SQLite each commit is
// an fsync, and commits are serialized: one per read capped the case page at
// about 1,400 requests/s). Writes are audited by the store inside their own
// transaction; use Store::Audit directly for anything that must be durable
// before the response. Records are written within kFlushInterval, and on
// destruction; a crash may lose the last interval's records. Thread-safe.
class AuditLog {
 public:
  static constexpr std::chrono::milliseconds kFlushInterval{200};

  explicit AuditLog(StorePool* stores);
  ~AuditLog();  // writes what is pending, then stops the thread
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void Record(const Actor& actor, std::string action, std::string object);
  // Writes what is pending now (tests, shutdown).
  void Flush();

 private:
  struct Entry {
    Actor actor;
    std::string action;
    std::string object;
  };
  void Run();
  void Write(std::vector<Entry>& batch);

  StorePool* stores_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Entry> pending_;
  bool stop_ = false;
  std::mutex write_mu_;  // one batch written at a time
  std::thread thread_;
};

// What route groups share. Set up by RunServer; a route group may fill in the
// hooks while it registers (before the server listens), not afterwards.
struct Context {
  const ServerOptions* options = nullptr;
  StorePool* stores = nullptr;
  Metrics* metrics = nullptr;
  AuditLog* audit = nullptr;

  // Renders the HTML of an error page for a non-machine path whose handler
  // left the body empty (status already set). Default: a minimal French page.
  std::function<void(const httplib::Request&, httplib::Response&)> page_error;

  // options->clock, or SystemClock() when none.
  const Clock* clock = nullptr;
  // Now by `clock`; today by it in metropolitan France, or in `zone`.
  Instant Now() const;
  Date Today() const;
  Date TodayIn(Zone zone) const;
};

// Sets a JSON body (Content-Type application/json; charset=utf-8).
void SendJson(httplib::Response& res, int status, std::string body);
// Sets the status and JSON error body of `e` (web/http_errors.h); logs
// kInternal and kUnavailable errors with their full message.
void SendError(httplib::Response& res, const Error& e);

// Names the authenticated user of the current request in its access-log line.
void SetLogUser(std::string_view user);
// One logfmt line on stderr: level=..., msg=..., plus the error's fields.
void LogError(std::string_view msg, const Error& e);
void LogInfo(std::string_view msg);

// The route groups. The workspace pages (issue 3) add their Register line to
// BuildRoutes in server.cc and their declaration here.
void RegisterOpsRoutes(httplib::Server& server, Context& ctx);  // /healthz, /metrics
void RegisterApiRoutes(httplib::Server& server, Context& ctx);  // /api/v1/...

}  // namespace amiable::web

#endif  // AMIABLE_WEB_ROUTES_H_
