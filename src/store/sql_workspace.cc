// SqlStore: the outbox and the label overrides (migration 2).
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
    soci::rowset<soci::row> rs = (sql_.prepare << "SELECT nomenclature, code, label FROM "
                                                  "nomenclature_labels ORDER BY nomenclature, code");
    for (const soci::row& r : rs) out.push_back({GetString(r, 0), GetString(r, 1), GetString(r, 2)});
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

}  // namespace amiable::sql
