// SqlStore: internal requests (G@ci) and the services of each fund
// (migration 11).
#include "core/messages.h"
#include "store/sql_store_internal.h"

namespace amiable::sql {

namespace {

constexpr std::string_view kRequestColumns =
    "i.id, c.reference, c.organisme, i.service_code, i.service_label, i.to_address, i.question, "
    "i.sent_on, i.due_on, i.answered_on, i.outbox_id, i.answer_message, i.created_by, "
    "i.created_at";

InternalRequest RequestFromRow(const soci::row& r) {
  InternalRequest q;
  q.id = GetInt(r, 0);
  q.reference = GetString(r, 1);
  q.organisme = GetString(r, 2);
  q.service_code = GetString(r, 3);
  q.service_label = GetString(r, 4);
  q.to_address = GetString(r, 5);
  q.question = GetString(r, 6);
  q.sent_on = GetOptDate(r, 7).value_or(Date{});
  q.due_on = GetOptDate(r, 8);
  q.answered_on = GetOptDate(r, 9);
  if (r.get_indicator(10) != soci::i_null) q.outbox_id = GetInt(r, 10);
  q.answer_message = GetOptString(r, 11).value_or("");
  q.created_by = GetString(r, 12);
  q.created_at = GetString(r, 13);
  return q;
}

}  // namespace

Result<std::vector<FundService>> SqlStore::FundServices(std::string_view organisme) {
  try {
    std::vector<FundService> out;
    Query q;
    q << "SELECT organisme, code, label, address, active FROM fund_services WHERE organisme = ";
    q.Bind(std::string(organisme)) << " ORDER BY code";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(
          {GetString(r, 0), GetString(r, 1), GetString(r, 2), GetString(r, 3), GetInt(r, 4) != 0});
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::SaveFundService(const Actor& actor, const FundService& s) {
  if (!actor.CanSee(s.organisme)) {
    return Fail(msg::Invalid("store.organisme_unknown", "organisme", {s.organisme}));
  }
  return InTransaction([&]() -> Status {
    if (auto st = CheckOrganismeExists(s.organisme); !st) return st;
    int active = s.active ? 1 : 0;
    int exists = 0;
    sql_ << "SELECT COUNT(*) FROM fund_services WHERE organisme = :o AND code = :c",
        soci::use(s.organisme), soci::use(s.code), soci::into(exists);
    if (exists > 0) {
      sql_ << "UPDATE fund_services SET label = :l, address = :a, active = :x "
              "WHERE organisme = :o AND code = :c",
          soci::use(s.label), soci::use(s.address), soci::use(active), soci::use(s.organisme),
          soci::use(s.code);
    } else {
      sql_ << "INSERT INTO fund_services (organisme, code, label, address, active) "
              "VALUES (:o, :c, :l, :a, :x)",
          soci::use(s.organisme), soci::use(s.code), soci::use(s.label), soci::use(s.address),
          soci::use(active);
    }
    return AuditNoTx(actor, "fund_service.save", s.organisme + "/" + s.code);
  });
}

Result<int64_t> SqlStore::AddInternalRequest(const Actor& actor, std::string_view reference,
                                             const InternalRequest& r, const CaseEvent& event) {
  int64_t new_id = 0;
  Status s = InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    long long cid = *id;
    std::string sent = r.sent_on.ToString();
    std::string due = r.due_on ? r.due_on->ToString() : "";
    indicator due_ind = r.due_on ? soci::i_ok : soci::i_null;
    std::string answered = r.answered_on ? r.answered_on->ToString() : "";
    indicator answered_ind = r.answered_on ? soci::i_ok : soci::i_null;
    long long outbox = r.outbox_id.value_or(0);
    indicator outbox_ind = r.outbox_id ? soci::i_ok : soci::i_null;
    std::string answer = r.answer_message;
    indicator answer_ind = answer.empty() ? soci::i_null : soci::i_ok;
    std::string by = r.created_by.empty() ? actor.user : r.created_by;
    std::string at = r.created_at.empty() ? NowTimestamp() : r.created_at;
    long long rid = 0;
    sql_ << "INSERT INTO internal_requests (case_id, service_code, service_label, to_address, "
            "question, sent_on, due_on, answered_on, outbox_id, answer_message, created_by, "
            "created_at) VALUES (:c, :s, :l, :t, :q, :d, :u, :a, :o, :m, :b, :w) RETURNING id",
        soci::use(cid), soci::use(r.service_code), soci::use(r.service_label),
        soci::use(r.to_address), soci::use(r.question), soci::use(sent), soci::use(due, due_ind),
        soci::use(answered, answered_ind), soci::use(outbox, outbox_ind),
        soci::use(answer, answer_ind), soci::use(by), soci::use(at), soci::into(rid);
    new_id = rid;
    CaseEvent ev = event;
    if (ev.actor.empty()) ev.actor = actor.user;
    if (ev.kind.empty()) ev.kind = "internal_request";
    if (auto st = InsertEventNoTx(*id, ev); !st) return st;
    return AuditNoTx(actor, "internal_request.add", std::string(reference));
  });
  if (!s) return Fail(s.error());
  return new_id;
}

Result<std::vector<InternalRequest>> SqlStore::CaseInternalRequests(const Actor& actor,
                                                                    std::string_view reference) {
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  try {
    std::vector<InternalRequest> out;
    Query q;
    q << "SELECT " << kRequestColumns
      << " FROM internal_requests i JOIN cases c ON c.id = i.case_id WHERE i.case_id = ";
    q.Bind(std::to_string(*id)) << " ORDER BY i.id";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(RequestFromRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::AnswerInternalRequest(const Actor& actor, std::string_view reference, int64_t id,
                                       Date answered_on, std::string_view answer_message,
                                       const CaseEvent& event) {
  return InTransaction([&]() -> Status {
    auto cid = VisibleCaseId(actor, reference);
    if (!cid) return Fail(cid.error());
    long long lcid = *cid;
    long long lid = id;
    std::string answered = answered_on.ToString();
    std::string message(answer_message);
    indicator message_ind = message.empty() ? soci::i_null : soci::i_ok;
    soci::statement up =
        (sql_.prepare << "UPDATE internal_requests SET answered_on = :a, answer_message = :m "
                         "WHERE id = :i AND case_id = :c",
         soci::use(answered), soci::use(message, message_ind), soci::use(lid), soci::use(lcid));
    up.execute(true);
    if (up.get_affected_rows() == 0) {
      return Fail(msg::NotFound("internal_request.not_found", {std::to_string(id)}));
    }
    CaseEvent ev = event;
    if (ev.actor.empty()) ev.actor = actor.user;
    if (ev.kind.empty()) ev.kind = "internal_request_answer";
    if (auto st = InsertEventNoTx(*cid, ev); !st) return st;
    return AuditNoTx(actor, "internal_request.answer", std::string(reference));
  });
}

Result<std::vector<InternalRequest>> SqlStore::PendingInternalRequests(const Actor& actor,
                                                                       int limit) {
  try {
    std::vector<InternalRequest> out;
    Query q;
    q << "SELECT " << kRequestColumns
      << " FROM internal_requests i JOIN cases c ON c.id = i.case_id "
         "WHERE i.answered_on IS NULL";
    q.RestrictCases(actor, {}, HasGrants(actor)) << " ORDER BY i.sent_on, i.id";
    if (limit > 0) q << " LIMIT " << std::to_string(limit);
    Fetch(q, [&](const soci::row& r) {
      out.push_back(RequestFromRow(r));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::optional<std::pair<std::string, int64_t>>> SqlStore::InternalRequestByOutboxMessageId(
    std::string_view message_id) {
  try {
    std::optional<std::pair<std::string, int64_t>> out;
    if (message_id.empty()) return out;
    Query q;
    q << "SELECT c.reference, i.id FROM outbox o JOIN internal_requests i ON i.outbox_id = o.id "
         "JOIN cases c ON c.id = i.case_id WHERE o.message_id = ";
    q.Bind(std::string(message_id)) << " ORDER BY i.id";
    Fetch(q, [&](const soci::row& r) {
      out.emplace(GetString(r, 0), GetInt(r, 1));
      return false;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Status SqlStore::InsertInternalDatesNoTx(int64_t id, const Case& c) {
  if (!c.internal_requests) return {};
  long long lid = id;
  const std::string at = NowTimestamp();
  for (const InternalRequestDates& d : *c.internal_requests) {
    std::string sent = d.sent_on.ToString();
    std::string answered = d.answered_on ? d.answered_on->ToString() : "";
    indicator ind = d.answered_on ? soci::i_ok : soci::i_null;
    sql_ << "INSERT INTO internal_requests (case_id, sent_on, answered_on, created_by, "
            "created_at) VALUES (:c, :s, :a, 'import', :t)",
        soci::use(lid), soci::use(sent), soci::use(answered, ind), soci::use(at);
  }
  return {};
}

std::unordered_map<int64_t, std::vector<InternalRequestDates>> SqlStore::InternalDatesOf(
    const Query& where) {
  std::unordered_map<int64_t, std::vector<InternalRequestDates>> out;
  const std::string& from = where.sql();
  Query q = WithSql(where,
                    "SELECT i.case_id, i.sent_on, i.answered_on FROM internal_requests i "
                    "JOIN cases c ON c.id = i.case_id WHERE " +
                        from.substr(from.find("WHERE ") + 6) + " ORDER BY i.case_id, i.id");
  soci::row r;
  soci::statement st = q.Prepare(sql_, &r);
  st.execute();
  while (st.fetch()) {
    InternalRequestDates d;
    d.sent_on = GetOptDate(r, 1).value_or(Date{});
    d.answered_on = GetOptDate(r, 2);
    out[GetInt(r, 0)].push_back(d);
  }
  return out;
}

}  // namespace amiable::sql
