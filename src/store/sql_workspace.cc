// SqlStore: the outbox and the label overrides (migration 2), the published
// years (migration 5).
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

Result<std::vector<OutboxMessage>> SqlStore::PendingOutbox(int limit) {
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

Result<std::vector<LabelOverride>> SqlStore::LabelOverrides() {
  try {
    std::vector<LabelOverride> out;
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT nomenclature, code, label FROM "
                         "nomenclature_labels ORDER BY nomenclature, code");
    for (const soci::row& r : rs)
      out.push_back({GetString(r, 0), GetString(r, 1), GetString(r, 2)});
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SetLabelOverride(const Actor& actor, const LabelOverride& o) {
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

// ---- Published years (migration 5) ----

Status SqlStore::PublishYear(const Actor& actor, std::string_view organisme, int year) {
  std::string org(organisme);
  if (!actor.CanSee(org))
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {org}));
  if (year < 1900 || year > 2199) {
    return Fail(msg::Invalid("publish.year", "year", {std::to_string(year)}));
  }
  return InTransaction([&]() -> Status {
    if (auto st = CheckOrganismeExists(org); !st) return st;
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM published_years WHERE organisme = :o AND year = :y",
        soci::use(org), soci::use(year), soci::into(n);
    if (n) {
      return Fail(msg::Conflict("publish.already", "year", {std::to_string(year), org}));
    }
    std::string now = NowTimestamp();
    sql_ << "INSERT INTO published_years (organisme, year, published_at, by_user) "
            "VALUES (:o, :y, :t, :b)",
        soci::use(org), soci::use(year), soci::use(now), soci::use(actor.user);
    return AuditNoTx(actor, "year.publish", org + " " + std::to_string(year));
  });
}

Result<std::vector<int>> SqlStore::PublishedYears(std::string_view organisme) {
  try {
    std::vector<int> out;
    Query q;
    q << "SELECT year FROM published_years WHERE organisme = ";
    q.Bind(std::string(organisme)) << " ORDER BY year";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(static_cast<int>(GetInt(r, 0)));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<PostPublicationChange>> SqlStore::ChangesAfterPublication(
    const Actor& actor, std::string_view organisme, int year) {
  try {
    std::vector<PostPublicationChange> out;
    Query q;
    q << "SELECT e.id, e.at, e.actor, e.kind, e.detail, e.changes, e.published_year, "
         "c.reference FROM case_events e JOIN cases c ON c.id = e.case_id "
         "WHERE e.published_year = ";
    q.Bind(std::to_string(year)) << " AND c.organisme = ";
    q.Bind(std::string(organisme));
    q.RestrictCases(actor, {}, HasGrants(actor));
    q << " ORDER BY e.at DESC, e.id DESC";
    Fetch(q, [&](const soci::row& r) {
      out.push_back({GetString(r, 7), ReadEvent(r)});
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace amiable::sql
