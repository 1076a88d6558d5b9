// RunServer: cpp-httplib's routing behind amiable's reception (web/
// reception.h: one epoll thread reads every request whole, under caps and
// deadlines, before a worker runs httplib's process_request on it; see
// docs/decisions/0008-http-reception.md), the behaviour around every handler
// (security headers, error bodies, access log, metrics, the client's address
// behind a trusted proxy), the operations routes and the graceful stop.
#include "web/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>

#include "core/messages.h"
#include "web/forwarded.h"
#include "web/http_errors.h"
#include "web/memory.h"
#include "web/pages.h"
#include "web/reception.h"
#include "web/routes.h"

namespace amiable::web {
namespace {

using SteadyClock = std::chrono::steady_clock;  // durations only

// Per worker thread: the request being served (httplib serves one request at
// a time per thread, from pre-routing to the logger).
struct RequestScope {
  SteadyClock::time_point start;
  bool active = false;
  std::string user;
};
thread_local RequestScope t_scope;

// httplib's routing, fed by the reception: binds with httplib, gives the
// listening socket away, and serves one complete request per call.
class RoutedServer : public httplib::Server {
 public:
  // The bound socket, now the caller's (httplib never listens on it).
  int TakeListeningSocket() { return svr_sock_.exchange(INVALID_SOCKET); }
  bool ServeOne(httplib::Stream& stream, bool last, bool& closed,
                const std::function<void(httplib::Request&)>& setup) {
    return process_request(stream, last, closed, setup);
  }
};

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

std::mutex g_stop_mu;
std::optional<pthread_t> g_signal_thread;
// The running server's reception, for the /metrics gauges (null when none).
std::atomic<const Reception*> g_reception{nullptr};

// A logfmt value: bare when safe, else quoted with escapes (no log injection).
std::string LogValue(std::string_view v) {
  bool bare = !v.empty();
  for (unsigned char c : v) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) {
      bare = false;
      break;
    }
  }
  if (bare) return std::string(v);
  std::string out = "\"";
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < ' ' || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);  // UTF-8 bytes pass through
    }
  }
  out += '"';
  return out;
}

// The access log's time stamp is the machine's real time on purpose (with
// milliseconds): logs are read against other machines' logs, whatever the
// application's Clock says (`serve --today`).
std::string LogTime() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm{};
  gmtime_r(&ts.tv_sec, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, static_cast<int>(ts.tv_nsec / 1000000));
}

void WriteLogLine(const std::string& line) {
  // One fwrite per line: stdio locks the stream, so lines never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

// The error of a response a handler (or httplib itself) left without a body.
Error BareStatusError(int status, const ServerOptions& opt, const httplib::Request& req) {
  switch (status) {
    case 400:
      return msg::Invalid("http.bad_request");
    case 401:
      return msg::Make(Error::Code::kUnauthorized, "error.unauthorized");
    case 403:
      return msg::Forbidden("error.forbidden");
    case 404:
      return msg::NotFound("http.not_found", {req.method, req.path});
    case 413:
      return msg::Make(Error::Code::kTooLarge, "api.body_too_large", {},
                       {std::to_string(opt.max_body_bytes)});
    case 414:
      return msg::Invalid("http.uri_too_long");
    case 408:
      return msg::Invalid("http.timeout");
    case 411:
      return msg::Invalid("http.length_required");
    case 431:
      return msg::Invalid("http.head_too_large");
    case 503:
      return msg::Make(Error::Code::kUnavailable, "error.unavailable");
    default:
      if (status >= 500) return msg::Make(Error::Code::kInternal, "error.internal");
      return msg::Invalid("http.refused", {}, {std::to_string(status)});
  }
}

void DefaultPageError(const httplib::Request& req, httplib::Response& res) {
  const char* title = "Erreur";
  switch (res.status) {
    case 400:
      title = "Requête invalide";
      break;
    case 403:
      title = "Accès refusé";
      break;
    case 404:
      title = "Page introuvable";
      break;
    case 413:
      title = "Envoi trop volumineux";
      break;
    default:
      if (res.status >= 500) title = "Erreur du serveur";
  }
  res.set_content(fmt::format("<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
                              "<title>{0}</title></head><body><h1>{0}</h1>"
                              "<p><a href=\"/\">Retour à l'accueil</a></p></body></html>\n",
                              title),
                  "text/html; charset=utf-8");
}

// Every route group, in order. The workspace (issue 3) adds its line here.
void BuildRoutes(httplib::Server& server, Context& ctx) {
  RegisterOpsRoutes(server, ctx);
  RegisterApiRoutes(server, ctx);
  RegisterPageRoutes(server, ctx);
}

}  // namespace

