// SqlStore: full-text search (FTS5 on SQLite, tsvector on PostgreSQL).
#include "store/sql_store_internal.h"

namespace amiable::sql {

Result<std::vector<Case>> SqlStore::SearchCases(const Actor& actor, std::string_view text,
                                                int limit, int64_t* total) {
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
    where.RestrictCases(actor, {}, HasGrants(actor));
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

}  // namespace amiable::sql
