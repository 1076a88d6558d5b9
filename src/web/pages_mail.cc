// Received mail in the workspace (issue 8, item 1), thin adapters over
// service/mail_intake.h:
//   GET  /courriel/quarantaine                 the open quarantine entries
//   POST /courriel/quarantaine/{id}/relire     MailIntake::Retry
//   POST /courriel/quarantaine/{id}/dossier    MailIntake::CreateCase
//   POST /courriel/quarantaine/{id}/ecarter    MailIntake::Discard (reason)
//   GET  /courriel/messages/{id}/message.eml   the original message
//   POST /courriel/messages/{id}/vu            MailIntake::MarkSeen (dashboard)
//   POST /enregistrer/courriel                 an .eml dropped on the
//                                              registration page: TakeIn
// Every route goes through Guarded (session, case role, CSRF on POST).
#include <httplib.h>

#include <algorithm>

#include "service/mail_intake.h"
#include "web/download.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

std::string Sender(const ReceivedMessageRow& r) {
  if (r.from_name.empty()) return r.from_address.empty() ? "(expéditeur inconnu)" : r.from_address;
  return r.from_address.empty() ? r.from_name : r.from_name + " <" + r.from_address + ">";
}

std::string SubjectOf(const ReceivedMessageRow& r) {
  return r.subject.empty() ? std::string("(sans objet)") : r.subject;
}

std::string ReasonText(const std::string& key) {
  if (key.empty()) return "";
  const char* t = msg::Find(key);
  return t ? msg::Format(key) : key;
}

service::MailIntake IntakeOf(Env& env, Store& store, const Clock& clock) {
  return service::MailIntake(store, clock, ServerFiles(),
                             [&store](std::string_view organisme, std::string_view address) {
                               auto g = store.GuessEmitter(organisme, address);
                               return g ? *g : std::nullopt;
                             });
}

std::optional<int64_t> IdOf(const std::string& s) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), ::isdigit)) return std::nullopt;
  return std::stoll(s);
}

}  // namespace

std::string ReceivedEmlUrl(int64_t id) {
  return "/courriel/messages/" + std::to_string(id) + "/message.eml";
}

Data QuarantineView(const QuarantineInput& in) {
  Data d;
  d.set("title", "Courriels en quarantaine");
  List rows;
  for (const ReceivedMessageRow& r : in.rows) {
    Data x;
    const std::string id = std::to_string(r.id);
    x.set("id", id);
    x.set("received_at", DateTimeFr(r.received_at));
    auto f = in.fund_names.find(r.organisme);
    x.set("fund", f == in.fund_names.end() ? r.organisme : f->second);
    x.set("from", Sender(r));
    x.set("subject", SubjectOf(r));
    x.set("reason", ReasonText(r.reason));
    x.set("detail", r.reason_detail);
    x.set("has_detail", !r.reason_detail.empty());
    x.set("automatic", r.automatic == "auto_reply"        ? "réponse automatique"
                       : r.automatic == "delivery_report" ? "avis de non-remise"
                       : r.automatic == "loop"            ? "boucle de messages"
                                                          : "");
    x.set("body", r.body_text);
    x.set("has_body", !r.body_text.empty());
    x.set("eml_url", ReceivedEmlUrl(r.id));
    x.set("action_url", "/courriel/quarantaine/" + id);
    const bool refused = in.refused_id == r.id;
    x.set("open", refused);
    x.set("reason_value", refused ? in.refused_reason : std::string());
    x.set("has_err", refused && !in.refused_message.empty());
    x.set("err", refused ? in.refused_message : std::string());
    x.set("err_id", "q-reason-" + id + "-err");
    rows.push_back(x);
  }
  d.set("count", std::to_string(in.rows.size()));
  d.set("rows", rows);
  d.set("empty", rows.empty());
  if (in.refused_id != 0 && !in.refused_message.empty()) {
    d.set("has_error", true);
    d.set("error", in.refused_message);
    d.set("error_input", "q-reason-" + std::to_string(in.refused_id));
  }
  return d;
}