Instant Context::Now() const { return (clock != nullptr ? *clock : SystemClock()).Now(); }

Date Context::TodayIn(Zone zone) const { return LocalDate(Now(), zone); }

Date Context::Today() const { return TodayIn(Zone::kMetropole); }


void SendJson(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, const Error& e) {
  if (e.code == Error::Code::kInternal || e.code == Error::Code::kUnavailable) {
    LogError("request failed", e);
  }
  SendJson(res, HttpStatus(e.code), ErrorJson(e));
}

void SetLogUser(std::string_view user) { t_scope.user = user; }

void LogError(std::string_view msg, const Error& e) {
  std::string line = fmt::format("ts={} level=error msg={} code={} error={}", LogTime(),
                                 LogValue(msg), ErrorCodeName(e.code), LogValue(e.message));
  if (!e.field.empty()) line += " field=" + LogValue(e.field);
  line += '\n';
  WriteLogLine(line);
}

void LogInfo(std::string_view msg) {
  WriteLogLine(fmt::format("ts={} level=info msg={}\n", LogTime(), LogValue(msg)));
}

void RegisterOpsRoutes(httplib::Server& server, Context& ctx) {
  server.Get("/healthz", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto store = ctx.stores->Acquire();
    if (!store) {
      LogError("healthz: cannot open the store", store.error());
      SendJson(res, 503, R"({"status":"unavailable"})");
      return;
    }
    // A trivial query: it fails when the database is unreachable.
    auto organismes = (*store)->ListOrganismes();
    if (!organismes) {
      LogError("healthz: store query failed", organismes.error());
      store->Discard();
      SendJson(res, 503, R"({"status":"unavailable"})");
      return;
    }
    SendJson(res, 200,
             fmt::format(R"({{"status":"ok","engine":"{}","schema":{}}})", (*store)->engine(),
                         (*store)->schema_version()));
  });
  server.Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
    std::string text = ctx.metrics->Prometheus([&ctx](std::string& out) {
      out += fmt::format(
          "# HELP amiable_store_connections Database connections opened by the pool.\n"
          "# TYPE amiable_store_connections gauge\n"
          "amiable_store_connections{{state=\"open\"}} {}\n"
          "amiable_store_connections{{state=\"idle\"}} {}\n"
          "# HELP amiable_worker_threads HTTP worker threads.\n"
          "# TYPE amiable_worker_threads gauge\n"
          "amiable_worker_threads {}\n",
          ctx.stores->opened(), ctx.stores->idle(), ctx.options->threads);
      if (const Reception* r = g_reception.load()) {
        out += fmt::format(
            "# HELP amiable_http_connections Open HTTP connections (reading, served, idle).\n"
            "# TYPE amiable_http_connections gauge\n"
            "amiable_http_connections {}\n"
            "# HELP amiable_http_body_memory_bytes Request bodies held in memory.\n"
            "# TYPE amiable_http_body_memory_bytes gauge\n"
            "amiable_http_body_memory_bytes {}\n",
            r->open_connections(), r->memory_in_use());
      }
    });
    res.status = 200;
    res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
  });
}

namespace {
int Serve(const ServerOptions& opt, const sigset_t& stop_signals);
}  // namespace

int RunServer(const ServerOptions& opt) {
  // SIGINT/SIGTERM are blocked before any thread starts (threads inherit the
  // mask: the audit writer, the pool's workers) and taken by one waiter
  // thread, which stops the server.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
  const int code = Serve(opt, stop_signals);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return code;
}

