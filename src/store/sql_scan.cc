// SqlStore: the streams of cases that figures and exports read.
#include "store/sql_store_internal.h"

namespace amiable::sql {

Status SqlStore::ForEachCase(const Actor& actor, std::span<const std::string> organismes,
                             std::optional<int> year, const std::function<void(const Case&)>& fn) {
  Query where;
  where << " FROM cases c WHERE 1=1";
  where.RestrictCases(actor, organismes, HasGrants(actor));
  if (year) {
    where << " AND c.received_on BETWEEN ";
    where.Bind(Date::FromCivil(*year, 1, 1).ToString());
    where << " AND ";
    where.Bind(Date::FromCivil(*year, 12, 31).ToString());
  }
  return Stream(where, " ORDER BY c.organisme, c.received_on, c.reference", fn, Columns::kAll);
}

Status SqlStore::ForEachCaseInPeriod(std::span<const std::string> organismes, Date from, Date to,
                                     const std::function<void(Case&)>& fn) {
  return ScanPeriod(organismes, from, to, fn, Columns::kInterchange);
}

Status SqlStore::ForEachCaseDatesInPeriod(std::span<const std::string> organismes, Date from,
                                          Date to, const std::function<void(Case&)>& fn) {
  return ScanPeriod(organismes, from, to, fn, Columns::kDates);
}

Status SqlStore::ScanPeriod(std::span<const std::string> organismes, Date from, Date to,
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
  if (auto st = Stream(closed, "", fn, columns); !st) return st;
  if (columns == Columns::kDates) return {};
  // The figure internal_requests counts the requests sent in the period,
  // whatever the case's dates: the cases with one, not streamed above (a
  // request is sent on or after reception, so received before the period).
  // Driven by the requests' sending date (index internal_requests_sent), so
  // that the cost follows the requests of the period, not the older cases:
  // on SQLite a unary + keeps the planner off the cases' own indexes (it
  // would otherwise scan every case of the funds received before `from`).
  const std::string plus = postgres_ ? "" : "+";
  Query asked;
  asked << " FROM cases c WHERE c.id IN (SELECT q.case_id FROM internal_requests q "
           "WHERE q.sent_on BETWEEN ";
  asked.Bind(from.ToString()) << " AND ";
  asked.Bind(to.ToString()) << ") AND " << plus << "c.received_on < ";
  asked.Bind(from.ToString()) << " AND (c.closed_on IS NULL OR c.closed_on < ";
  asked.Bind(from.ToString()) << " OR c.closed_on > ";
  asked.Bind(to.ToString()) << ")";
  asked.RestrictFunds(plus + "c.organisme", Actor::System(), organismes);
  return Stream(asked, "", fn, columns);
}

// Streams cases matching `where` (a " FROM cases c WHERE ..." clause),
// with their financial lines and internal requests fetched in one pass each.
// kInterchange leaves out the free text (description), which the figures
// do not need and which may be long; kDates reads only what delays and
// counts need (see Store::ForEachCaseDatesInPeriod) and no financial lines.
Status SqlStore::Stream(const Query& where, std::string_view order,
                        const std::function<void(Case&)>& fn, Columns mode) {
  try {
    std::unordered_map<int64_t, std::vector<FinancialLine>> lines;
    std::unordered_map<int64_t, std::vector<InternalRequestDates>> requests;
    if (mode != Columns::kDates) {
      requests = InternalDatesOf(where);
      std::string from = where.sql();
      // " FROM cases c WHERE ..." -> join financial lines to the same filter.
      Query fq =
          WithSql(where,
                  "SELECT f.case_id, f.kind, f.amount_cents FROM financial_lines f "
                  "JOIN cases c ON c.id = f.case_id WHERE " +
                      from.substr(from.find("WHERE ") + 6) + " ORDER BY f.case_id, f.position");
      soci::row r;
      soci::statement st = fq.Prepare(sql_, &r);
      st.execute();
      while (st.fetch()) lines[GetInt(r, 0)].push_back({GetString(r, 1), GetInt(r, 2)});
    }
    std::string columns = SelectedColumns(mode);
    Query q = WithSql(where, "SELECT " + columns + where.sql() + std::string(order));
    soci::row r;
    soci::statement st = q.Prepare(sql_, &r);
    st.execute();
    while (st.fetch()) {
      Case c = ReadCase(r);
      if (c.financial) {
        auto it = lines.find(c.id);
        if (it != lines.end()) *c.financial = std::move(it->second);
      }
      if (auto it = requests.find(c.id); it != requests.end()) {
        c.internal_requests = std::move(it->second);
      }
      fn(c);
    }
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace amiable::sql