void DashboardMailView(const std::vector<ReceivedMessageRow>& flagged, size_t quarantined,
                       Data& d) {
  List rows;
  for (const ReceivedMessageRow& r : flagged) {
    Data x;
    x.set("reference", r.case_reference);
    x.set("url", CaseUrl(r.case_reference) + "#correspondance");
    x.set("received_at", DateTimeFr(r.received_at));
    x.set("from", Sender(r));
    x.set("subject", SubjectOf(r));
    x.set("seen_url", "/courriel/messages/" + std::to_string(r.id) + "/vu");
    rows.push_back(x);
  }
  d.set("flagged_mail", rows);
  d.set("has_flagged_mail", !rows.empty());
  d.set("flagged_mail_count", std::to_string(rows.size()));
  d.set("quarantine_count", std::to_string(quarantined));
  d.set("has_quarantine", quarantined > 0);
  d.set("quarantine_url", "/courriel/quarantaine");
}

void SendReceivedEml(Env& env, Signed& who, Store& store, int64_t id, httplib::Response& res) {
  auto row = store.GetReceived(who.actor, id);
  if (!row || row->raw_key.empty()) {
    return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
  }
  auto bytes = ServerDocuments().Read(row->raw_key);
  if (!bytes) return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
  store.Audit(who.actor, "mail.download", std::to_string(id));
  SendDownload(res, "message.eml", "message/rfc822", std::move(*bytes));
}

namespace {

void QuarantinePage(Env& env, Signed& who, Store& store, const httplib::Request* flash_from,
                    httplib::Response& res, int status, int64_t refused_id,
                    const std::string& refused_message, const std::string& refused_reason) {
  WebService web(*env.ctx, store);
  service::MailIntake intake = IntakeOf(env, store, web.clock());
  auto rows = intake.Quarantine(service::Caller::OfUser(who.user), 0);
  if (!rows) return SendErrorPage(env, res, ErrorStatus(rows.error()), ErrorText(rows.error()), &who);
  QuarantineInput in;
  in.rows = std::move(*rows);
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) in.fund_names[o.code] = o.code + " — " + o.name;
  }
  in.refused_id = refused_id;
  in.refused_message = refused_message;
  in.refused_reason = refused_reason;
  Data d = QuarantineView(in);
  if (flash_from) SetFlash(*flash_from, d);
  SendPage(env, res, "quarantaine", d, &who, status);
}

void QuarantineGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  QuarantinePage(env, who, store, &req, res, 200, 0, "", "");
}

constexpr const char* kQuarantineUrl = "/courriel/quarantaine";

// Where an outcome leads: its case (case, thread) or the quarantine.
void AfterOutcome(httplib::Response& res, const service::IntakeOutcome& o, const char* case_key,
                  const char* quarantine_key) {
  if ((o.outcome == "case" || o.outcome == "thread") && !o.reference.empty()) {
    return Redirect(res, WithFlash(CaseUrl(o.reference), true, case_key) +
                             (o.outcome == "thread" ? "#correspondance" : ""));
  }
  Redirect(res, WithFlash(kQuarantineUrl, false, quarantine_key));
}

void RetryPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  const int64_t id = IdOf(req.matches[1]).value_or(0);
  WebService web(*env.ctx, store);
  auto o = IntakeOf(env, store, web.clock()).Retry(service::Caller::OfUser(who.user), id);
  if (!o) return Redirect(res, WithFlash(kQuarantineUrl, false, FlashKey(o.error())));
  if (o->outcome == "case" || o->outcome == "thread") {
    return AfterOutcome(res, *o, "page.mail_retried_joined", "");
  }
  Redirect(res, WithFlash(kQuarantineUrl, false, "page.mail_still_quarantined"));
}

void CreateCasePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                    httplib::Response& res) {
  const int64_t id = IdOf(req.matches[1]).value_or(0);
  WebService web(*env.ctx, store);
  auto o = IntakeOf(env, store, web.clock()).CreateCase(service::Caller::OfUser(who.user), id);
  if (!o) return Redirect(res, WithFlash(kQuarantineUrl, false, FlashKey(o.error())));
  AfterOutcome(res, *o, "page.mail_case_created", "page.mail_still_quarantined");
}

void DiscardPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  const int64_t id = IdOf(req.matches[1]).value_or(0);
  const Fields f = FormFields(req);
  const std::string reason = Field(f, "reason");
  WebService web(*env.ctx, store);
  auto s = IntakeOf(env, store, web.clock()).Discard(service::Caller::OfUser(who.user), id, reason);
  if (!s) {
    if (s.error().field == "reason") {
      return QuarantinePage(env, who, store, nullptr, res, ErrorStatus(s.error()), id,
                            ErrorText(s.error()), reason);
    }
    return Redirect(res, WithFlash(kQuarantineUrl, false, FlashKey(s.error())));
  }
  Redirect(res, WithFlash(kQuarantineUrl, true, "page.mail_discarded"));
}

void EmlGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
            httplib::Response& res) {
  SendReceivedEml(env, who, store, IdOf(req.matches[1]).value_or(0), res);
}

void SeenPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
              httplib::Response& res) {
  const int64_t id = IdOf(req.matches[1]).value_or(0);
  WebService web(*env.ctx, store);
  auto s = IntakeOf(env, store, web.clock()).MarkSeen(service::Caller::OfUser(who.user), id);
  if (!s) return Redirect(res, WithFlash("/tableau", false, FlashKey(s.error())));
  Redirect(res, WithFlash("/tableau", true, "page.mail_seen") + "#messages-clos");
}

}  // namespace

namespace {

// An .eml (its bytes; null: none was sent) with the form's fields.
void EmlUpload(Env& env, Signed& who, Store& store, const Fields& f, const std::string* eml,
               httplib::Response& res) {
  const std::string organisme = Field(f, "organisme");
  auto again = [&](const Error& e) { SendRegisterForm(env, who, store, res, &e, &f); };
  if (organisme.empty()) return again(msg::Invalid("page.eml_organisme", "eml_organisme"));
  if (eml == nullptr || eml->empty()) return again(msg::Invalid("page.eml_required", "eml"));
  WebService web(*env.ctx, store);
  // The service checks the role and that the user sees the fund.
  auto o = IntakeOf(env, store, web.clock())
               .TakeIn(service::Caller::OfUser(who.user), organisme, *eml, "upload");
  if (!o) {
    Error e = o.error();
    if (e.field == "organisme") e.field = "eml_organisme";
    return again(e);
  }
  store.Audit(who.actor, "mail.upload", o->message_id + " " + o->outcome + " " + o->reference);
  if (o->outcome == "ignored") {
    if (!o->reference.empty()) {
      return Redirect(res, WithFlash(CaseUrl(o->reference), false, "page.mail_duplicate"));
    }
    return Redirect(res, WithFlash(kQuarantineUrl, false, "page.mail_duplicate"));
  }
  if (o->outcome == "case") {
    return Redirect(res, WithFlash(CaseUrl(o->reference), true, "case.registered"));
  }
  AfterOutcome(res, *o, "page.mail_joined_thread", "page.mail_quarantined");
}

}  // namespace

// An .eml dropped on the registration page: the same path as the mailbox.
void EmlUploadPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const Fields f = FormFields(req);
  auto it = req.files.find("eml");
  const bool sent = it != req.files.end() && !it->second.filename.empty();
  EmlUpload(env, who, store, f, sent ? &it->second.content : nullptr, res);
}

void EmlUploadStreamed(Env& env, Signed& who, Store& store, const httplib::Request& req,
                       httplib::Response& res, StreamedForm& form) {
  const Fields f = StreamedFields(req, form);
  StreamedFile* file = form.First("eml");
  if (file != nullptr && file->file->over_limit()) {
    const Error e = msg::Make(Error::Code::kTooLarge, "page.eml_too_large", "eml", {"25 Mo"});
    return SendRegisterForm(env, who, store, res, &e, &f);
  }
  std::optional<std::string> bytes;
  if (file != nullptr) {
    auto read = file->file->ReadAll();
    if (!read) {
      LogError("eml upload: cannot read the received file back", read.error());
      return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
    }
    bytes = std::move(*read);
  }
  EmlUpload(env, who, store, f, bytes ? &*bytes : nullptr, res);
}

void RegisterMailRoutes(httplib::Server& server, Env& env) {
  server.Get(kQuarantineUrl, Guarded(env, Need::kCases, QuarantineGet));
  server.Post(R"(/courriel/quarantaine/([0-9]{1,18})/relire)", Guarded(env, Need::kCases, RetryPost));
  server.Post(R"(/courriel/quarantaine/([0-9]{1,18})/dossier)",
              Guarded(env, Need::kCases, CreateCasePost));
  server.Post(R"(/courriel/quarantaine/([0-9]{1,18})/ecarter)",
              Guarded(env, Need::kCases, DiscardPost));
  server.Get(R"(/courriel/messages/([0-9]{1,18})/message\.eml)", Guarded(env, Need::kCases, EmlGet));
  server.Post(R"(/courriel/messages/([0-9]{1,18})/vu)", Guarded(env, Need::kCases, SeenPost));
}

}  // namespace amiable::web::pages
