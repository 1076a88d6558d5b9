// SqlStore: interest links and recusals (migrations 4, 5), per-case access
// grants (migration 5).
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {

// kInvalid unless the 3 i assessment uses known codes (empty = not given).
Status CheckRecusal(const Recusal& r) {
  if (r.user.empty()) return Fail(msg::Invalid("store.recused_user_required", "user"));
  for (const std::string& i : r.interference) {
    if (i != "materielle" && i != "geographique" && i != "temporelle") {
      return Fail(msg::Invalid("recuse.interference_unknown", "interference", {i}));
    }
  }
  if (!r.intensity.empty() && r.intensity != "forte" && r.intensity != "moderee") {
    return Fail(msg::Invalid("recuse.intensity_unknown", "intensity", {r.intensity}));
  }
  return {};
}

}  // namespace

Status SqlStore::UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                                    const Recusal& r) {
  if (auto st = CheckRecusal(r); !st) return st;
  return InTransaction([&]() -> Status {
    int64_t id = 0;
    if (auto s = UpdateCaseNoTx(actor, c, event, &id); !s) return s;
    return InsertRecusalNoTx(actor, id, c.reference, r);
  });
}

Status SqlStore::InsertRecusalNoTx(const Actor& actor, int64_t case_id, std::string_view reference,
                                   const Recusal& r) {
  long long lid = case_id;
  std::string at = r.at.empty() ? NowTimestamp() : r.at;
  std::string by = r.by_user.empty() ? actor.user : r.by_user;
  std::string interference = JoinCodes(r.interference);
  sql_ << "INSERT INTO case_recusals (case_id, user_name, reason, at, by_user, interest, "
          "interference, intensity) VALUES (:c, :u, :r, :t, :b, :i, :f, :n)",
      soci::use(lid), soci::use(r.user), soci::use(r.reason), soci::use(at), soci::use(by),
      soci::use(r.interest), soci::use(interference), soci::use(r.intensity);
  return AuditNoTx(actor, "case.recusal", std::string(reference) + " " + r.user);
}

Status SqlStore::RecordRecusal(const Actor& actor, std::string_view reference, const Recusal& r) {
  if (auto st = CheckRecusal(r); !st) return st;
  return InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    return InsertRecusalNoTx(actor, *id, reference, r);
  });
}

Status SqlStore::LiftRecusal(const Actor& actor, std::string_view reference, int64_t recusal_id,
                             std::string_view reason) {
  return InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    long long rid = recusal_id, cid = *id;
    int n = 0, lifted = 0;
    indicator ind = soci::i_null;
    std::string lifted_at;
    sql_ << "SELECT COUNT(*) FROM case_recusals WHERE id = :i AND case_id = :c", soci::use(rid),
        soci::use(cid), soci::into(n);
    if (!n) {
      return Fail(msg::NotFound("recuse.not_found", {std::to_string(recusal_id)}));
    }
    sql_ << "SELECT lifted_at FROM case_recusals WHERE id = :i", soci::use(rid),
        soci::into(lifted_at, ind);
    lifted = ind == soci::i_ok;
    if (lifted) return Fail(msg::Conflict("recuse.already_lifted"));
    std::string now = NowTimestamp(), why(reason);
    sql_ << "UPDATE case_recusals SET lifted_at = :t, lifted_by = :b, lift_reason = :r "
            "WHERE id = :i",
        soci::use(now), soci::use(actor.user), soci::use(why), soci::use(rid);
    return AuditNoTx(actor, "case.recusal.lift",
                     std::string(reference) + " " + std::to_string(recusal_id));
  });
}

Result<std::vector<Recusal>> SqlStore::Recusals(const Actor& actor, std::string_view reference) {
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  try {
    std::vector<Recusal> out;
    Query q;
    q << "SELECT user_name, reason, at, by_user, id, interest, interference, intensity, "
         "lifted_at, lifted_by, lift_reason FROM case_recusals WHERE case_id = ";
    q.Bind(std::to_string(*id)) << " ORDER BY id";
    Fetch(q, [&](const soci::row& r) {
      Recusal x{std::string(reference), GetString(r, 0), GetString(r, 1), GetString(r, 2),
                GetString(r, 3)};
      x.id = GetInt(r, 4);
      x.interest = GetString(r, 5);
      x.interference = SplitCodes(GetString(r, 6));
      x.intensity = GetString(r, 7);
      x.lifted_at = GetString(r, 8);
      x.lifted_by = GetString(r, 9);
      x.lift_reason = GetString(r, 10);
      out.push_back(std::move(x));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

// ---- Per-case access grants (migration 5) ----

Status SqlStore::GrantCaseAccess(const Actor& actor, std::string_view reference,
                                 std::string_view user, std::string_view reason) {
  return InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    std::string u(user), why(reason);
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM users WHERE name = :n", soci::use(u), soci::into(n);
    if (!n) return Fail(msg::Invalid("user.unknown", "user", {u}));
    long long cid = *id;
    sql_ << "SELECT COUNT(*) FROM case_access WHERE case_id = :c AND user_name = :u AND "
            "revoked_at IS NULL",
        soci::use(cid), soci::use(u), soci::into(n);
    if (n) return Status{};  // already granted
    std::string now = NowTimestamp();
    sql_ << "INSERT INTO case_access (case_id, user_name, granted_by, reason, at) "
            "VALUES (:c, :u, :b, :r, :t)",
        soci::use(cid), soci::use(u), soci::use(actor.user), soci::use(why), soci::use(now);
    return AuditNoTx(actor, "case.access.grant", std::string(reference) + " " + u);
  });
}

Status SqlStore::RevokeCaseAccess(const Actor& actor, std::string_view reference,
                                  std::string_view user) {
  return InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    std::string u(user);
    long long cid = *id;
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM case_access WHERE case_id = :c AND user_name = :u AND "
            "revoked_at IS NULL",
        soci::use(cid), soci::use(u), soci::into(n);
    if (!n) return Fail(msg::NotFound("store.grant_unknown", {u}));
    std::string now = NowTimestamp();
    sql_ << "UPDATE case_access SET revoked_at = :t WHERE case_id = :c AND user_name = :u AND "
            "revoked_at IS NULL",
        soci::use(now), soci::use(cid), soci::use(u);
    return AuditNoTx(actor, "case.access.revoke", std::string(reference) + " " + u);
  });
}

Result<std::vector<std::string>> SqlStore::CaseAccessUsers(const Actor& actor,
                                                           std::string_view reference) {
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  try {
    std::vector<std::string> out;
    Query q;
    q << "SELECT DISTINCT user_name FROM case_access WHERE revoked_at IS NULL AND case_id = ";
    q.Bind(std::to_string(*id)) << " ORDER BY user_name";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(GetString(r, 0));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

// ---- Interest links ----
Result<int64_t> SqlStore::AddInterestLink(const Actor& actor, const DeclaredInterest& d) {
  if (d.link.value.find_first_not_of(" \t") == std::string::npos) {
    return Fail(msg::Invalid("interest.value_required", "value"));
  }
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM users WHERE name = :n", soci::use(d.user), soci::into(n);
    if (!n) return Fail(msg::Invalid("user.unknown", "user", {d.user}));
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
    if (!n) return Fail(msg::NotFound("interest.not_found"));
    sql_ << "DELETE FROM interest_links WHERE id = :i", soci::use(lid);
    return AuditNoTx(actor, "interest.remove", std::to_string(id));
  });
}

}  // namespace amiable::sql
