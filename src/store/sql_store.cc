// The one Store implementation, over SOCI, for SQLite and PostgreSQL. The SQL
// is portable; the few engine differences are in Dialect.
// SOCI's Debian build advertises Boost integration, which would pull Boost
// headers in; amiable uses none of it, so it is switched off here.
#include <soci/soci-config.h>
#undef SOCI_HAVE_BOOST
#undef SOCI_HAVE_BOOST_DATE_TIME
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "calendar/calendar.h"
#include "store/migrations.h"
#include "store/store.h"

namespace amiable {
namespace {

using soci::indicator;

std::string NowTimestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string JoinCodes(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    out += v[i];
  }
  return out;
}

std::vector<std::string> SplitCodes(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.emplace_back(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Error DbError(const std::exception& e) {
  std::string msg = e.what();
  if (msg.find("UNIQUE constraint") != std::string::npos ||
      msg.find("duplicate key") != std::string::npos) {
    return Error::Conflict("already exists: " + msg);
  }
  if (msg.find("FOREIGN KEY") != std::string::npos ||
      msg.find("foreign key") != std::string::npos) {
    return Error::Invalid("refers to something that does not exist: " + msg);
  }
  return Error::Internal("database: " + msg);
}

// Binds parameters by position to a dynamically built query.
class Query {
 public:
  Query& operator<<(std::string_view sql) {
    sql_ += sql;
    return *this;
  }
  // Appends a placeholder bound to `value`.
  Query& Bind(std::string value) {
    sql_ += ":p" + std::to_string(params_.size());
    params_.push_back(std::move(value));
    inds_.push_back(soci::i_ok);
    return *this;
  }
  Query& BindNullable(const std::optional<std::string>& value) {
    sql_ += ":p" + std::to_string(params_.size());
    params_.push_back(value.value_or(""));
    inds_.push_back(value ? soci::i_ok : soci::i_null);
    return *this;
  }
  // " AND col IN (...)" over the actor's funds and the requested ones.
  Query& RestrictFunds(std::string_view column, const Actor& actor,
                       std::span<const std::string> requested) {
    if (!actor.all_funds) {
      sql_ += " AND ";
      sql_ += column;
      sql_ += " IN (";
      if (actor.organismes.empty()) sql_ += "NULL";
      for (size_t i = 0; i < actor.organismes.size(); ++i) {
        if (i) sql_ += ',';
        Bind(actor.organismes[i]);
      }
      sql_ += ')';
    }
    if (!requested.empty()) {
      sql_ += " AND ";
      sql_ += column;
      sql_ += " IN (";
      for (size_t i = 0; i < requested.size(); ++i) {
        if (i) sql_ += ',';
        Bind(requested[i]);
      }
      sql_ += ')';
    }
    return *this;
  }
  // RestrictFunds on "c.organisme", then hides the cases from which the
  // actor recused when the actor is a mediator or a statistics reader (the
  // hierarchy, which orders recusals, and the command line still see them).
  // The query must name the case table "c".
  Query& RestrictCases(const Actor& actor, std::span<const std::string> requested) {
    RestrictFunds("c.organisme", actor, requested);
    if (actor.role == Role::kMediator || actor.role == Role::kStatisticsReader) {
      sql_ +=
          " AND NOT EXISTS (SELECT 1 FROM case_recusals r WHERE r.case_id = c.id AND "
          "r.user_name = ";
      Bind(actor.user);
      sql_ += ')';
    }
    return *this;
  }
  const std::string& sql() const { return sql_; }
  void ReplaceSql(std::string sql) { sql_ = std::move(sql); }
  const std::vector<std::string>& params() const { return params_; }
  const std::vector<indicator>& indicators() const { return inds_; }

  // Prepares the statement with `row` as the output (may be null).
  soci::statement Prepare(soci::session& s, soci::row* row) {
    soci::statement st(s);
    if (row) st.exchange(soci::into(*row));
    for (size_t i = 0; i < params_.size(); ++i) st.exchange(soci::use(params_[i], inds_[i]));
    st.alloc();
    st.prepare(sql_);
    st.define_and_bind();
    return st;
  }

 private:
  std::string sql_;
  std::vector<std::string> params_;
  std::vector<indicator> inds_;
};

int64_t GetInt(const soci::row& r, size_t i, int64_t def = 0) {
  if (r.get_indicator(i) == soci::i_null) return def;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<int64_t>(r.get<double>(i));
    case soci::dt_string:
      return std::strtoll(r.get<std::string>(i).c_str(), nullptr, 10);
    default:
      return def;
  }
}

std::optional<std::string> GetOptString(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return r.get<std::string>(i);
}

std::string GetString(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return {};
  return r.get<std::string>(i);
}

std::optional<Date> GetOptDate(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return Date::Parse(r.get<std::string>(i));
}

std::optional<std::vector<std::string>> GetOptList(const soci::row& r, size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return SplitCodes(r.get<std::string>(i));
}

constexpr std::string_view kCaseColumns =
    "c.id, c.reference, c.organisme, c.received_on, c.channel, c.emitter, c.allocataire_number, "
    "c.prior_step, c.prior_step_on, c.admissibility, c.inadmissibility_reason, "
    "c.taken_in_charge_on, c.answered_on, c.closed_on, c.motives, c.benefits, c.cause, "
    "c.household, c.activity, c.quotient_familial, c.response_modes, c.resolution, c.fraud, "
    "c.financial_count, c.state, c.orientation, c.description, c.assigned_to, c.version";

enum class Columns { kAll, kInterchange, kDates };

// kCaseColumns with the columns a mode does not read replaced by NULL, so
// that ReadCase's column positions stay the same.
std::string SelectedColumns(Columns mode) {
  if (mode == Columns::kAll) return std::string(kCaseColumns);
  static const std::string_view kKeptForDates[] = {
      "c.id",           "c.reference",          "c.organisme",          "c.received_on",
      "c.admissibility", "c.inadmissibility_reason", "c.taken_in_charge_on", "c.answered_on",
      "c.closed_on",    "c.state"};
  std::string out;
  std::string_view cols = kCaseColumns;
  while (!cols.empty()) {
    const size_t comma = cols.find(',');
    std::string_view col = cols.substr(0, comma);
    bool keep = true;
    if (mode == Columns::kInterchange) {
      keep = col != "c.description";
    } else {
      keep = std::find(std::begin(kKeptForDates), std::end(kKeptForDates), col) !=
             std::end(kKeptForDates);
    }
    if (!out.empty()) out += ", ";
    out += keep ? std::string(col) : std::string("CAST(NULL AS TEXT)");
    cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 2);
  }
  return out;
}

Case ReadCase(const soci::row& r) {
  Case c;
  c.id = GetInt(r, 0);
  c.reference = GetString(r, 1);
  c.organisme = GetString(r, 2);
  c.received_on = Date::Parse(GetString(r, 3)).value_or(Date());
  c.channel = GetOptString(r, 4);
  c.emitter = GetOptString(r, 5);
  c.allocataire_number = GetOptString(r, 6);
  c.prior_step = GetOptString(r, 7);
  c.prior_step_on = GetOptDate(r, 8);
  c.admissibility = GetString(r, 9);
  c.inadmissibility_reason = GetOptString(r, 10);
  c.taken_in_charge_on = GetOptDate(r, 11);
  c.answered_on = GetOptDate(r, 12);
  c.closed_on = GetOptDate(r, 13);
  c.motives = GetOptList(r, 14);
  c.benefits = GetOptList(r, 15);
  c.cause = GetOptString(r, 16);
  c.household = GetOptString(r, 17);
  c.activity = GetOptString(r, 18);
  if (r.get_indicator(19) != soci::i_null) c.quotient_familial = GetInt(r, 19);
  c.response_modes = GetOptList(r, 20);
  c.resolution = GetOptString(r, 21);
  if (r.get_indicator(22) != soci::i_null) c.fraud = GetInt(r, 22) != 0;
  if (r.get_indicator(23) != soci::i_null) c.financial.emplace();
  c.state = StateFromCode(GetString(r, 24)).value_or(CaseState::kReceived);
  c.orientation = GetOptString(r, 25);
  c.description = GetString(r, 26);
  c.assigned_to = GetString(r, 27);
  c.version = GetInt(r, 28);
  return c;
}

std::optional<std::string> OptDate(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}
std::optional<std::string> OptList(const std::optional<std::vector<std::string>>& v) {
  if (!v) return std::nullopt;
  return JoinCodes(*v);
}

// The values a case write binds, in column order, with their indicators.
// Statements keep references to these members, so one CaseRow can be bound
// once and refilled with Set() for each case.
struct CaseRow {
  static constexpr int kColumns = 27;
  std::array<std::string, kColumns> v;
  std::array<indicator, kColumns> ind{};

