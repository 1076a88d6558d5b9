// SqlStore: the figures of a year cached per fund under the fund's version
// (store/figures_cache_store.h, migration 23).
//
// SQLite: fund_versions holds one counter per fund, bumped by the triggers
// (one writer at a time: the counter is never contended).
// PostgreSQL: the triggers append one fund_changes row per statement and
// fund; a fund's version is "count.max(id)" of its rows. A writer whose id
// is below the maximum but commits late still changes the count, so a
// version seen by a reader never reappears with other data. The reader
// compacts the log under an EXCLUSIVE lock (no writer in flight, taken
// within lock_timeout or not at all): each fund keeps one new row, whose id
// is above every id seen before, so its versions stay new.
#include <algorithm>

#include "store/sql_store_internal.h"

namespace amiable {
FiguresCacheStore* FiguresCacheOf(Store& store) {
  return dynamic_cast<FiguresCacheStore*>(&store);
}
}  // namespace amiable

namespace amiable::sql {

namespace {
// The change log is compacted once it holds this many rows beyond one per fund.
constexpr long long kCompactBeyond = 4096;
// Rows of a fund and year at an older day of computation are dropped.
constexpr int kKeepDaysOfComputation = 62;
}  // namespace

Result<std::map<std::string, std::string>> SqlStore::FundDataVersions() {
  try {
    std::map<std::string, std::string> out;
    if (!postgres_) {
      soci::rowset<soci::row> rows = (sql_.prepare << "SELECT organisme, version FROM fund_versions");
      for (const soci::row& r : rows) out[GetString(r, 0)] = std::to_string(GetInt(r, 1));
      return out;
    }
    long long total = 0;
    const auto read = [&] {
      out.clear();
      total = 0;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT organisme, COUNT(*), MAX(id) FROM fund_changes GROUP BY organisme");
      for (const soci::row& r : rows) {
        const int64_t n = GetInt(r, 1);
        total += n;
        out[GetString(r, 0)] = std::to_string(n) + "." + std::to_string(GetInt(r, 2));
      }
    };
    read();
    if (tx_depth_ == 0 && total > static_cast<long long>(out.size()) + kCompactBeyond) {
      const Status compacted = InTransaction([&]() -> Status {
        sql_ << "SET LOCAL lock_timeout = '200ms'";
        sql_ << "LOCK TABLE fund_changes IN EXCLUSIVE MODE";
        sql_ << "INSERT INTO fund_changes (organisme) SELECT organisme FROM fund_changes "
                "GROUP BY organisme HAVING COUNT(*) > 1";
        sql_ << "DELETE FROM fund_changes f USING (SELECT organisme, MAX(id) AS m FROM "
                "fund_changes GROUP BY organisme) x WHERE f.organisme = x.organisme AND f.id < x.m";
        return {};
      });
      if (compacted) read();  // otherwise (writers in flight) the next reader compacts
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<CachedFundFigures>> SqlStore::CachedFundFiguresOf(
    std::span<const std::string> organismes, int year, std::string_view as_of) {
  try {
    std::vector<CachedFundFigures> out;
    std::string day(as_of);
    const auto take = [&](const soci::row& r) {
      CachedFundFigures c;
      c.organisme = GetString(r, 0);
      c.year = year;
      c.as_of = day;
      c.version = GetString(r, 1);
      c.state_json = GetString(r, 2);
      out.push_back(std::move(c));
    };
    if (organismes.size() == 1) {
      std::string org = organismes[0];
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT organisme, version, state_json FROM figures_cache "
                           "WHERE organisme = :o AND year = :y AND as_of = :a",
           soci::use(org), soci::use(year), soci::use(day));
      for (const soci::row& r : rows) take(r);
      return out;
    }
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT organisme, version, state_json FROM figures_cache "
                         "WHERE year = :y AND as_of = :a",
         soci::use(year), soci::use(day));
    for (const soci::row& r : rows) {
      if (!organismes.empty() &&
          std::find(organismes.begin(), organismes.end(), GetString(r, 0)) == organismes.end()) {
        continue;
      }
      take(r);
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

void SqlStore::PutCachedFundFigures(std::span<const CachedFundFigures> rows) {
  if (rows.empty()) return;
  (void)InTransaction([&]() -> Status {
    for (const CachedFundFigures& c : rows) {
      const auto day = Date::Parse(c.as_of);
      if (!day) continue;
      std::string org = c.organisme, as_of = c.as_of, version = c.version, body = c.state_json;
      std::string cutoff = (*day - kKeepDaysOfComputation).ToString();
      int year = c.year;
      sql_ << "DELETE FROM figures_cache WHERE organisme = :o AND year = :y "
              "AND (version <> :v OR as_of < :c)",
          soci::use(org), soci::use(year), soci::use(version), soci::use(cutoff);
      sql_ << "INSERT INTO figures_cache (organisme, year, as_of, version, state_json) "
              "VALUES (:o, :y, :a, :v, :b) ON CONFLICT (organisme, year, as_of) DO UPDATE "
              "SET version = excluded.version, state_json = excluded.state_json",
          soci::use(org), soci::use(year), soci::use(as_of), soci::use(version), soci::use(body);
    }
    return {};
  });
}

Status SqlStore::ClearFiguresCache() {
  try {
    sql_ << "DELETE FROM figures_cache";
    return {};
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace amiable::sql
