// SqlStore: connecting, migrations, transactions, the statement cache,
// audit and backup; Store::Open.
#include <filesystem>
#include <map>
#include <mutex>

#include "store/migrations.h"
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {
namespace {

// SOCI mangles URL-style connection strings: turn one into libpq's
// "key=value" form (libpq itself parses and validates the URL).
std::string PgConnInfo(std::string_view url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(std::string(url).c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "invalid PostgreSQL URL";
    PQfreemem(err);
    throw std::runtime_error(msg);
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string v = o->val;
    std::string quoted;
    for (char ch : v) {
      if (ch == '\\' || ch == '\'') quoted += '\\';
      quoted += ch;
    }
    out += std::string(o->keyword) + "='" + quoted + "' ";
  }
  PQconninfoFree(opts);
  return out;
}

// One writer lock per SQLite file (by the path it was opened with; the
// canonical path when the file exists), shared by all the Store objects of
// the process. Never freed: a handful of files per process.
std::recursive_mutex& WriterMutex(const std::string& path) {
  static std::mutex registry_mu;
  static std::map<std::string, std::unique_ptr<std::recursive_mutex>> registry;
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(path, ec).string();
  if (ec || key.empty()) key = path;
  std::lock_guard<std::mutex> lock(registry_mu);
  auto& m = registry[key];
  if (!m) m = std::make_unique<std::recursive_mutex>();
  return *m;
}

}  // namespace

Status SqlStore::Connect(std::string_view url) {
  audit_key_file_ = audit::KeyFileFor(url);
  try {
    if (postgres_) {
      sql_.open(soci::postgresql, PgConnInfo(url));
      sql_ << "SET client_min_messages TO WARNING";
    } else {
      writer_mu_ = &WriterMutex(path_);
      sql_.open(soci::sqlite3, "db=" + path_ + " timeout=10 shared_cache=false");
      sql_ << "PRAGMA journal_mode=WAL";
      sql_ << "PRAGMA synchronous=FULL";
      sql_ << "PRAGMA foreign_keys=ON";
      sql_ << "PRAGMA busy_timeout=10000";
      sql_ << "PRAGMA temp_store=MEMORY";
      sql_ << "PRAGMA cache_size=-32000";
      sql_ << "PRAGMA mmap_size=268435456";
    }
  } catch (const std::exception& e) {
    return Fail(Error::Unavailable(std::string("cannot open database: ") + e.what()));
  }
  return Migrate();
}

int SqlStore::schema_version() {
  try {
    int v = 0;
    indicator ind;
    sql_ << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
    return ind == soci::i_ok ? v : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

Status SqlStore::InTransaction(const std::function<Status()>& fn) {
  // Reentrant: inside an open transaction of this object, `fn` runs in it.
  // Only the outermost level begins and ends; a failure at any level marks
  // the whole transaction, which the outermost level then rolls back (and
  // reports that failure even if an outer `fn` ignored it).
  struct Depth {
    int& d;
    explicit Depth(int& x) : d(x) { ++d; }
    ~Depth() { --d; }
  };
  // `fn` one level deeper, an exception as its failure.
  const auto run = [&]() -> Status {
    Depth depth(tx_depth_);
    try {
      return fn();
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  };
  if (tx_depth_ > 0) {
    Status s = run();
    if (!s && !tx_failure_) tx_failure_ = s.error();
    return s;
  }
  // SQLite has one writer at a time. Writers of this process queue on a
  // mutex of the file (first come, first served) instead of SQLite's busy
  // handler, which sleeps 1-100 ms between retries in no order and made the
  // form's p99 about 2 s under 64 concurrent submissions. Other processes
  // (a CLI import) still meet the busy handler.
  std::unique_lock<std::recursive_mutex> writer;
  if (writer_mu_ != nullptr) writer = std::unique_lock<std::recursive_mutex>(*writer_mu_);
  try {
    sql_ << (postgres_ ? "BEGIN" : "BEGIN IMMEDIATE");
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
  tx_failure_.reset();
  outbox_queued_ = false;
  audit_tx_ = AuditTx();
  Status s = run();
  if (s && tx_failure_) s = Fail(*tx_failure_);
  tx_failure_.reset();
  if (s) s = AuditBeforeCommit();
  try {
    if (s) {
      sql_ << "COMMIT";
      // The head outside is published after the lock is released (it is
      // written by a background thread: store/audit_head_writer.h).
      if (writer.owns_lock()) writer.unlock();
      AuditAfterCommit(true);
      if (outbox_queued_) NotifyOutboxQueued();
    } else {
      sql_ << "ROLLBACK";
      AuditAfterCommit(false);
    }
    outbox_queued_ = false;
  } catch (const std::exception& e) {
    try {
      sql_ << "ROLLBACK";
    } catch (...) {
    }
    AuditAfterCommit(false);
    return Fail(DbError(e));
  }
  return s;
}

Status SqlStore::Audit(const Actor& actor, std::string_view action, std::string_view object) {
  try {
    return AuditNoTx(actor, action, object);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::Backup(std::string_view path) {
  if (postgres_) {
    return Fail(msg::Invalid("store.backup_postgresql"));
  }
  using namespace sqlite_api;  // NOLINT: SOCI wraps sqlite3.h in this namespace
  auto* be = static_cast<soci::sqlite3_session_backend*>(sql_.get_backend());
  sqlite3* dest = nullptr;
  std::string p(path);
  if (sqlite3_open(p.c_str(), &dest) != SQLITE_OK) {
    std::string msg = dest ? sqlite3_errmsg(dest) : "out of memory";
    sqlite3_close(dest);
    return Fail(msg::Invalid("store.backup_file", "file", {p, msg}));
  }
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", be->conn_, "main");
  if (!b) {
    std::string msg = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    return Fail(Error::Internal("backup: " + msg));
  }
  int rc;
  do {
    rc = sqlite3_backup_step(b, 1024);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  rc = rc == SQLITE_DONE ? sqlite3_errcode(dest) : rc;
  sqlite3_close(dest);
  if (rc != SQLITE_OK)
    return Fail(Error::Internal("backup failed: " + std::string(sqlite3_errstr(rc))));
  return {};
}

Status SqlStore::Migrate() {
  try {
    sql_ << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "description TEXT NOT NULL, applied_at TEXT NOT NULL)";
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
  for (const store::Migration& m : store::Migrations()) {
    Status s = InTransaction([&]() -> Status {
      int n = 0;
      sql_ << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(m.version),
          soci::into(n);
      if (n) return {};
      auto run = [&](std::string_view stmt) {
        std::string s(stmt);
        for (size_t p; (p = s.find("{ID}")) != std::string::npos;) {
          s.replace(p, 4,
                    postgres_ ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                              : "INTEGER PRIMARY KEY");
        }
        for (size_t p; (p = s.find("{BLOB}")) != std::string::npos;) {
          s.replace(p, 6, postgres_ ? "BYTEA" : "BLOB");
        }
        sql_ << s;
      };
      for (auto stmt : m.statements) run(stmt);
      for (auto stmt : postgres_ ? m.postgresql_only : m.sqlite_only) run(stmt);
      std::string desc(m.description), now = NowTimestamp();
      sql_ << "INSERT INTO schema_migrations (version, description, applied_at) "
              "VALUES (:v, :d, :t)",
          soci::use(m.version), soci::use(desc), soci::use(now);
      return {};
    });
    if (!s) {
      Error e = s.error();
      e.message = "migration " + std::to_string(m.version) + ": " + e.message;
      return Fail(e);
    }
  }
  return {};
}

// Runs the SELECT `q` through a prepared statement cached by its SQL
// (parsing and planning dominate the cost of the small reads of a page),
// calling `fn` for each row until it returns false (callers stop early
// only on queries of at most a few rows). Returns the number of rows. Throws what SOCI throws
// (callers convert to Error).
int64_t SqlStore::Fetch(const Query& q, const std::function<bool(const soci::row&)>& fn) {
  auto it = cache_.find(q.sql());
  if (it == cache_.end()) {
    if (cache_.size() >= kMaxCachedStatements) cache_.clear();
    auto e = std::make_unique<CachedStatement>();
    e->params = q.params();
    e->inds = q.indicators();
    e->st = std::make_unique<soci::statement>(sql_);
    e->st->exchange(soci::into(e->row));
    for (size_t i = 0; i < e->params.size(); ++i) {
      e->st->exchange(soci::use(e->params[i], e->inds[i]));
    }
    e->st->alloc();
    e->st->prepare(q.sql());
    e->st->define_and_bind();
    it = cache_.emplace(q.sql(), std::move(e)).first;
  } else {
    it->second->params = q.params();
    it->second->inds = q.indicators();
  }
  CachedStatement& e = *it->second;
  int64_t n = 0;
  try {
    // Always step to the end: a SQLite statement left on a row keeps its
    // read snapshot, and this connection's next write would then fail at
    // once with "database is locked" instead of waiting.
    bool wanted = true;
    for (bool got = e.st->execute(true); got; got = e.st->fetch()) {
      ++n;
      if (wanted) wanted = fn(e.row);
    }
  } catch (...) {
    cache_.erase(it);  // never reuse a statement left in an unknown state
    throw;
  }
  return n;
}

}  // namespace amiable::sql

namespace amiable {

void Store::UseClock(const Clock* clock) { sql::UseClockForTimestamps(clock); }
void Store::OnOutboxQueued(void (*fn)()) { sql::SetOutboxQueuedHook(fn); }

std::string Store::DefaultUrl() {
  const char* env = std::getenv("AMIABLE_DB");
  if (env && *env) return env;
  return "sqlite:var/amiable.db";
}

Result<std::unique_ptr<Store>> Store::Open(std::string_view url) {
  // SQLite's memory statistics take a global mutex on every allocation,
  // which serialises the server's threads; amiable does not use them. Must
  // run before the first connection initialises SQLite.
  static std::once_flag sqlite_config;
  std::call_once(sqlite_config, [] { sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto s = std::make_unique<sql::SqlStore>(true, "");
    if (auto st = s->Connect(url); !st) return Fail(st.error());
    return std::unique_ptr<Store>(std::move(s));
  }
  std::string path(url.starts_with("sqlite:") ? url.substr(7) : url);
  if (path.empty()) return Fail(msg::Invalid("store.db_path_empty", "db"));
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto s = std::make_unique<sql::SqlStore>(false, path);
  if (auto st = s->Connect(path); !st) return Fail(st.error());
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace amiable