  void Set(const Case& c) {
    int i = 0;
    auto put = [&](const std::optional<std::string>& x) {
      v[i] = x.value_or("");
      ind[i] = x ? soci::i_ok : soci::i_null;
      ++i;
    };
    put(c.reference);
    put(c.organisme);
    put(c.received_on.ToString());
    put(c.channel);
    put(c.emitter);
    put(c.allocataire_number);
    put(c.prior_step);
    put(OptDate(c.prior_step_on));
    put(c.admissibility);
    put(c.inadmissibility_reason);
    put(OptDate(c.taken_in_charge_on));
    put(OptDate(c.answered_on));
    put(OptDate(c.closed_on));
    put(OptList(c.motives));
    put(OptList(c.benefits));
    put(c.cause);
    put(c.household);
    put(c.activity);
    put(c.quotient_familial ? std::optional<std::string>(std::to_string(*c.quotient_familial))
                            : std::nullopt);
    put(OptList(c.response_modes));
    put(c.resolution);
    put(c.fraud ? std::optional<std::string>(*c.fraud ? "1" : "0") : std::nullopt);
    put(c.financial ? std::optional<std::string>(std::to_string(c.financial->size()))
                    : std::nullopt);
    put(std::string(StateCode(c.state)));
    put(c.orientation);
    put(c.description);
    put(c.assigned_to);
  }
  // Binds the columns, in order, to `st`. The use elements must be created
  // and exchanged in one expression (SOCI keeps a reference to their name).
  void Bind(soci::statement& st) {
    for (int i = 0; i < kColumns; ++i) st.exchange(soci::use(v[i], ind[i]));
  }
};

constexpr std::string_view kWriteColumns =
    "reference, organisme, received_on, channel, emitter, allocataire_number, prior_step, "
    "prior_step_on, admissibility, inadmissibility_reason, taken_in_charge_on, answered_on, "
    "closed_on, motives, benefits, cause, household, activity, quotient_familial, response_modes, "
    "resolution, fraud, financial_count, state, orientation, description, assigned_to";

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

class SqlStore final : public Store {
 public:
  static constexpr size_t kBulkIndexThreshold = 1000;

  SqlStore(bool postgres, std::string path) : postgres_(postgres), path_(std::move(path)) {}
  // Cached statements must go before the session they belong to.
  ~SqlStore() override { cache_.clear(); }