namespace {

int Serve(const ServerOptions& opt, const sigset_t& stop_signals) {
  LimitMallocArenas();  // before the worker threads (web/memory.h)
  const std::string url = opt.db_url.empty() ? Store::DefaultUrl() : opt.db_url;
  auto pool = StorePool::Open(url);
  if (!pool) {
    std::fprintf(stderr, "amiable: %s\n",
                 msg::Format("server.db_open", {ToString(pool.error())}).c_str());
    return 5;
  }
  Metrics metrics;
  MemoryTrimmer trimmer;  // free pages back to the system after a burst (web/memory.h)
  AuditLog audit(pool->get());  // destroyed (flushed) after the server stops
  Context ctx;
  ctx.options = &opt;
  ctx.clock = opt.clock != nullptr ? opt.clock : &SystemClock();
  Store::UseClock(ctx.clock);  // history and audit rows written by the store
  ctx.stores = pool->get();
  ctx.metrics = &metrics;
  ctx.audit = &audit;
  ctx.page_error = DefaultPageError;

  auto trusted = TrustedProxies::Parse(opt.trusted_proxies);
  if (!trusted) {
    std::fprintf(stderr, "amiable: %s\n", trusted.error().message.c_str());
    return 2;
  }
  RoutedServer server;
  const size_t threads = opt.threads > 0 ? static_cast<size_t>(opt.threads) : 64;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(static_cast<size_t>(opt.keep_alive_max_count));
  server.set_keep_alive_timeout(opt.keep_alive_timeout_seconds);
  server.set_payload_max_length(opt.max_body_bytes);

  // Runs before routing, hence before the body is read.
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_scope.start = SteadyClock::now();
    t_scope.active = true;
    t_scope.user.clear();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [&ctx](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (IsMachinePath(req.path) || !ctx.page_error) {
          Error e = BareStatusError(res.status, *ctx.options, req);
          const int status = res.status;
          SendJson(res, status, ErrorJson(e));
        } else {
          ctx.page_error(req, res);
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        LogError("uncaught exception in " + req.method + " " + req.path, Error::Internal(what));
        res.status = 500;
        res.body.clear();  // the error handler writes the body
      });
  server.set_post_routing_handler([&opt](const httplib::Request& req, httplib::Response& res) {
    for (const auto& [name, value] : SecurityHeaders(req.path, opt.behind_tls)) {
      std::string n(name);
      if (!res.has_header(n)) res.set_header(n, std::string(value));
    }
  });
  server.set_logger([&opt, &metrics, &trimmer](const httplib::Request& req,
                                               const httplib::Response& res) {
    trimmer.Touch();
    double seconds = 0;
    if (t_scope.active) {
      seconds = std::chrono::duration<double>(SteadyClock::now() - t_scope.start).count();
    }
    metrics.Record(res.status, seconds);
    if (opt.access_log) {
      std::string line = fmt::format(
          "ts={} level=info msg=request method={} path={} status={} duration_ms={:.3f} bytes={} "
          "remote={}",
          LogTime(), LogValue(req.method), LogValue(req.path), res.status, seconds * 1e3,
          res.body.size(), LogValue(req.remote_addr));
      if (!t_scope.user.empty()) line += " user=" + LogValue(t_scope.user);
      line += '\n';
      WriteLogLine(line);
    }
    t_scope.active = false;
    t_scope.user.clear();
  });

  BuildRoutes(server, ctx);

  int port = opt.port;
  if (port == 0) {
    port = server.bind_to_any_port(opt.bind);
    if (port < 0) {
      std::fprintf(stderr, "amiable: %s\n", msg::Format("server.listen_any", {opt.bind}).c_str());
      return 1;
    }
  } else if (!server.bind_to_port(opt.bind, port)) {
    std::fprintf(stderr, "amiable: %s\n",
                 msg::Format("server.listen", {opt.bind, std::to_string(port)}).c_str());
    return 1;
  }
  // The Debian build listens with a backlog of 5: connections beyond it were
  // dropped under load. listen() again on the same socket raises it.
  const int listen_fd = server.TakeListeningSocket();
  if (::listen(listen_fd, opt.listen_backlog > 0 ? opt.listen_backlog : 1024) != 0) {
    std::fprintf(stderr, "amiable: %s\n", msg::Format("server.backlog").c_str());
  }

  ReceptionLimits limits;
  limits.head_max_bytes = opt.head_max_bytes;
  limits.header_max_count = opt.header_max_count;
  limits.head_timeout_seconds = opt.read_timeout_seconds;
  limits.idle_timeout_seconds = opt.keep_alive_timeout_seconds;
  limits.body_min_seconds = opt.body_min_seconds;
  limits.body_min_rate = opt.body_min_rate;
  limits.max_body_bytes = opt.max_body_bytes;
  limits.memory_budget_bytes = opt.body_memory_budget_bytes;
  limits.spool_dir = opt.spool_dir;
  limits.write_timeout_seconds = opt.write_timeout_seconds;
  limits.keep_alive_max_count = static_cast<size_t>(std::max(1, opt.keep_alive_max_count));
  limits.spooled_concurrency = static_cast<size_t>(std::max(1, opt.spooled_concurrency));

  // Before any handler: the client's address, and no second 100 Continue
  // (the reception answered it before reading the body).
  auto setup = [&trusted](httplib::Request& req) {
    if (!trusted->empty()) {
      std::vector<std::string> forwarded;
      const size_t n = req.get_header_value_count("X-Forwarded-For");
      for (size_t i = 0; i < n; ++i) forwarded.push_back(req.get_header_value("X-Forwarded-For", i));
      req.remote_addr = ClientAddress(req.remote_addr, forwarded, *trusted);
      req.headers.erase("REMOTE_ADDR");
      req.set_header("REMOTE_ADDR", req.remote_addr);
    }
    req.headers.erase("Expect");
  };
  ServeFn serve = [&server, &setup](httplib::Stream& stream, bool last) {
    bool closed = false;
    const bool ok = server.ServeOne(stream, last, closed, setup);
    return ok && !closed;
  };
  RefuseFn refuse = [&opt, &metrics](int status, const std::string& peer) {
    httplib::Request req;
    const Error e = BareStatusError(status, opt, req);
    const std::string body = ErrorJson(e);
    std::string out = fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: application/json; charset=utf-8\r\n"
        "Content-Length: {}\r\nConnection: close\r\n",
        status, ReasonPhrase(status), body.size());
    for (const auto& [name, value] : SecurityHeaders("/", opt.behind_tls)) {
      out += fmt::format("{}: {}\r\n", name, value);
    }
    out += "\r\n";
    out += body;
    metrics.Record(status, 0);
    if (opt.access_log) {
      WriteLogLine(fmt::format(
          "ts={} level=info msg=refused status={} remote={}\n", LogTime(), status, LogValue(peer)));
    }
    return out;
  };
  Reception reception(listen_fd, threads, limits, serve, refuse);

  std::atomic<bool> done{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (done.load()) return;
    LogInfo(sig == SIGINT ? "stopping (SIGINT)" : "stopping (SIGTERM)");
    reception.Stop();  // works before Run too
  });
  {
    std::lock_guard<std::mutex> lock(g_stop_mu);
    g_signal_thread = waiter.native_handle();
  }

  std::string engine = "?";
  if (auto s = ctx.stores->Acquire()) engine = std::string((*s)->engine());
  LogInfo(fmt::format("listening on http://{}:{} (engine {}, {} threads)", opt.bind, port, engine,
                      threads));
  if (opt.on_listening) opt.on_listening(port);
  g_reception.store(&reception);
  reception.Run();  // returns after Stop(), requests in flight served
  g_reception.store(nullptr);

  {
    std::lock_guard<std::mutex> lock(g_stop_mu);
    g_signal_thread.reset();
  }
  done.store(true);
  pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if it still waits
  waiter.join();
  LogInfo("stopped");
  return 0;
}

}  // namespace

void RequestStop() {
  std::lock_guard<std::mutex> lock(g_stop_mu);
  if (g_signal_thread) pthread_kill(*g_signal_thread, SIGTERM);
}

}  // namespace amiable::web
