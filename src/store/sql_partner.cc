// Partner access: the exchange of a case with its partners (migration 17),
// the setting that ends a partner's access at closing. Which cases a partner
// sees is in Query::RestrictCases (sql_store_internal.h).
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "store/sql_store_internal.h"

namespace amiable {
namespace {

std::atomic<bool>& EndsAtClose() {
  static std::atomic<bool> ends{[] {
    const char* v = std::getenv("AMIABLE_PARTNER_ACCESS_ENDS_AT_CLOSE");
    return !(v && std::strcmp(v, "0") == 0);
  }()};
  return ends;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

std::vector<int64_t> SplitIds(const std::string& s) {
  std::vector<int64_t> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(std::strtoll(s.substr(i, j - i).c_str(), nullptr, 10));
    i = j + 1;
  }
  return out;
}

}  // namespace

bool PartnerAccessEndsAtClose() { return EndsAtClose().load(std::memory_order_relaxed); }
void SetPartnerAccessEndsAtClose(bool ends) {
  EndsAtClose().store(ends, std::memory_order_relaxed);
}

PartnerStore* AsPartnerStore(Store& store) { return dynamic_cast<PartnerStore*>(&store); }

namespace sql {

Result<int64_t> SqlStore::AddPartnerMessage(const Actor& actor, std::string_view reference,
                                            const PartnerMessage& m) {
  int64_t out = 0;
  Status s = InTransaction([&]() -> Status {
    auto id = VisibleCaseId(actor, reference);
    if (!id) return Fail(id.error());
    long long cid = *id;
    int from = m.from_partner ? 1 : 0;
    std::string at = m.at.empty() ? NowTimestamp() : m.at;
    std::string docs = JoinIds(m.document_ids);
    sql_ << "INSERT INTO partner_messages (case_id, author, from_partner, body, document_ids, at) "
            "VALUES (:c, :a, :f, :b, :d, :t)",
        soci::use(cid), soci::use(actor.user), soci::use(from), soci::use(m.body),
        soci::use(docs), soci::use(at);
    long long mid = 0;
    sql_ << "SELECT MAX(id) FROM partner_messages WHERE case_id = :c", soci::use(cid),
        soci::into(mid);
    out = mid;
    if (auto st = InsertEventNoTx(*id, {0, at, actor.user, "partner_message",
                                        m.from_partner ? "Message d'un partenaire"
                                                       : "Message aux partenaires"});
        !st) {
      return st;
    }
    return AuditNoTx(actor, "case.partner_message", std::string(reference));
  });
  if (!s) return Fail(s.error());
  return out;
}

Result<std::vector<PartnerMessage>> SqlStore::PartnerMessages(const Actor& actor,
                                                              std::string_view reference) {
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  try {
    std::vector<PartnerMessage> out;
    Query q;
    q << "SELECT id, author, from_partner, body, document_ids, at FROM partner_messages "
         "WHERE case_id = ";
    q.Bind(std::to_string(*id)) << " ORDER BY id";
    Fetch(q, [&](const soci::row& r) {
      PartnerMessage m;
      m.id = GetInt(r, 0);
      m.author = GetString(r, 1);
      m.from_partner = GetInt(r, 2) != 0;
      m.body = GetString(r, 3);
      m.document_ids = SplitIds(GetString(r, 4));
      m.at = GetString(r, 5);
      out.push_back(std::move(m));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

Result<std::vector<std::string>> SqlStore::CasePartners(const Actor& actor,
                                                        std::string_view reference) {
  auto id = VisibleCaseId(actor, reference);
  if (!id) return Fail(id.error());
  try {
    std::vector<std::string> out;
    Query q;
    q << "SELECT u.name FROM users u WHERE u.role = 'partner' AND u.disabled = 0 AND ("
         "u.name = (SELECT c.created_by FROM cases c WHERE c.id = ";
    q.Bind(std::to_string(*id)) << ") OR EXISTS (SELECT 1 FROM case_access g WHERE g.case_id = ";
    q.Bind(std::to_string(*id)) << " AND g.user_name = u.name AND g.revoked_at IS NULL)) "
                                   "ORDER BY u.name";
    Fetch(q, [&](const soci::row& r) {
      out.push_back(GetString(r, 0));
      return true;
    });
    return out;
  } catch (const std::exception& e) {
    return Fail(DbError(e));
  }
}

}  // namespace sql
}  // namespace amiable