  Status Connect(std::string_view url) {
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

  std::string_view engine() const override { return postgres_ ? "postgresql" : "sqlite"; }

  int schema_version() override {
    try {
      int v = 0;
      indicator ind;
      sql_ << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
      return ind == soci::i_ok ? v : 0;
    } catch (const std::exception&) {
      return 0;
    }
  }

  Status InTransaction(const std::function<Status()>& fn) override {
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
    Status s;
    try {
      s = fn();
    } catch (const std::exception& e) {
      s = Fail(DbError(e));
    }
    try {
      if (s) {
        sql_ << "COMMIT";
      } else {
        sql_ << "ROLLBACK";
      }
    } catch (const std::exception& e) {
      try {
        sql_ << "ROLLBACK";
      } catch (...) {
      }
      return Fail(DbError(e));
    }
    return s;
  }

  // ---- Funds ----

  Status UpsertOrganisme(const Actor& actor, const Organisme& o) override {
    if (!ZoneFromCode(o.zone)) return Fail(Error::Invalid("unknown zone '" + o.zone + "'", "zone"));
    return InTransaction([&]() -> Status {
      int n = 0;
      sql_ << "SELECT COUNT(*) FROM organismes WHERE code = :c", soci::use(o.code), soci::into(n);
      int whit = o.whit_monday_worked ? 1 : 0;
      if (n) {
        sql_ << "UPDATE organismes SET name = :n, zone = :z, region = :r, whit_monday_worked = :w "
                "WHERE code = :c",
            soci::use(o.name), soci::use(o.zone), soci::use(o.region), soci::use(whit),
            soci::use(o.code);
      } else {
        sql_ << "INSERT INTO organismes (code, name, zone, region, whit_monday_worked) "
                "VALUES (:c, :n, :z, :r, :w)",
            soci::use(o.code), soci::use(o.name), soci::use(o.zone), soci::use(o.region),
            soci::use(whit);
      }
      return AuditNoTx(actor, n ? "organisme.update" : "organisme.create", o.code);
    });
  }

  Result<std::vector<Organisme>> ListOrganismes() override {
    try {
      std::vector<Organisme> out;
      Query q;
      q << "SELECT code, name, zone, region, whit_monday_worked FROM organismes ORDER BY code";
      Fetch(q, [&](const soci::row& r) {
        out.push_back(ReadOrganisme(r));
        return true;
      });
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Result<Organisme> GetOrganisme(std::string_view code) override {
    try {
      Query q;
      q << "SELECT code, name, zone, region, whit_monday_worked FROM organismes WHERE code = ";
      q.Bind(std::string(code));
      std::optional<Organisme> o = FetchOne(q, &ReadOrganisme);
      if (!o) return Fail(Error::NotFound("unknown organisme '" + std::string(code) + "'"));
      return std::move(*o);
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  // ---- Cases ----

  Result<int64_t> CreateCase(const Actor& actor, const Case& c, const CaseEvent& event) override {
    if (!actor.CanSee(c.organisme)) {
      return Fail(Error::Invalid("unknown organisme '" + c.organisme + "'", "organisme"));
    }
    int64_t id = 0;
    Status s = InTransaction([&]() -> Status {
      if (auto st = CheckOrganismeExists(c.organisme); !st) return st;
      if (auto st = InsertCaseNoTx(c); !st) return st;
      id = CaseId(c.reference);
      if (auto st = InsertFinancialNoTx(id, c); !st) return st;
      if (auto st = InsertEventNoTx(id, event); !st) return st;
      return AuditNoTx(actor, "case.create", c.reference);
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Result<Case> GetCase(const Actor& actor, std::string_view reference) override {
    try {
      Query q;
      q << "SELECT " << kCaseColumns << " FROM cases c WHERE c.reference = ";
      q.Bind(std::string(reference)).RestrictCases(actor, {});
      std::optional<Case> c = FetchOne(q, &ReadCase);
      if (!c) return Fail(Error::NotFound("no case '" + std::string(reference) + "'"));
      LoadFinancial(&*c);
      return std::move(*c);
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Result<std::vector<Case>> ListCases(const Actor& actor, const CaseFilter& f,
                                      int64_t* total) override {
    try {
      Query where;
      where << " FROM cases c WHERE 1=1";
      where.RestrictCases(actor, f.organismes);
      if (f.state) {
        where << " AND c.state = ";
        where.Bind(StateCode(*f.state));
      }
      if (f.year) {
        where << " AND c.received_on BETWEEN ";
        where.Bind(Date::FromCivil(*f.year, 1, 1).ToString());
        where << " AND ";
        where.Bind(Date::FromCivil(*f.year, 12, 31).ToString());
      }
      if (f.assigned_to) {
        where << " AND c.assigned_to = ";
        where.Bind(*f.assigned_to);
      }
      if (f.overdue_only) {
        // Overdue needs each fund's calendar: select the candidates (open,
        // not taken in charge) in SQL, then filter by deadline here.
        where << " AND c.taken_in_charge_on IS NULL AND c.state = 'received'";
      }
      std::map<std::string, WorkCalendar> calendars;
      if (f.overdue_only) calendars = Calendars();
      std::vector<Case> out;
      int64_t count = 0;
      std::string sql = "SELECT " + std::string(kCaseColumns) + where.sql() +
                        " ORDER BY c.received_on DESC, c.reference DESC";
      const bool page_in_sql = !f.overdue_only && f.limit > 0;
      if (page_in_sql) {
        sql += " LIMIT " + std::to_string(f.limit) + " OFFSET " + std::to_string(f.offset);
      }
      int64_t seen = 0;
      Fetch(WithSql(where, sql), [&](const soci::row& r) {
        Case c = ReadCase(r);
        if (f.overdue_only) {
          auto it = calendars.find(c.organisme);
          WorkCalendar cal = it == calendars.end() ? WorkCalendar{} : it->second;
          if (!(TakeChargeDeadline(cal, c.received_on) < f.today)) return true;
          ++seen;
          if (seen <= f.offset || (f.limit > 0 && seen > f.offset + f.limit)) return true;
        }
        out.push_back(std::move(c));
        return true;
      });
      if (f.overdue_only) {
        count = seen;
      } else if (!page_in_sql) {
        count = static_cast<int64_t>(out.size());  // every row was read
      } else if (static_cast<int64_t>(out.size()) < f.limit && (!out.empty() || f.offset == 0)) {
        // The page holds the last rows: no need to count them again.
        count = f.offset + static_cast<int64_t>(out.size());
      } else {
        Fetch(WithSql(where, "SELECT COUNT(*)" + where.sql()), [&](const soci::row& r) {
          count = GetInt(r, 0);
          return false;
        });
      }
      for (Case& c : out) {
        if (f.with_financial) {
          LoadFinancial(&c);
        } else {
          c.financial.reset();
        }
      }
      if (total) *total = count;
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status UpdateCase(const Actor& actor, const Case& c, const CaseEvent& event) override {
    return InTransaction([&]() -> Status { return UpdateCaseNoTx(actor, c, event, nullptr); });
  }

  Status UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                            std::string_view recused_user, std::string_view reason) override {
    if (recused_user.empty()) return Fail(Error::Invalid("no recused user", "user"));
    return InTransaction([&]() -> Status {
      int64_t id = 0;
      if (auto s = UpdateCaseNoTx(actor, c, event, &id); !s) return s;
      return InsertRecusalNoTx(actor, id, c.reference, recused_user, reason);
    });
  }

  // The body of UpdateCase, inside a transaction; *id_out receives the
  // case's id when not null.
  Status UpdateCaseNoTx(const Actor& actor, const Case& c, const CaseEvent& event,
                        int64_t* id_out) {
    {
      Query q;
      q << "SELECT c.id, c.version FROM cases c WHERE c.reference = ";
      q.Bind(c.reference).RestrictCases(actor, {});
      soci::row r;
      soci::statement st = q.Prepare(sql_, &r);
      if (!st.execute(true)) return Fail(Error::NotFound("no case '" + c.reference + "'"));
      const int64_t id = GetInt(r, 0);
      const int64_t version = GetInt(r, 1);
      if (version != c.version) {
        return Fail(Error::Conflict("the case was changed by someone else (version " +
                                    std::to_string(version) + ", yours " +
                                    std::to_string(c.version) + "): reload it",
                                    "version"));
      }
      if (!actor.CanSee(c.organisme)) {
        return Fail(Error::Invalid("unknown organisme '" + c.organisme + "'", "organisme"));
      }
      CaseRow row;
      row.Set(c);
      std::string now = NowTimestamp();
      long long new_version = version + 1;
      long long lid = id;
      soci::statement up(sql_);
      row.Bind(up);
      up.exchange(soci::use(new_version));
      up.exchange(soci::use(now));
      up.exchange(soci::use(lid));
      up.alloc();
      up.prepare(UpdateCaseSql());
      up.define_and_bind();
      up.execute(true);
      sql_ << "DELETE FROM financial_lines WHERE case_id = :id", soci::use(lid);
      if (auto s2 = InsertFinancialNoTx(id, c); !s2) return s2;
      if (auto s2 = InsertEventNoTx(id, event); !s2) return s2;
      if (id_out) *id_out = id;
      return AuditNoTx(actor, "case.update", c.reference);
    }
  }

  Status InsertRecusalNoTx(const Actor& actor, int64_t case_id, std::string_view reference,
                           std::string_view user, std::string_view reason) {
    long long lid = case_id;
    std::string u(user), why(reason), at = NowTimestamp();
    sql_ << "INSERT INTO case_recusals (case_id, user_name, reason, at, by_user) "
            "VALUES (:c, :u, :r, :t, :b)",
        soci::use(lid), soci::use(u), soci::use(why), soci::use(at), soci::use(actor.user);
    return AuditNoTx(actor, "case.recusal", std::string(reference) + " " + u);
  }

  Status RecordRecusal(const Actor& actor, std::string_view reference, std::string_view user,
                       std::string_view reason) override {
    if (user.empty()) return Fail(Error::Invalid("no recused user", "user"));
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    return InTransaction(
        [&]() -> Status { return InsertRecusalNoTx(actor, *id, reference, user, reason); });
  }

  Result<std::vector<Recusal>> Recusals(const Actor& actor, std::string_view reference) override {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    try {
      std::vector<Recusal> out;
      long long lid = *id;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT user_name, reason, at, by_user FROM case_recusals "
                           "WHERE case_id = :c ORDER BY id",
           soci::use(lid));
      for (const soci::row& r : rows) {
        Recusal rec;
        rec.case_reference = std::string(reference);
        rec.user = GetString(r, 0);
        rec.reason = GetString(r, 1);
        rec.at = GetString(r, 2);
        rec.by_user = GetString(r, 3);
        out.push_back(std::move(rec));
      }
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  // ---- Interest links ----

  Result<int64_t> AddInterestLink(const Actor& actor, const DeclaredInterest& d) override {
    if (d.link.value.find_first_not_of(" \t") == std::string::npos) {
      return Fail(Error::Invalid("empty value", "value"));
    }
    int64_t id = 0;
    Status s = InTransaction([&]() -> Status {
      int n = 0;
      sql_ << "SELECT COUNT(*) FROM users WHERE name = :n", soci::use(d.user), soci::into(n);
      if (!n) return Fail(Error::Invalid("no user '" + d.user + "'", "user"));
      std::string kind = InterestSubjectCode(d.link.subject);
      std::optional<std::string> started = OptDate(d.started_on), ended = OptDate(d.link.ended_on);
      std::string s_started = started.value_or(""), s_ended = ended.value_or("");
      indicator i_started = started ? soci::i_ok : soci::i_null;
      indicator i_ended = ended ? soci::i_ok : soci::i_null;
      std::string at = d.declared_at.empty() ? NowTimestamp() : d.declared_at;
      sql_ << "INSERT INTO interest_links (user_name, kind, value, relation, organisme, "
              "started_on, ended_on, declared_at) VALUES (:u, :k, :v, :r, :o, :s, :e, :t)",
          soci::use(d.user), soci::use(kind), soci::use(d.link.value), soci::use(d.link.relation),
          soci::use(d.link.organisme), soci::use(s_started, i_started), soci::use(s_ended, i_ended),
          soci::use(at);
      long long got = 0;
      sql_ << "SELECT MAX(id) FROM interest_links WHERE user_name = :u", soci::use(d.user),
          soci::into(got);
      id = got;
      return AuditNoTx(actor, "interest.add", d.user + " " + std::to_string(id));
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Result<std::vector<DeclaredInterest>> InterestLinks(std::string_view user) override {
    try {
      std::vector<DeclaredInterest> out;
      std::string u(user);
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, user_name, kind, value, relation, organisme, started_on, "
                           "ended_on, declared_at FROM interest_links WHERE user_name = :u "
                           "ORDER BY id",
           soci::use(u));
      for (const soci::row& r : rows) {
        DeclaredInterest d;
        d.id = GetInt(r, 0);
        d.user = GetString(r, 1);
        d.link.subject =
            InterestSubjectFromCode(GetString(r, 2)).value_or(InterestLink::Subject::kPerson);
        d.link.value = GetString(r, 3);
        d.link.relation = GetString(r, 4);
        d.link.organisme = GetString(r, 5);
        d.started_on = GetOptDate(r, 6);
        d.link.ended_on = GetOptDate(r, 7);
        d.declared_at = GetString(r, 8);
        out.push_back(std::move(d));
      }
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status RemoveInterestLink(const Actor& actor, int64_t id) override {
    return InTransaction([&]() -> Status {
      long long lid = id;
      int n = 0;
      sql_ << "SELECT COUNT(*) FROM interest_links WHERE id = :i", soci::use(lid), soci::into(n);
      if (!n) return Fail(Error::NotFound("no interest link " + std::to_string(id)));
      sql_ << "DELETE FROM interest_links WHERE id = :i", soci::use(lid);
      return AuditNoTx(actor, "interest.remove", std::to_string(id));
    });
  }

  Result<std::vector<CaseEvent>> History(const Actor& actor, std::string_view reference) override {
    return CaseDetails<CaseEvent>(
        actor, reference, "SELECT id, at, actor, kind, detail FROM case_events WHERE case_id = ",
        &ReadEvent);
  }

  Result<ImportCounts> ImportCases(const Actor& actor, std::span<const Case> cases) override {
    ImportCounts counts;
    Status s = InTransaction([&]() -> Status {
      std::map<std::string, bool> orgs;
      for (const Case& c : cases) {
        if (!actor.CanSee(c.organisme)) {
          return Fail(Error::Invalid("unknown organisme '" + c.organisme + "'", "organisme"));
        }
        if (orgs.emplace(c.organisme, true).second) {
          if (auto st = CheckOrganismeExists(c.organisme); !st) return st;
        }
      }
      counts.organismes = static_cast<int64_t>(orgs.size());
      const std::string now = NowTimestamp();
      // Large batches index the search table once at the end instead of by
      // a trigger per row (several times faster on both engines).
      const bool bulk_index = cases.size() >= kBulkIndexThreshold;
      long long max_id_before = 0;
      if (bulk_index) {
        indicator ind;
        sql_ << "SELECT MAX(id) FROM cases", soci::into(max_id_before, ind);
        if (ind != soci::i_ok) max_id_before = 0;
        for (std::string_view stmt : postgres_ ? store::PostgresqlSearchTriggerOff()
                                               : store::SqliteSearchTriggerOff()) {
          sql_ << std::string(stmt);
        }
      }
      // One prepared statement for all cases, executed once per case.
      CaseRow row;
      std::string created = now;
      soci::statement ins = PrepareCaseInsert(row, created);
      std::string fin_ref, fin_kind;
      long long fin_amount = 0;
      int fin_pos = 0;
      soci::statement fin =
          (sql_.prepare << "INSERT INTO financial_lines (case_id, position, kind, amount_cents) "
                           "VALUES ((SELECT id FROM cases WHERE reference = :r), :p, :k, :a)",
           soci::use(fin_ref), soci::use(fin_pos), soci::use(fin_kind), soci::use(fin_amount));
      for (const Case& c : cases) {
        row.Set(c);
        try {
          ins.execute(true);
        } catch (const std::exception& e) {
          Error err = DbError(e);
          if (err.code == Error::Code::kConflict) {
            err.message = "duplicate reference '" + c.reference + "'";
            err.field = "reference";
          }
          return Fail(err);
        }
        ++counts.cases;
        if (c.financial) {
          fin_pos = 0;
          for (const FinancialLine& l : *c.financial) {
            fin_ref = c.reference;
            fin_kind = l.kind;
            fin_amount = l.amount_cents;
            fin.execute(true);
            ++fin_pos;
            ++counts.financial_lines;
          }
        }
      }
      if (bulk_index) {
        for (std::string_view stmt : postgres_ ? store::PostgresqlSearchBulkIndex()
                                               : store::SqliteSearchBulkIndex()) {
          sql_ << std::string(stmt), soci::use(max_id_before);
        }
        for (std::string_view stmt : postgres_ ? store::PostgresqlSearchTriggerOn()
                                               : store::SqliteSearchTriggerOn()) {
          sql_ << std::string(stmt);
        }
      }
      return AuditNoTx(actor, "cases.import", std::to_string(counts.cases) + " cases");
    });
    if (!s) return Fail(s.error());
    return counts;
  }

  Result<std::vector<std::string>> ExistingReferences(std::span<const std::string> refs) override {
    try {
      std::vector<std::string> out;
      if (refs.empty()) return out;
      long long stored = 0;
      sql_ << "SELECT COUNT(*) FROM cases", soci::into(stored);
      if (stored == 0) return out;
      if (refs.size() * 4 >= static_cast<size_t>(stored)) {
        // A large batch against a smaller table: one scan of the references.
        std::unordered_set<std::string_view> wanted(refs.begin(), refs.end());
        soci::row r;
        soci::statement st = (sql_.prepare << "SELECT reference FROM cases", soci::into(r));
        st.execute();
        while (st.fetch()) {
          std::string ref = GetString(r, 0);
          if (wanted.count(ref)) out.push_back(std::move(ref));
        }
        return out;
      }
      constexpr size_t kBatch = 500;
      for (size_t start = 0; start < refs.size(); start += kBatch) {
        Query q;
        q << "SELECT reference FROM cases WHERE reference IN (";
        for (size_t i = start; i < std::min(refs.size(), start + kBatch); ++i) {
          if (i > start) q << ",";
          q.Bind(refs[i]);
        }
        q << ")";
        soci::row r;
        soci::statement st = q.Prepare(sql_, &r);
        st.execute();
        while (st.fetch()) out.push_back(GetString(r, 0));
      }
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status ForEachCase(const Actor& actor, std::span<const std::string> organismes,
                     std::optional<int> year, const std::function<void(const Case&)>& fn) override {
    Query where;
    where << " FROM cases c WHERE 1=1";
    where.RestrictCases(actor, organismes);
    if (year) {
      where << " AND c.received_on BETWEEN ";
      where.Bind(Date::FromCivil(*year, 1, 1).ToString());
      where << " AND ";
      where.Bind(Date::FromCivil(*year, 12, 31).ToString());
    }
    return Stream(where, " ORDER BY c.organisme, c.received_on, c.reference", fn, Columns::kAll);
  }

  Status ForEachCaseInPeriod(std::span<const std::string> organismes, Date from, Date to,
                             const std::function<void(Case&)>& fn) override {
    return ScanPeriod(organismes, from, to, fn, Columns::kInterchange);
  }

  Status ForEachCaseDatesInPeriod(std::span<const std::string> organismes, Date from, Date to,
                                  const std::function<void(Case&)>& fn) override {
    return ScanPeriod(organismes, from, to, fn, Columns::kDates);
  }

  Status ScanPeriod(std::span<const std::string> organismes, Date from, Date to,
                    const std::function<void(Case&)>& fn, Columns columns) {
    // Two index range scans rather than one OR (which SQLite runs through a
    // row set): received in the period, then closed in it but received before.
    Query received;
    received << " FROM cases c WHERE c.received_on BETWEEN ";
    received.Bind(from.ToString()) << " AND ";
    received.Bind(to.ToString());
    received.RestrictFunds("c.organisme", Actor::System(), organismes);
    if (auto st = Stream(received, "", fn, columns); !st) return st;
    Query closed;
    closed << " FROM cases c WHERE c.closed_on BETWEEN ";
    closed.Bind(from.ToString()) << " AND ";
    closed.Bind(to.ToString()) << " AND c.received_on < ";
    closed.Bind(from.ToString());
    closed.RestrictFunds("c.organisme", Actor::System(), organismes);
    return Stream(closed, "", fn, columns);
  }

  Result<std::unordered_map<int64_t, std::string>> BeneficiaryNames(
      const Actor& actor, std::span<const int64_t> case_ids) override {
    std::unordered_map<int64_t, std::string> out;
    if (case_ids.empty()) return out;
    try {
      Query q;
      // CROSS JOIN keeps SQLite from scanning every case of the fund (its
      // planner prefers the organisme index); PostgreSQL plans it as a join.
      q << "SELECT p.case_id, p.name FROM people p CROSS JOIN cases c "
           "WHERE c.id = p.case_id AND p.role = 'beneficiary' AND p.name <> '' "
           "AND p.case_id IN (";
      for (size_t i = 0; i < case_ids.size(); ++i) {
        if (i) q << ",";
        q.Bind(std::to_string(case_ids[i]));
      }
      q << ")";
      q.RestrictCases(actor, {});
      q << " ORDER BY p.case_id, p.id";
      Fetch(q, [&](const soci::row& r) {
        std::string& names = out[GetInt(r, 0)];
        if (!names.empty()) names += ", ";
        names += GetString(r, 1);
        return true;
      });
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  // The rows of a detail table (`select` ends with "WHERE case_id = ") for a
  // case the actor may see, in insertion order, each made by `read`.
  template <typename T>
  Result<std::vector<T>> CaseDetails(const Actor& actor, std::string_view reference,
                                     std::string_view select, T (*read)(const soci::row&)) {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    try {
      std::vector<T> out;
      Query q;
      q << select;
      q.Bind(std::to_string(*id)) << " ORDER BY id";
      Fetch(q, [&](const soci::row& r) {
        out.push_back(read(r));
        return true;
      });
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  static CaseEvent ReadEvent(const soci::row& r) {
    return {GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3), GetString(r, 4)};
  }
  static Note ReadNote(const soci::row& r) {
    return {GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3)};
  }
  static Person ReadPerson(const soci::row& r) {
    Person p;
    p.id = GetInt(r, 0);
    const std::string role = GetString(r, 1);
    p.role = role == "emitter"    ? PersonRole::kEmitter
             : role == "landlord" ? PersonRole::kLandlord
                                  : PersonRole::kBeneficiary;
    p.name = GetString(r, 2);
    p.organisation = GetString(r, 3);
    p.email = GetString(r, 4);
    p.phone = GetString(r, 5);
    p.address = GetString(r, 6);
    return p;
  }
  static DocumentMeta ReadDocument(const soci::row& r) {
    return {GetInt(r, 0),    GetString(r, 1), GetString(r, 2), GetInt(r, 3),
            GetString(r, 4), GetString(r, 5), GetString(r, 6), GetString(r, 7)};
  }

  // ---- Details ----

  Status AddNote(const Actor& actor, std::string_view reference, const Note& note) override {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    return InTransaction([&]() -> Status {
      long long lid = *id;
      std::string at = note.created_at.empty() ? NowTimestamp() : note.created_at;
      sql_ << "INSERT INTO notes (case_id, author, created_at, text) VALUES (:c, :a, :t, :x)",
          soci::use(lid), soci::use(note.author), soci::use(at), soci::use(note.text);
      if (auto s = InsertEventNoTx(*id, {0, at, actor.user, "note", "Note ajoutée"}); !s) return s;
      return AuditNoTx(actor, "case.note", std::string(reference));
    });
  }

  Result<std::vector<Note>> Notes(const Actor& actor, std::string_view reference) override {
    return CaseDetails<Note>(
        actor, reference, "SELECT id, author, created_at, text FROM notes WHERE case_id = ",
        &ReadNote);
  }

  Status SavePerson(const Actor& actor, std::string_view reference, const Person& p) override {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    return InTransaction([&]() -> Status {
      long long lid = *id;
      std::string role = PersonRoleCode(p.role);
      if (p.id) {
        long long pid = p.id;
        sql_ << "UPDATE people SET role = :r, name = :n, organisation = :o, email = :e, "
                "phone = :p, address = :a WHERE id = :id AND case_id = :c",
            soci::use(role), soci::use(p.name), soci::use(p.organisation), soci::use(p.email),
            soci::use(p.phone), soci::use(p.address), soci::use(pid), soci::use(lid);
      } else {
        sql_ << "INSERT INTO people (case_id, role, name, organisation, email, phone, address) "
                "VALUES (:c, :r, :n, :o, :e, :p, :a)",
            soci::use(lid), soci::use(role), soci::use(p.name), soci::use(p.organisation),
            soci::use(p.email), soci::use(p.phone), soci::use(p.address);
      }
      return AuditNoTx(actor, "case.person", std::string(reference));
    });
  }

  Result<std::vector<Person>> People(const Actor& actor, std::string_view reference) override {
    return CaseDetails<Person>(actor, reference,
                               "SELECT id, role, name, organisation, email, phone, address "
                               "FROM people WHERE case_id = ",
                               &ReadPerson);
  }

  Status AddDocument(const Actor& actor, std::string_view reference,
                     const DocumentMeta& d) override {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    return InTransaction([&]() -> Status {
      long long lid = *id;
      long long size = d.size_bytes;
      std::string at = d.uploaded_at.empty() ? NowTimestamp() : d.uploaded_at;
      sql_ << "INSERT INTO documents (case_id, file_name, content_type, size_bytes, storage_key, "
              "sha256, uploaded_by, uploaded_at) VALUES (:c, :f, :t, :s, :k, :h, :u, :a)",
          soci::use(lid), soci::use(d.file_name), soci::use(d.content_type), soci::use(size),
          soci::use(d.storage_key), soci::use(d.sha256), soci::use(d.uploaded_by), soci::use(at);
      if (auto s = InsertEventNoTx(*id, {0, at, actor.user, "document",
                                         "Document ajouté : " + d.file_name});
          !s) {
        return s;
      }
      return AuditNoTx(actor, "case.document", std::string(reference));
    });
  }

  Result<std::vector<DocumentMeta>> Documents(const Actor& actor,
                                              std::string_view reference) override {
    return CaseDetails<DocumentMeta>(actor, reference,
                                     "SELECT id, file_name, content_type, size_bytes, storage_key, "
                                     "sha256, uploaded_by, uploaded_at FROM documents "
                                     "WHERE case_id = ",
                                     &ReadDocument);
  }

  // ---- Users and tokens ----

  Result<int64_t> CreateUser(const User& u) override {
    if (u.name.empty()) return Fail(Error::Invalid("a user needs a name", "name"));
    int64_t id = 0;
    Status s = InTransaction([&]() -> Status {
      std::string role = RoleCode(u.role);
      std::string orgs = JoinCodes(u.organismes);
      int all = u.all_funds ? 1 : 0;
      int disabled = u.disabled ? 1 : 0;
      try {
        sql_ << "INSERT INTO users (name, display_name, password_hash, role, all_funds, organismes, "
                "disabled) VALUES (:n, :d, :p, :r, :a, :o, :x)",
            soci::use(u.name), soci::use(u.display_name), soci::use(u.password_hash),
            soci::use(role), soci::use(all), soci::use(orgs), soci::use(disabled);
      } catch (const std::exception& e) {
        Error err = DbError(e);
        if (err.code == Error::Code::kConflict) err.message = "user '" + u.name + "' already exists";
        return Fail(err);
      }
      long long lid = 0;
      sql_ << "SELECT id FROM users WHERE name = :n", soci::use(u.name), soci::into(lid);
      id = lid;
      return AuditNoTx(Actor::System(), "user.create", u.name);
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Result<User> GetUser(std::string_view name) override {
    try {
      Query q;
      q << "SELECT " << kUserColumns << " FROM users u WHERE u.name = ";
      q.Bind(std::string(name));
      std::optional<User> u = FetchOne(q, &ReadUser);
      if (!u) return Fail(Error::NotFound("no user '" + std::string(name) + "'"));
      return std::move(*u);
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status UpdateUser(const User& u) override {
    return InTransaction([&]() -> Status {
      std::string role = RoleCode(u.role);
      std::string orgs = JoinCodes(u.organismes);
      int all = u.all_funds ? 1 : 0;
      int disabled = u.disabled ? 1 : 0;
      int failed = u.failed_attempts;
      sql_ << "UPDATE users SET display_name = :d, password_hash = :p, role = :r, all_funds = :a, "
              "organismes = :o, failed_attempts = :f, locked_until = :l, disabled = :x "
              "WHERE name = :n",
          soci::use(u.display_name), soci::use(u.password_hash), soci::use(role), soci::use(all),
          soci::use(orgs), soci::use(failed), soci::use(u.locked_until), soci::use(disabled),
          soci::use(u.name);
      return Status{};
    });
  }

  Status CreateApiToken(std::string_view user, std::string_view token_hash,
                        std::string_view label) override {
    auto u = GetUser(user);
    if (!u) return Fail(u.error());
    return InTransaction([&]() -> Status {
      long long uid = u->id;
      std::string h(token_hash), l(label), now = NowTimestamp();
      sql_ << "INSERT INTO api_tokens (user_id, token_hash, label, created_at) "
              "VALUES (:u, :h, :l, :t)",
          soci::use(uid), soci::use(h), soci::use(l), soci::use(now);
      return AuditNoTx(Actor::System(), "token.create", std::string(user));
    });
  }

  Result<User> UserForTokenHash(std::string_view token_hash) override {
    try {
      Query q;
      q << "SELECT " << kUserColumns
        << " FROM users u JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ";
      q.Bind(std::string(token_hash));
      std::optional<User> found = FetchOne(q, &ReadUser);
      if (!found) {
        return Fail(Error{Error::Code::kUnauthorized, "invalid API token", {}, 0});
      }
      User u = std::move(*found);
      if (u.disabled) return Fail(Error{Error::Code::kUnauthorized, "user disabled", {}, 0});
      return u;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status Audit(const Actor& actor, std::string_view action, std::string_view object) override {
    try {
      return AuditNoTx(actor, action, object);
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status Backup(std::string_view path) override {
    if (postgres_) {
      return Fail(Error::Invalid("backup of a PostgreSQL database: use pg_dump"));
    }
    using namespace sqlite_api;  // NOLINT: SOCI wraps sqlite3.h in this namespace
    auto* be = static_cast<soci::sqlite3_session_backend*>(sql_.get_backend());
    sqlite3* dest = nullptr;
    std::string p(path);
    if (sqlite3_open(p.c_str(), &dest) != SQLITE_OK) {
      std::string msg = dest ? sqlite3_errmsg(dest) : "out of memory";
      sqlite3_close(dest);
      return Fail(Error::Invalid("cannot create backup file '" + p + "': " + msg, "file"));
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
    if (rc != SQLITE_OK) return Fail(Error::Internal("backup failed: " + std::string(sqlite3_errstr(rc))));
    return {};
  }

  // ---- Web workspace (migration 2) ----

  Result<std::string> SubmitCase(const Actor& actor, const Submission& sub) override {
    if (!actor.CanSee(sub.c.organisme)) {
      return Fail(Error::Invalid("unknown organisme '" + sub.c.organisme + "'", "organisme"));
    }
    // PostgreSQL: two first submissions of a fund's year may both insert its
    // counter row; the loser gets a conflict and simply tries again.
    for (int attempt = 0;; ++attempt) {
      std::string reference;
      Status s = InTransaction([&]() -> Status {
        if (auto st = CheckOrganismeExists(sub.c.organisme); !st) return st;
        Case c = sub.c;
        if (c.reference.empty()) {
          auto ref = NextReferenceNoTx(c.organisme, c.received_on.year());
          if (!ref) return Fail(ref.error());
          c.reference = *ref;
        }
        reference = c.reference;
        if (auto st = InsertCaseNoTx(c); !st) return st;
        const int64_t id = CaseId(c.reference);
        if (auto st = InsertFinancialNoTx(id, c); !st) return st;
        if (auto st = InsertEventNoTx(id, sub.event); !st) return st;
        long long lid = id;
        for (const Person& p : sub.people) {
          std::string role = PersonRoleCode(p.role);
          sql_ << "INSERT INTO people (case_id, role, name, organisation, email, phone, address) "
                  "VALUES (:c, :r, :n, :o, :e, :p, :a)",
              soci::use(lid), soci::use(role), soci::use(p.name), soci::use(p.organisation),
              soci::use(p.email), soci::use(p.phone), soci::use(p.address);
        }
        for (const DocumentMeta& d : sub.documents) {
          long long size = d.size_bytes;
          std::string at = d.uploaded_at.empty() ? NowTimestamp() : d.uploaded_at;
          sql_ << "INSERT INTO documents (case_id, file_name, content_type, size_bytes, "
                  "storage_key, sha256, uploaded_by, uploaded_at) "
                  "VALUES (:c, :f, :t, :s, :k, :h, :u, :a)",
              soci::use(lid), soci::use(d.file_name), soci::use(d.content_type), soci::use(size),
              soci::use(d.storage_key), soci::use(d.sha256), soci::use(d.uploaded_by),
              soci::use(at);
        }
        if (sub.acknowledgement) {
          const OutboxMessage& m = *sub.acknowledgement;
          auto fill = [&](std::string t) {
            for (size_t p; (p = t.find("{reference}")) != std::string::npos;) {
              t.replace(p, 11, reference);
            }
            return t;
          };
          std::string subject = fill(m.subject), body = fill(m.body), now = NowTimestamp();
          sql_ << "INSERT INTO outbox (kind, recipient, subject, body, case_reference, created_at) "
                  "VALUES (:k, :r, :s, :b, :c, :t)",
              soci::use(m.kind), soci::use(m.recipient), soci::use(subject), soci::use(body),
              soci::use(reference), soci::use(now);
        }
        return AuditNoTx(actor, "case.submit", reference);
      });
      if (s) return reference;
      if (s.error().code == Error::Code::kConflict && sub.c.reference.empty() && attempt < 3) {
        continue;
      }
      return Fail(s.error());
    }
  }

  Result<std::vector<Case>> SearchCases(const Actor& actor, std::string_view text, int limit,
                                        int64_t* total) override {
    if (total) *total = 0;
    // Words of letters and digits (any non-ASCII byte counts as a letter);
    // the query syntax is built here from them only, never from raw input.
    std::vector<std::string> words;
    std::string cur;
    for (char ch : text) {
      unsigned char u = static_cast<unsigned char>(ch);
      if (std::isalnum(u) || u >= 0x80) {
        cur += ch;
      } else if (!cur.empty()) {
        words.push_back(std::move(cur));
        cur.clear();
      }
    }
    if (!cur.empty()) words.push_back(std::move(cur));
    if (words.size() > 8) words.resize(8);
    if (words.empty()) return std::vector<Case>{};
    std::string match;
    for (const std::string& w : words) {
      if (!match.empty()) match += postgres_ ? " & " : " ";
      match += postgres_ ? w + ":*" : "\"" + w + "\"*";
    }
    try {
      Query where;
      where << " FROM cases c WHERE c.id IN (";
      if (postgres_) {
        where << "SELECT case_id FROM case_search WHERE document @@ to_tsquery('simple', "
                 "amiable_fold(";
        where.Bind(match) << "))";
      } else {
        where << "SELECT rowid FROM case_search WHERE case_search MATCH ";
        where.Bind(match);
      }
      where << ")";
      where.RestrictCases(actor, {});
      std::vector<Case> out;
      std::string sql = "SELECT " + std::string(kCaseColumns) + where.sql() +
                        " ORDER BY c.received_on DESC, c.reference DESC";
      if (limit > 0) sql += " LIMIT " + std::to_string(limit);
      Query q = WithSql(where, sql);
      soci::row r;
      soci::statement st = q.Prepare(sql_, &r);
      st.execute();
      while (st.fetch()) out.push_back(ReadCase(r));
      for (Case& c : out) LoadFinancial(&c);
      if (total) {
        Query qc = WithSql(where, "SELECT COUNT(*)" + where.sql());
        soci::row cr;
        soci::statement cst = qc.Prepare(sql_, &cr);
        cst.execute(true);
        *total = GetInt(cr, 0);
      }
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status CreateWebSession(const WebSession& w) override {
    return InTransaction([&]() -> Status {
      sql_ << "INSERT INTO web_sessions (id_hash, user_name, csrf_token, created_at, expires_at) "
              "VALUES (:h, :u, :c, :t, :e)",
          soci::use(w.id_hash), soci::use(w.user), soci::use(w.csrf_token),
          soci::use(w.created_at), soci::use(w.expires_at);
      // Expired sessions go away as new ones come.
      std::string now = NowTimestamp();
      sql_ << "DELETE FROM web_sessions WHERE expires_at < :n", soci::use(now);
      return Status{};
    });
  }

  Result<WebSession> GetWebSession(std::string_view id_hash, std::string_view now) override {
    try {
      Query q;
      q << "SELECT id_hash, user_name, csrf_token, created_at, expires_at FROM web_sessions "
           "WHERE id_hash = ";
      q.Bind(std::string(id_hash)) << " AND expires_at > ";
      q.Bind(std::string(now));
      std::optional<WebSession> found;
      Fetch(q, [&](const soci::row& r) {
        found = WebSession{GetString(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3),
                           GetString(r, 4)};
        return false;
      });
      if (!found) return Fail(Error::NotFound("no session"));
      return std::move(*found);
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status DeleteWebSession(std::string_view id_hash) override {
    try {
      std::string h(id_hash);
      sql_ << "DELETE FROM web_sessions WHERE id_hash = :h", soci::use(h);
      return {};
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Result<std::vector<OutboxMessage>> PendingOutbox(int limit) override {
    try {
      std::vector<OutboxMessage> out;
      std::string sql =
          "SELECT id, kind, recipient, subject, body, case_reference, created_at, sent_at "
          "FROM outbox WHERE sent_at = '' ORDER BY id";
      if (limit > 0) sql += " LIMIT " + std::to_string(limit);
      soci::rowset<soci::row> rs = (sql_.prepare << sql);
      for (const soci::row& r : rs) {
        out.push_back({GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3),
                       GetString(r, 4), GetString(r, 5), GetString(r, 6), GetString(r, 7)});
      }
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Result<std::vector<LabelOverride>> LabelOverrides() override {
    try {
      std::vector<LabelOverride> out;
      soci::rowset<soci::row> rs = (sql_.prepare << "SELECT nomenclature, code, label FROM "
                                                    "nomenclature_labels ORDER BY nomenclature, code");
      for (const soci::row& r : rs) out.push_back({GetString(r, 0), GetString(r, 1), GetString(r, 2)});
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status SetLabelOverride(const Actor& actor, const LabelOverride& o) override {
    return InTransaction([&]() -> Status {
      sql_ << "DELETE FROM nomenclature_labels WHERE nomenclature = :n AND code = :c",
          soci::use(o.nomenclature), soci::use(o.code);
      if (!o.label.empty()) {
        sql_ << "INSERT INTO nomenclature_labels (nomenclature, code, label) VALUES (:n, :c, :l)",
            soci::use(o.nomenclature), soci::use(o.code), soci::use(o.label);
      }
      return AuditNoTx(actor, "nomenclature.label", o.nomenclature + "." + o.code);
    });
  }

  Result<std::vector<User>> ListUsers() override {
    try {
      std::vector<User> out;
      soci::rowset<soci::row> rs =
          (sql_.prepare << "SELECT " << kUserColumns << " FROM users u ORDER BY u.name");
      for (const soci::row& r : rs) out.push_back(ReadUser(r));
      return out;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

 private:
  static constexpr std::string_view kUserColumns =
      "u.id, u.name, u.display_name, u.password_hash, u.role, u.all_funds, u.organismes, "
      "u.failed_attempts, u.locked_until, u.disabled";

  // Placeholder n (1-based) of the case columns, cast where PostgreSQL
  // cannot infer an integer from a text parameter.
  std::string CasePlaceholder(int n) const {
    std::string p = ":a" + std::to_string(n);
    if (!postgres_) return p;
    if (n == 19) return "CAST(" + p + " AS BIGINT)";
    if (n == 22 || n == 23) return "CAST(" + p + " AS INTEGER)";
    return p;
  }

  std::string InsertCaseSql() const {
    std::string sql = "INSERT INTO cases (" + std::string(kWriteColumns) +
                      ", created_at, updated_at) VALUES (";
    for (int n = 1; n <= CaseRow::kColumns + 2; ++n) {
      if (n > 1) sql += ", ";
      sql += CasePlaceholder(n);
    }
    return sql + ")";
  }

  std::string UpdateCaseSql() const {
    std::string sql = "UPDATE cases SET ";
    std::string_view cols = kWriteColumns;
    int n = 1;
    while (!cols.empty()) {
      size_t comma = cols.find(',');
      std::string_view col = cols.substr(0, comma);
      if (n > 1) sql += ", ";
      sql += std::string(col) + " = " + CasePlaceholder(n);
      ++n;
      cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 2);
    }
    return sql + ", version = :v, updated_at = :u WHERE id = :id";
  }

  static Organisme ReadOrganisme(const soci::row& r) {
    Organisme o;
    o.code = GetString(r, 0);
    o.name = GetString(r, 1);
    o.zone = GetString(r, 2);
    o.region = GetString(r, 3);
    o.whit_monday_worked = GetInt(r, 4) != 0;
    return o;
  }

  static User ReadUser(const soci::row& r) {
    User u;
    u.id = GetInt(r, 0);
    u.name = GetString(r, 1);
    u.display_name = GetString(r, 2);
    u.password_hash = GetString(r, 3);
    u.role = RoleFromCode(GetString(r, 4)).value_or(Role::kStatisticsReader);
    u.all_funds = GetInt(r, 5) != 0;
    u.organismes = SplitCodes(GetString(r, 6));
    u.failed_attempts = static_cast<int>(GetInt(r, 7));
    u.locked_until = GetString(r, 8);
    u.disabled = GetInt(r, 9) != 0;
    return u;
  }

  static Query WithSql(const Query& bindings, std::string sql) {
    Query q = bindings;
    q.ReplaceSql(std::move(sql));
    return q;
  }

  std::map<std::string, WorkCalendar> Calendars() {
    std::map<std::string, WorkCalendar> out;
    auto orgs = ListOrganismes();
    if (!orgs) return out;
    for (const Organisme& o : *orgs) {
      out[o.code] = {ZoneFromCode(o.zone).value_or(Zone::kMetropole), o.whit_monday_worked};
    }
    return out;
  }

  // The next free reference of a fund's year, from its counter (created
  // from the number of cases already there); skips references taken by
  // other means (imports, the API). Inside a transaction.
  Result<std::string> NextReferenceNoTx(const std::string& organisme, int year) {
    long long last = 0;
    indicator ind = soci::i_null;
    sql_ << std::string("SELECT last_number FROM reference_counters WHERE organisme = :o AND "
                        "year = :y") +
                (postgres_ ? " FOR UPDATE" : ""),
        soci::use(organisme), soci::use(year), soci::into(last, ind);
    const bool have = sql_.got_data() && ind == soci::i_ok;
    if (!have) {
      std::string from = Date::FromCivil(year, 1, 1).ToString();
      std::string to = Date::FromCivil(year, 12, 31).ToString();
      long long n = 0;
      sql_ << "SELECT COUNT(*) FROM cases WHERE organisme = :o AND received_on BETWEEN :f AND :t",
          soci::use(organisme), soci::use(from), soci::use(to), soci::into(n);
      last = n;
    }
    std::string ref;
    for (int guard = 0; guard < 100000; ++guard) {
      ++last;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s-%04d-%05lld", organisme.c_str(), year, last);
      ref = buf;
      int taken = 0;
      sql_ << "SELECT COUNT(*) FROM cases WHERE reference = :r", soci::use(ref), soci::into(taken);
      if (!taken) break;
    }
    if (have) {
      sql_ << "UPDATE reference_counters SET last_number = :l WHERE organisme = :o AND year = :y",
          soci::use(last), soci::use(organisme), soci::use(year);
    } else {
      try {
        sql_ << "INSERT INTO reference_counters (organisme, year, last_number) VALUES (:o, :y, :l)",
            soci::use(organisme), soci::use(year), soci::use(last);
      } catch (const std::exception& e) {
        return Fail(Error::Conflict("reference counter taken concurrently: retry"));
      }
    }
    return ref;
  }

  Status CheckOrganismeExists(const std::string& code) {
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM organismes WHERE code = :c", soci::use(code), soci::into(n);
    if (!n) return Fail(Error::Invalid("unknown organisme '" + code + "'", "organisme"));
    return {};
  }

  Status InsertCaseNoTx(const Case& c) {
    CaseRow row;
    row.Set(c);
    std::string now = NowTimestamp();
    try {
      soci::statement st = PrepareCaseInsert(row, now);
      st.execute(true);
    } catch (const std::exception& e) {
      Error err = DbError(e);
      if (err.code == Error::Code::kConflict) {
        err.message = "duplicate reference '" + c.reference + "'";
        err.field = "reference";
      }
      return Fail(err);
    }
    return {};
  }

  // A prepared INSERT bound to `row` and to `created` (created_at and
  // updated_at); both must outlive the statement.
  soci::statement PrepareCaseInsert(CaseRow& row, std::string& created) {
    soci::statement st(sql_);
    row.Bind(st);
    st.exchange(soci::use(created));
    st.exchange(soci::use(created));
    st.alloc();
    st.prepare(InsertCaseSql());
    st.define_and_bind();
    return st;
  }

  int64_t CaseId(const std::string& reference) {
    long long id = 0;
    sql_ << "SELECT id FROM cases WHERE reference = :r", soci::use(reference), soci::into(id);
    return id;
  }

  Result<int64_t> VisibleCaseId(const Actor& actor, std::string_view reference) {
    try {
      Query q;
      q << "SELECT c.id FROM cases c WHERE c.reference = ";
      q.Bind(std::string(reference)).RestrictCases(actor, {});
      int64_t id = 0;
      if (!Fetch(q, [&](const soci::row& r) {
            id = GetInt(r, 0);
            return false;
          })) {
        return Fail(Error::NotFound("no case '" + std::string(reference) + "'"));
      }
      return id;
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status InsertFinancialNoTx(int64_t id, const Case& c) {
    if (!c.financial) return {};
    long long lid = id;
    int pos = 0;
    for (const FinancialLine& l : *c.financial) {
      long long amount = l.amount_cents;
      sql_ << "INSERT INTO financial_lines (case_id, position, kind, amount_cents) "
              "VALUES (:c, :p, :k, :a)",
          soci::use(lid), soci::use(pos), soci::use(l.kind), soci::use(amount);
      ++pos;
    }
    return {};
  }

  Status InsertEventNoTx(int64_t id, const CaseEvent& ev) {
    long long lid = id;
    std::string at = ev.at.empty() ? NowTimestamp() : ev.at;
    std::string actor = ev.actor.empty() ? "system" : ev.actor;
    std::string kind = ev.kind.empty() ? "create" : ev.kind;
    sql_ << "INSERT INTO case_events (case_id, at, actor, kind, detail) VALUES (:c, :t, :a, :k, :d)",
        soci::use(lid), soci::use(at), soci::use(actor), soci::use(kind), soci::use(ev.detail);
    return {};
  }

  Status AuditNoTx(const Actor& actor, std::string_view action, std::string_view object) {
    std::string at = NowTimestamp(), a(action), o(object);
    sql_ << "INSERT INTO audit_log (at, actor, action, object) VALUES (:t, :u, :a, :o)",
        soci::use(at), soci::use(actor.user), soci::use(a), soci::use(o);
    return {};
  }

  void LoadFinancial(Case* c) {
    if (!c->financial) return;
    Query q;
    q << "SELECT kind, amount_cents FROM financial_lines WHERE case_id = ";
    q.Bind(std::to_string(c->id)) << " ORDER BY position";
    Fetch(q, [&](const soci::row& r) {
      c->financial->push_back({GetString(r, 0), GetInt(r, 1)});
      return true;
    });
  }

  // Streams cases matching `where` (a " FROM cases c WHERE ..." clause),
  // with their financial lines fetched in one pass.
  // kInterchange leaves out the free text (description), which the figures
  // do not need and which may be long; kDates reads only what delays and
  // counts need (see Store::ForEachCaseDatesInPeriod) and no financial lines.
  Status Stream(const Query& where, std::string_view order,
                const std::function<void(Case&)>& fn, Columns mode) {
    try {
      std::unordered_map<int64_t, std::vector<FinancialLine>> lines;
      if (mode != Columns::kDates) {
        std::string from = where.sql();
        // " FROM cases c WHERE ..." -> join financial lines to the same filter.
        Query fq = WithSql(where, "SELECT f.case_id, f.kind, f.amount_cents FROM financial_lines f "
                                  "JOIN cases c ON c.id = f.case_id WHERE " +
                                      from.substr(from.find("WHERE ") + 6) +
                                      " ORDER BY f.case_id, f.position");
        soci::row r;
        soci::statement st = fq.Prepare(sql_, &r);
        st.execute();
        while (st.fetch()) lines[GetInt(r, 0)].push_back({GetString(r, 1), GetInt(r, 2)});
      }
      std::string columns = SelectedColumns(mode);
      Query q = WithSql(where, "SELECT " + columns + where.sql() +
                                   std::string(order));
      soci::row r;
      soci::statement st = q.Prepare(sql_, &r);
      st.execute();
      while (st.fetch()) {
        Case c = ReadCase(r);
        if (c.financial) {
          auto it = lines.find(c.id);
          if (it != lines.end()) *c.financial = std::move(it->second);
        }
        fn(c);
      }
      return {};
    } catch (const std::exception& e) {
      return Fail(DbError(e));
    }
  }

  Status Migrate() {
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

  // A prepared statement kept for reuse, with the storage it is bound to.
  struct CachedStatement {
    std::vector<std::string> params;
    std::vector<indicator> inds;
    soci::row row;
    std::unique_ptr<soci::statement> st;
  };

  // Runs the SELECT `q` through a prepared statement cached by its SQL
  // (parsing and planning dominate the cost of the small reads of a page),
  // calling `fn` for each row until it returns false (callers stop early
  // only on queries of at most a few rows). Returns the number of rows. Throws what SOCI throws (callers convert to Error).
  int64_t Fetch(const Query& q, const std::function<bool(const soci::row&)>& fn) {
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

  // The first row of `q` made by `read`, or nullopt when there is none.
  template <typename Read>
  auto FetchOne(const Query& q, Read read)
      -> std::optional<decltype(read(std::declval<const soci::row&>()))> {
    std::optional<decltype(read(std::declval<const soci::row&>()))> out;
    Fetch(q, [&](const soci::row& r) {
      out = read(r);
      return false;
    });
    return out;
  }

  static constexpr size_t kMaxCachedStatements = 256;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> cache_;

  bool postgres_;
  std::string path_;
  std::recursive_mutex* writer_mu_ = nullptr;  // SQLite only, see InTransaction
  soci::session sql_;
};

}  // namespace

bool Actor::CanSee(std::string_view organisme) const {
  if (all_funds) return true;
  for (const std::string& o : organismes) {
    if (o == organisme) return true;
  }
  return false;
}

Actor User::ToActor() const {
  Actor a;
  a.user = name;
  a.role = role;
  a.all_funds = all_funds;
  a.organismes = organismes;
  return a;
}

const char* RoleCode(Role r) {
  switch (r) {
    case Role::kMediator:
      return "mediator";
    case Role::kManager:
      return "manager";
    case Role::kAdministrator:
      return "administrator";
    case Role::kStatisticsReader:
      return "statistics";
  }
  return "statistics";
}

std::optional<Role> RoleFromCode(std::string_view code) {
  for (Role r : {Role::kMediator, Role::kManager, Role::kAdministrator, Role::kStatisticsReader}) {
    if (code == RoleCode(r)) return r;
  }
  return std::nullopt;
}

namespace {
Error NotSupported(const char* what) {
  return Error::Internal(std::string(what) + ": not supported by this store");
}
}  // namespace

Result<std::unordered_map<int64_t, std::string>> Store::BeneficiaryNames(
    const Actor&, std::span<const int64_t>) {
  return std::unordered_map<int64_t, std::string>{};  // stores without people (test fakes)
}

Result<std::string> Store::SubmitCase(const Actor&, const Submission&) {
  return Fail(NotSupported("SubmitCase"));
}
Result<std::vector<Case>> Store::SearchCases(const Actor&, std::string_view, int, int64_t*) {
  return Fail(NotSupported("SearchCases"));
}
Status Store::CreateWebSession(const WebSession&) { return Fail(NotSupported("CreateWebSession")); }
Result<WebSession> Store::GetWebSession(std::string_view, std::string_view) {
  return Fail(NotSupported("GetWebSession"));
}
Status Store::DeleteWebSession(std::string_view) { return Fail(NotSupported("DeleteWebSession")); }
Result<std::vector<OutboxMessage>> Store::PendingOutbox(int) {
  return Fail(NotSupported("PendingOutbox"));
}
Result<std::vector<LabelOverride>> Store::LabelOverrides() {
  return Fail(NotSupported("LabelOverrides"));
}
Status Store::SetLabelOverride(const Actor&, const LabelOverride&) {
  return Fail(NotSupported("SetLabelOverride"));
}
Result<std::vector<User>> Store::ListUsers() { return Fail(NotSupported("ListUsers")); }
Result<int64_t> Store::AddInterestLink(const Actor&, const DeclaredInterest&) {
  return Fail(NotSupported("AddInterestLink"));
}
Result<std::vector<DeclaredInterest>> Store::InterestLinks(std::string_view) {
  return Fail(NotSupported("InterestLinks"));
}
Status Store::RemoveInterestLink(const Actor&, int64_t) {
  return Fail(NotSupported("RemoveInterestLink"));
}
Status Store::RecordRecusal(const Actor&, std::string_view, std::string_view, std::string_view) {
  return Fail(NotSupported("RecordRecusal"));
}
Status Store::UpdateCaseRecusing(const Actor&, const Case&, const CaseEvent&, std::string_view,
                                 std::string_view) {
  return Fail(NotSupported("UpdateCaseRecusing"));
}
Result<std::vector<Recusal>> Store::Recusals(const Actor&, std::string_view) {
  return Fail(NotSupported("Recusals"));
}

Status Store::RecordRecusal(const Actor&, std::string_view, const Recusal&) {
  return Fail(NotSupported("RecordRecusal"));
}
Status Store::UpdateCaseRecusing(const Actor&, const Case&, const CaseEvent&, const Recusal&) {
  return Fail(NotSupported("UpdateCaseRecusing"));
}
Status Store::LiftRecusal(const Actor&, std::string_view, int64_t, std::string_view) {
  return Fail(NotSupported("LiftRecusal"));
}
Status Store::GrantCaseAccess(const Actor&, std::string_view, std::string_view, std::string_view) {
  return Fail(NotSupported("GrantCaseAccess"));
}
Status Store::RevokeCaseAccess(const Actor&, std::string_view, std::string_view) {
  return Fail(NotSupported("RevokeCaseAccess"));
}
Result<std::vector<std::string>> Store::CaseAccessUsers(const Actor&, std::string_view) {
  return Fail(NotSupported("CaseAccessUsers"));
}
Status Store::AppendEvent(const Actor&, std::string_view, const CaseEvent&) {
  return Fail(NotSupported("AppendEvent"));
}
Status Store::RemoveNote(const Actor&, std::string_view, int64_t) {
  return Fail(NotSupported("RemoveNote"));
}
Status Store::RemovePerson(const Actor&, std::string_view, int64_t) {
  return Fail(NotSupported("RemovePerson"));
}
Status Store::RemoveDocument(const Actor&, std::string_view, int64_t) {
  return Fail(NotSupported("RemoveDocument"));
}
Status Store::PublishYear(const Actor&, std::string_view, int) {
  return Fail(NotSupported("PublishYear"));
}
Result<std::vector<int>> Store::PublishedYears(std::string_view) {
  return Fail(NotSupported("PublishedYears"));
}
Result<std::vector<PostPublicationChange>> Store::ChangesAfterPublication(const Actor&,
                                                                          std::string_view, int) {
  return Fail(NotSupported("ChangesAfterPublication"));
}
const char* InterestSubjectCode(InterestLink::Subject s) {
  switch (s) {
    case InterestLink::Subject::kPerson:
      return "person";
    case InterestLink::Subject::kOrganisation:
      return "organisation";
    case InterestLink::Subject::kAllocataireNumber:
      return "allocataire";
  }
  return "person";
}

std::optional<InterestLink::Subject> InterestSubjectFromCode(std::string_view code) {
  for (auto s : {InterestLink::Subject::kPerson, InterestLink::Subject::kOrganisation,
                 InterestLink::Subject::kAllocataireNumber}) {
    if (code == InterestSubjectCode(s)) return s;
  }
  return std::nullopt;
}

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
  std::call_once(sqlite_config, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto s = std::make_unique<SqlStore>(true, "");
    if (auto st = s->Connect(url); !st) return Fail(st.error());
    return std::unique_ptr<Store>(std::move(s));
  }
  std::string path(url.starts_with("sqlite:") ? url.substr(7) : url);
  if (path.empty()) return Fail(Error::Invalid("empty database path", "db"));
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto s = std::make_unique<SqlStore>(false, path);
  if (auto st = s->Connect(path); !st) return Fail(st.error());
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace amiable
