// SqlStore: funds, cases (create, read, list, update, history) and imports.
#include <unordered_set>

#include "store/migrations.h"
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {

// What inserting the case `reference` threw: a conflict is its reference's.
Error CaseInsertError(const std::exception& e, const std::string& reference) {
  Error err = DbError(e);
  if (err.code == Error::Code::kConflict) {
    err.message = "duplicate reference '" + reference + "'";
    err.field = "reference";
  }
  return err;
}

}  // namespace

// ---- Funds ----
Status SqlStore::UpsertOrganisme(const Actor& actor, const Organisme& o) {
  if (!ZoneFromCode(o.zone)) return Fail(msg::Invalid("store.zone_unknown", "zone", {o.zone}));
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

Result<std::vector<Organisme>> SqlStore::ListOrganismes() {
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

Result<Organisme> SqlStore::GetOrganisme(std::string_view code) {
  try {
    Query q;
    q << "SELECT code, name, zone, region, whit_monday_worked FROM organismes WHERE code = ";
    q.Bind(std::string(code));
    std::optional<Organisme> o = FetchOne(q, &ReadOrganisme);
    if (!o) return Fail(msg::NotFound("store.organisme_unknown", {code}));
    return std::move(*o);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

// ---- Cases ----
Result<int64_t> SqlStore::CreateCase(const Actor& actor, const Case& c, const CaseEvent& event) {
  if (!actor.CanSee(c.organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {c.organisme}));
  }
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    if (auto st = CheckOrganismeExists(c.organisme); !st) return st;
    if (auto st = InsertCaseNoTx(c); !st) return st;
    id = CaseId(c.reference);
    if (auto st = InsertFinancialNoTx(id, c); !st) return st;
    if (auto st = InsertInternalDatesNoTx(id, c); !st) return st;
    if (auto st = InsertEventNoTx(id, event); !st) return st;
    return AuditNoTx(actor, "case.create", c.reference);
  });
  if (!s) return Fail(s.error());
  return id;
}

Result<Case> SqlStore::GetCase(const Actor& actor, std::string_view reference) {
  try {
    Query q;
    q << "SELECT " << kCaseColumns << " FROM cases c WHERE c.reference = ";
    q.Bind(std::string(reference)).RestrictCases(actor, {}, HasGrants(actor));
    std::optional<Case> c = FetchOne(q, &ReadCase);
    if (!c) return Fail(msg::NotFound("case.not_found"));
    LoadFinancial(&*c);
    return std::move(*c);
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<Case>> SqlStore::ListCases(const Actor& actor, const CaseFilter& f,
                                              int64_t* total) {
  try {
    Query where;
    where << " FROM cases c WHERE 1=1";
    where.RestrictCases(actor, f.organismes, HasGrants(actor));
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
    if (f.received_from) {
      where << " AND c.received_on >= ";
      where.Bind(f.received_from->ToString());
    }
    if (f.received_to) {
      where << " AND c.received_on <= ";
      where.Bind(f.received_to->ToString());
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

Status SqlStore::UpdateCase(const Actor& actor, const Case& c, const CaseEvent& event) {
  return InTransaction([&]() -> Status { return UpdateCaseNoTx(actor, c, event, nullptr); });
}

// The body of UpdateCase, inside a transaction; *id_out receives the
// case's id when not null.
Status SqlStore::UpdateCaseNoTx(const Actor& actor, const Case& c, const CaseEvent& event,
                                int64_t* id_out) {
  {
    Query q;
    q << "SELECT c.id, c.version, c.organisme FROM cases c WHERE c.reference = ";
    q.Bind(c.reference).RestrictCases(actor, {}, HasGrants(actor));
    soci::row r;
    soci::statement st = q.Prepare(sql_, &r);
    if (!st.execute(true)) return Fail(msg::NotFound("case.not_found"));
    const int64_t id = GetInt(r, 0);
    const int64_t version = GetInt(r, 1);
    if (version != c.version) {
      return Fail(msg::Conflict("case.stale_version", "version",
                                {std::to_string(version), std::to_string(c.version)}));
    }
    // A case granted to the actor keeps its fund; moving a case to another
    // fund needs to see that fund.
    if (c.organisme != GetString(r, 2) && !actor.CanSee(c.organisme)) {
      return Fail(msg::Invalid("store.organisme_unknown", "organisme", {c.organisme}));
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

Result<std::vector<CaseEvent>> SqlStore::History(const Actor& actor, std::string_view reference) {
  return CaseDetails<CaseEvent>(
      actor, reference,
      "SELECT id, at, actor, kind, detail, changes, published_year FROM case_events "
      "WHERE case_id = ",
      &ReadEvent);
}

Status SqlStore::AppendEvent(const Actor& actor, std::string_view reference,
                             const CaseEvent& event) {
  return InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    CaseEvent ev = event;
    if (ev.actor.empty()) ev.actor = actor.user;
    if (ev.kind.empty()) ev.kind = "update";
    return InsertEventNoTx(*id, ev);
  });
}

bool SqlStore::HasGrants(const Actor& actor) {
  if ((actor.all_funds && actor.role != Role::kPartner) || SeesNoCases(actor.role)) return false;
  try {
    Query q;
    q << "SELECT 1 FROM case_access WHERE user_name = ";
    q.Bind(actor.user) << " AND revoked_at IS NULL";
    return FetchOne(q, [](const soci::row&) { return true; }).has_value();
  } catch (const std::exception&) {
    return true;  // the query with grants is right in every case
  }
}

Result<ImportCounts> SqlStore::ImportCases(const Actor& actor, std::span<const Case> cases) {
  ImportCounts counts;
  if (actor.role != Role::kManager && actor.role != Role::kAdministrator) {
    return Fail(msg::Forbidden("import.role"));
  }
  Status s = InTransaction([&]() -> Status {
    std::map<std::string, bool> orgs;
    for (const Case& c : cases) {
      if (!actor.CanSee(c.organisme)) {
        return Fail(msg::Invalid("store.organisme_unknown", "organisme", {c.organisme}));
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
      for (std::string_view stmt :
           postgres_ ? store::PostgresqlSearchTriggerOff() : store::SqliteSearchTriggerOff()) {
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
    std::string ir_sent, ir_answered;
    indicator ir_answered_ind = soci::i_null;
    soci::statement ir =
        (sql_.prepare << "INSERT INTO internal_requests (case_id, sent_on, answered_on, "
                         "created_by, created_at) VALUES ((SELECT id FROM cases WHERE "
                         "reference = :r), :s, :a, 'import', :t)",
         soci::use(fin_ref), soci::use(ir_sent), soci::use(ir_answered, ir_answered_ind),
         soci::use(created));
    for (const Case& c : cases) {
      row.Set(c);
      try {
        ins.execute(true);
      } catch (const std::exception& e) {
        return Fail(CaseInsertError(e, c.reference));
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
      if (c.internal_requests) {
        fin_ref = c.reference;
        for (const InternalRequestDates& d : *c.internal_requests) {
          ir_sent = d.sent_on.ToString();
          ir_answered = d.answered_on ? d.answered_on->ToString() : "";
          ir_answered_ind = d.answered_on ? soci::i_ok : soci::i_null;
          ir.execute(true);
        }
      }
    }
    if (bulk_index) {
      for (std::string_view stmt :
           postgres_ ? store::PostgresqlSearchBulkIndex() : store::SqliteSearchBulkIndex()) {
        sql_ << std::string(stmt), soci::use(max_id_before);
      }
      for (std::string_view stmt :
           postgres_ ? store::PostgresqlSearchTriggerOn() : store::SqliteSearchTriggerOn()) {
        sql_ << std::string(stmt);
      }
    }
    return AuditNoTx(actor, "cases.import", std::to_string(counts.cases) + " cases");
  });
  if (!s) return Fail(s.error());
  return counts;
}

Result<std::vector<std::string>> SqlStore::ExistingReferences(std::span<const std::string> refs) {
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

CaseEvent SqlStore::ReadEvent(const soci::row& r) {
  CaseEvent e{GetInt(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3), GetString(r, 4)};
  e.changes = ChangesFromJson(GetString(r, 5));
  e.published_year = static_cast<int>(GetInt(r, 6));
  return e;
}

// Placeholder n (1-based) of the case columns, cast where PostgreSQL
// cannot infer an integer from a text parameter.
std::string SqlStore::CasePlaceholder(int n) const {
  std::string p = ":a" + std::to_string(n);
  if (!postgres_) return p;
  if (n == 19) return "CAST(" + p + " AS BIGINT)";
  if (n == 22 || n == 23) return "CAST(" + p + " AS INTEGER)";
  return p;
}

std::string SqlStore::InsertCaseSql() const {
  std::string sql =
      "INSERT INTO cases (" + std::string(kWriteColumns) + ", created_at, updated_at) VALUES (";
  for (int n = 1; n <= CaseRow::kColumns + 2; ++n) {
    if (n > 1) sql += ", ";
    sql += CasePlaceholder(n);
  }
  return sql + ")";
}

std::string SqlStore::UpdateCaseSql() const {
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

Organisme SqlStore::ReadOrganisme(const soci::row& r) {
  Organisme o;
  o.code = GetString(r, 0);
  o.name = GetString(r, 1);
  o.zone = GetString(r, 2);
  o.region = GetString(r, 3);
  o.whit_monday_worked = GetInt(r, 4) != 0;
  return o;
}

std::map<std::string, WorkCalendar> SqlStore::Calendars() {
  std::map<std::string, WorkCalendar> out;
  auto orgs = ListOrganismes();
  if (!orgs) return out;
  for (const Organisme& o : *orgs) {
    out[o.code] = {ZoneFromCode(o.zone).value_or(Zone::kMetropole), o.whit_monday_worked};
  }
  return out;
}

Status SqlStore::CheckOrganismeExists(const std::string& code) {
  int n = 0;
  sql_ << "SELECT COUNT(*) FROM organismes WHERE code = :c", soci::use(code), soci::into(n);
  if (!n) return Fail(msg::Invalid("store.organisme_unknown", "organisme", {code}));
  return {};
}

Status SqlStore::InsertCaseNoTx(const Case& c) {
  CaseRow row;
  row.Set(c);
  std::string now = NowTimestamp();
  try {
    soci::statement st = PrepareCaseInsert(row, now);
    st.execute(true);
  } catch (const std::exception& e) {
    return Fail(CaseInsertError(e, c.reference));
  }
  return {};
}

// A prepared INSERT bound to `row` and to `created` (created_at and
// updated_at); both must outlive the statement.
soci::statement SqlStore::PrepareCaseInsert(CaseRow& row, std::string& created) {
  soci::statement st(sql_);
  row.Bind(st);
  st.exchange(soci::use(created));
  st.exchange(soci::use(created));
  st.alloc();
  st.prepare(InsertCaseSql());
  st.define_and_bind();
  return st;
}

int64_t SqlStore::CaseId(const std::string& reference) {
  long long id = 0;
  sql_ << "SELECT id FROM cases WHERE reference = :r", soci::use(reference), soci::into(id);
  return id;
}

Result<int64_t> SqlStore::VisibleCaseId(const Actor& actor, std::string_view reference) {
  try {
    Query q;
    q << "SELECT c.id FROM cases c WHERE c.reference = ";
    q.Bind(std::string(reference)).RestrictCases(actor, {}, HasGrants(actor));
    int64_t id = 0;
    if (!Fetch(q, [&](const soci::row& r) {
          id = GetInt(r, 0);
          return false;
        })) {
      return Fail(msg::NotFound("case.not_found"));
    }
    return id;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::InsertFinancialNoTx(int64_t id, const Case& c) {
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

Status SqlStore::InsertEventNoTx(int64_t id, const CaseEvent& ev) {
  long long lid = id;
  std::string at = ev.at.empty() ? NowTimestamp() : ev.at;
  std::string actor = ev.actor.empty() ? "system" : ev.actor;
  std::string kind = ev.kind.empty() ? "create" : ev.kind;
  std::string changes = ChangesToJson(ev.changes);
  int year = ev.published_year;
  sql_ << "INSERT INTO case_events (case_id, at, actor, kind, detail, changes, published_year) "
          "VALUES (:c, :t, :a, :k, :d, :g, :y)",
      soci::use(lid), soci::use(at), soci::use(actor), soci::use(kind), soci::use(ev.detail),
      soci::use(changes), soci::use(year);
  return {};
}

void SqlStore::LoadFinancial(Case* c) {
  if (!c->financial) return;
  Query q;
  q << "SELECT kind, amount_cents FROM financial_lines WHERE case_id = ";
  q.Bind(std::to_string(c->id)) << " ORDER BY position";
  Fetch(q, [&](const soci::row& r) {
    c->financial->push_back({GetString(r, 0), GetInt(r, 1)});
    return true;
  });
}

}  // namespace amiable::sql
