// SqlStore: interest links and recusals (migration 4).
#include "store/sql_store_internal.h"

namespace amiable::sql {

Status SqlStore::UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                          std::string_view recused_user, std::string_view reason) {
  if (recused_user.empty()) return Fail(Error::Invalid("no recused user", "user"));
  return InTransaction([&]() -> Status {
    int64_t id = 0;
    if (auto s = UpdateCaseNoTx(actor, c, event, &id); !s) return s;
    return InsertRecusalNoTx(actor, id, c.reference, recused_user, reason);
  });
}

Status SqlStore::InsertRecusalNoTx(const Actor& actor, int64_t case_id, std::string_view reference,
                         std::string_view user, std::string_view reason) {
  long long lid = case_id;
  std::string u(user), why(reason), at = NowTimestamp();
  sql_ << "INSERT INTO case_recusals (case_id, user_name, reason, at, by_user) "
          "VALUES (:c, :u, :r, :t, :b)",
      soci::use(lid), soci::use(u), soci::use(why), soci::use(at), soci::use(actor.user);
  return AuditNoTx(actor, "case.recusal", std::string(reference) + " " + u);
}

Status SqlStore::RecordRecusal(const Actor& actor, std::string_view reference, std::string_view user,
                     std::string_view reason) {
  if (user.empty()) return Fail(Error::Invalid("no recused user", "user"));
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  return InTransaction(
      [&]() -> Status { return InsertRecusalNoTx(actor, *id, reference, user, reason); });
}

Result<std::vector<Recusal>> SqlStore::Recusals(const Actor& actor, std::string_view reference) {
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
      out.push_back({std::string(reference), GetString(r, 0), GetString(r, 1), GetString(r, 2),
                     GetString(r, 3)});
    }
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

// ---- Interest links ----
Result<int64_t> SqlStore::AddInterestLink(const Actor& actor, const DeclaredInterest& d) {
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

Result<std::vector<DeclaredInterest>> SqlStore::InterestLinks(std::string_view user) {
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

Status SqlStore::RemoveInterestLink(const Actor& actor, int64_t id) {
  return InTransaction([&]() -> Status {
    long long lid = id;
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM interest_links WHERE id = :i", soci::use(lid), soci::into(n);
    if (!n) return Fail(Error::NotFound("no interest link " + std::to_string(id)));
    sql_ << "DELETE FROM interest_links WHERE id = :i", soci::use(lid);
    return AuditNoTx(actor, "interest.remove", std::to_string(id));
  });
}

}  // namespace amiable::sql
