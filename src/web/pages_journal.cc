// The audit trail for the data-protection officer (/journal): rows filtered
// by local days, account and case reference, newest first, 50 a page, and
// their export as JSON Lines (/journal/export). For the dpo and
// administrators only; the dpo sees no case content anywhere else (its case
// queries are empty), here only references and account names. Both reads are
// audited ("audit.read", "audit.export").
#include <httplib.h>

#include "service/audit_trail.h"
#include "store/audit_store.h"
#include "web/download.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

constexpr int kJournalPageSize = 50;

bool MayRead(const Signed& who) {
  return who.user.role == Role::kDpo || who.user.role == Role::kAdministrator;
}

struct JournalQuery {
  std::string from, to, user, case_ref;
  int page = 1;
};

JournalQuery ParseJournalQuery(const Fields& f) {
  JournalQuery q;
  q.from = Field(f, "du");
  q.to = Field(f, "au");
  q.user = Field(f, "compte");
  q.case_ref = Field(f, "dossier");
  const std::string p = Field(f, "page");
  if (!p.empty() && p.size() < 7 && p.find_first_not_of("0123456789") == std::string::npos) {
    q.page = std::max(1, std::stoi(p));
  }
  return q;
}

std::string QueryString(const JournalQuery& q, int page) {
  std::string s;
  auto add = [&](const char* k, const std::string& v) {
    if (v.empty()) return;
    if (!s.empty()) s += '&';
    s += k;
    s += '=';
    s += httplib::detail::encode_query_param(v);
  };
  add("du", q.from);
  add("au", q.to);
  add("compte", q.user);
  add("dossier", q.case_ref);
  if (page > 1) add("page", std::to_string(page));
  return s;
}

// The store's query of `q`, local days of the trail's zone; invalid dates
// are ignored (and shown back as typed).
AuditQuery StoreQuery(Store& store, const JournalQuery& q, Zone* zone_out) {
  AuditQuery a;
  a.user = q.user;
  a.case_ref = q.case_ref;
  const Zone zone = service::TrailZone(store);
  service::SetLocalDays(a, Date::Parse(q.from), Date::Parse(q.to), zone);
  a.limit = kJournalPageSize;
  a.offset = int64_t{q.page - 1} * kJournalPageSize;
  if (zone_out) *zone_out = zone;
  return a;
}

void Journal(Env& env, Signed& who, Store& store, const httplib::Request& req,
             httplib::Response& res) {
  if (!MayRead(who)) return SendErrorPage(env, res, 403, msg::Find("audit.forbidden"), &who);
  AuditTrail* trail = TrailOf(store);
  if (!trail) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  const JournalQuery q = ParseJournalQuery(FormFields(req));
  Zone zone = Zone::kMetropole;
  int64_t total = 0;
  auto rows = trail->ListAudit(who.actor, StoreQuery(store, q, &zone), &total);
  if (!rows) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  Data d;
  d.set("title", msg::Find("page.journal_title"));
  d.set("du", q.from);
  d.set("au", q.to);
  d.set("compte", q.user);
  d.set("dossier", q.case_ref);
  List list;
  for (const AuditEntry& e : *rows) {
    Data r;
    r.set("seq", std::to_string(e.seq));
    r.set("at", DateTimeFr(e.at, zone));
    r.set("actor", e.actor);
    r.set("action", e.action);
    r.set("object", e.object);
    list.push_back(r);
  }
  d.set("rows", list);
  d.set("none", rows->empty());
  d.set("empty_text", msg::Find("page.journal_empty"));
  d.set("count", std::to_string(total));
  const int pages = static_cast<int>((total + kJournalPageSize - 1) / kJournalPageSize);
  d.set("page", std::to_string(q.page));
  d.set("pages", std::to_string(std::max(1, pages)));
  if (q.page > 1) d.set("prev_url", "/journal?" + QueryString(q, q.page - 1));
  if (q.page < pages) d.set("next_url", "/journal?" + QueryString(q, q.page + 1));
  d.set("export_url", "/journal/export?" + QueryString(q, 1));
  store.Audit(who.actor, "audit.read", QueryString(q, q.page));
  SendPage(env, res, "journal", d, &who);
}

void JournalExport(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  if (!MayRead(who)) return SendErrorPage(env, res, 403, msg::Find("audit.forbidden"), &who);
  AuditTrail* trail = TrailOf(store);
  if (!trail) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  const JournalQuery q = ParseJournalQuery(FormFields(req));
  std::string out;
  Status s = trail->ScanAudit(who.actor, StoreQuery(store, q, nullptr), [&](const AuditEntry& e) {
    out += service::AuditJsonLine(e);
    out += '\n';
    return out.size() < (size_t{256} << 20);
  });
  if (!s) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  store.Audit(who.actor, "audit.export", QueryString(q, 1));
  SendDownload(res, "journal.jsonl", "application/x-ndjson", std::move(out));
}

}  // namespace

void RegisterJournalRoutes(httplib::Server& server, Env& env) {
  server.Get("/journal", Guarded(env, Need::kAny, Journal));
  server.Get("/journal/export", Guarded(env, Need::kAny, JournalExport));
}

}  // namespace amiable::web::pages
