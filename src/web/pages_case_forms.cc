// The forms of the case page: POST /dossiers/{ref}/evenement, /modifier,
// /notes, /finances, /finances/supprimer, /personnes, /personnes/retirer,
// /documents, /deports/{id}/lever, and GET .../documents/{id} (download).
//
// Each handler reads its form and calls exactly one function of the case
// service (service/case_service.h), which checks every rule. It answers:
// - a refusal: the case page rendered with the form shown again, the French
//   message tied to its field (Error::field) and the status of the error's
//   class (not a redirect: the text is the application's, never the URL's);
//   a change to a published year adds the confirmation box to that form;
// - success: back to the case with ?ok=<catalogue key> (PRG).
// No rule lives here: only the reading of the form's values.
#include <httplib.h>

#include <algorithm>

#include "core/lifecycle.h"
#include "service/case_service.h"
#include "web/download.h"
#include "web/auth.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

void BackToCase(httplib::Response& res, const std::string& ref, std::string_view key) {
  Redirect(res, WithFlash(CaseUrl(ref), true, key));
}

// The published year named by a kConflict "confirm_published" refusal.
std::string PublishedYearOf(const Error& e) {
  for (size_t i = 0; i + 4 <= e.message.size(); ++i) {
    if (std::all_of(e.message.begin() + static_cast<long>(i),
                    e.message.begin() + static_cast<long>(i) + 4, ::isdigit)) {
      return e.message.substr(i, 4);
    }
  }
  return "";
}

// A refusal of the service: the case page with the form shown again.
void Refused(Env& env, Signed& who, Store& store, const std::string& ref, httplib::Response& res,
             const Error& e, std::string form, const Fields& posted) {
  if (e.code == Error::Code::kInternal || e.code == Error::Code::kUnavailable) {
    LogError("case form", e);
  }
  if (e.code == Error::Code::kNotFound && msg::KeyOf(e) == "case.not_found") {
    return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
  }
  CaseFormRefusal r;
  r.form = std::move(form);
  r.field = e.field;
  r.posted = posted;
  r.message = ErrorText(e);
  if (e.code == Error::Code::kConflict && e.field == "confirm_published") {
    r.confirm_published = true;
    r.message = msg::Format("page.published_confirm", {PublishedYearOf(e)});
  } else if (msg::KeyOf(e) == "close.unknown_fields") {
    r.message = msg::Format("page.close_unknown", {ReportFieldLabel(e.field)});
  }
  SendCasePage(env, who, store, ref, res, ErrorStatus(e), &r, nullptr);
}

// The guard of the form: the version it was made from, the confirmation of
// a published year.
service::WriteGuard GuardOf(const Fields& f) {
  service::WriteGuard g;
  const std::string v = Field(f, "version");
  if (!v.empty() && v.size() <= 18 && std::all_of(v.begin(), v.end(), ::isdigit)) {
    g.version = std::stoll(v);
  }
  g.confirm_published = Field(f, "confirm_published") == "1";
  return g;
}

// A non-negative integer of a form or a route, nullopt otherwise.
std::optional<int64_t> Id(const std::string& text) {
  if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), ::isdigit)) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// ---- Lifecycle events ----

void CaseEventPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  service::EventCall call;
  EventRequest& r = call.request;
  r.event = Field(f, "event");
  r.actor = who.user.name;
  const std::string form = "event:" + r.event;
  if (const std::string date = Field(f, "date"); !date.empty()) {
    r.date = Date::Parse(date);
    if (!r.date) {
      return Refused(env, who, store, ref, res, msg::Invalid("case.bad_date", "date"), form, f);
    }
  }
  for (const ParamSpec& p : EventParams(r.event)) {
    std::string v;
    // Lists arrive as repeated fields (checkboxes): the service takes them
    // comma-separated.
    for (const std::string& x : FieldAll(f, std::string(p.name))) {
      if (!x.empty()) v += (v.empty() ? "" : ",") + x;
    }
    if (!v.empty()) r.params[std::string(p.name)] = v;
  }
  call.guard = GuardOf(f);
  call.confirm_unknown = FieldAll(f, "confirm_unknown");
  WebService svc(*env.ctx, store);
  auto out = svc->Apply(service::Caller::OfUser(who.user), ref, std::move(call));
  if (!out) return Refused(env, who, store, ref, res, out.error(), form, f);
  // A mediator who recused no longer sees the case.
  if (!out->still_visible) return Redirect(res, WithFlash("/tableau", true, "recuse.done"));
  BackToCase(res, ref, "event.applied");
}

// ---- Classification ----

// Every field of the qualification form, sent whole: one save.
constexpr const char* kCodeFields[] = {"channel",   "emitter",  "prior_step", "household",
                                       "activity",  "fraud",    "allocataire_number",
                                       "prior_step_on", "quotient_familial", "description"};
constexpr const char* kListFields[] = {"motives", "benefits"};

void CaseEditPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  service::ClassificationEdit e;
  for (const char* name : kCodeFields) e.fields.emplace_back(name, Field(f, name));
  for (const char* name : kListFields) {
    std::string v;
    for (const std::string& x : FieldAll(f, name)) v += (v.empty() ? "" : ",") + x;
    e.fields.emplace_back(name, v);
  }
  e.guard = GuardOf(f);
  e.via = "page";
  WebService svc(*env.ctx, store);
  auto c = svc->Edit(service::Caller::OfUser(who.user), ref, e);
  if (!c) return Refused(env, who, store, ref, res, c.error(), "edit", f);
  BackToCase(res, ref, "case.updated");
}

// ---- Notes ----

void CaseNotePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  WebService svc(*env.ctx, store);
  if (auto s = svc->AddNote(service::Caller::OfUser(who.user), ref, Field(f, "text")); !s) {
    return Refused(env, who, store, ref, res, s.error(), "note", f);
  }
  BackToCase(res, ref, "note.added");
}

// ---- Financial lines ----

void CaseFinancialPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                       httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  FinancialLine line;
  line.kind = Field(f, "kind");
  // Reading « 1 234,56 » is the page's; an unreadable amount is 0, which
  // the service refuses with its own message.
  line.amount_cents = ParseEuros(Field(f, "amount")).value_or(0);
  WebService svc(*env.ctx, store);
  auto c = svc->AddFinancialLine(service::Caller::OfUser(who.user), ref, line, GuardOf(f));
  if (!c) return Refused(env, who, store, ref, res, c.error(), "finances", f);
  BackToCase(res, ref, "financial.added");
}

void CaseFinancialRemovePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                             httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  const auto index = Id(Field(f, "index"));
  const std::string form = "finances-remove:" + Field(f, "index");
  if (!index) {
    return Refused(env, who, store, ref, res, msg::NotFound("financial.not_found"), form, f);
  }
  WebService svc(*env.ctx, store);
  auto c = svc->RemoveFinancialLine(service::Caller::OfUser(who.user), ref,
                                    static_cast<size_t>(*index), GuardOf(f));
  if (!c) return Refused(env, who, store, ref, res, c.error(), form, f);
  BackToCase(res, ref, "financial.removed");
}

// ---- People ----

void CasePersonPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                    httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  Person p;
  p.id = Id(Field(f, "id")).value_or(0);
  const std::string form = "person:" + std::to_string(p.id);
  const std::string role = Field(f, "role");
  bool known = false;
  for (PersonRole r : {PersonRole::kBeneficiary, PersonRole::kEmitter, PersonRole::kLandlord}) {
    if (role == PersonRoleCode(r)) {
      p.role = r;
      known = true;
    }
  }
  if (!known) {
    return Refused(env, who, store, ref, res, msg::Invalid("person.role_unknown", "role", {role}),
                   form, f);
  }
  p.name = Field(f, "name");
  p.function = Field(f, "function");
  p.organisation = Field(f, "organisation");
  p.email = Field(f, "email");
  p.phone = Field(f, "phone");
  p.address = Field(f, "address");
  p.address.erase(std::remove(p.address.begin(), p.address.end(), '\r'), p.address.end());
  WebService svc(*env.ctx, store);
  if (auto s = svc->SavePerson(service::Caller::OfUser(who.user), ref, p); !s) {
    return Refused(env, who, store, ref, res, s.error(), form, f);
  }
  BackToCase(res, ref, "person.saved");
}

void CasePersonRemovePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                          httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  const auto id = Id(Field(f, "id"));
  const std::string form = "person-remove:" + Field(f, "id");
  if (!id) return Refused(env, who, store, ref, res, msg::NotFound("person.not_found"), form, f);
  WebService svc(*env.ctx, store);
  if (auto s = svc->RemovePerson(service::Caller::OfUser(who.user), ref, *id); !s) {
    return Refused(env, who, store, ref, res, s.error(), form, f);
  }
  BackToCase(res, ref, "person.removed");
}

// ---- Recusals ----

void CaseLiftPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  const int64_t id = Id(std::string(req.matches[2])).value_or(0);
  WebService svc(*env.ctx, store);
  if (auto s = svc->LiftRecusal(service::Caller::OfUser(who.user), ref, id, Field(f, "reason"));
      !s) {
    return Refused(env, who, store, ref, res, s.error(), "lift:" + std::to_string(id), f);
  }
  BackToCase(res, ref, "recuse.lifted");
}

// ---- Documents ----

// The file was streamed to the document folder (PostUpload); the service
// checks it (size, type by content) and keeps it or not.
void CaseDocumentPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res, StreamedForm& form) {
  const std::string ref = req.matches[1];
  const Fields f = StreamedFields(req, form);
  StreamedFile* file = form.First("file");
  if (file == nullptr) {
    return Refused(env, who, store, ref, res, msg::Invalid("document.required", "file"),
                   "document", f);
  }
  WebService svc(*env.ctx, store);
  auto m = svc->AddDocument(service::Caller::OfUser(who.user), ref, SafeFileName(file->filename),
                            *file->file);
  if (!m) return Refused(env, who, store, ref, res, m.error(), "document", f);
  BackToCase(res, ref, "document.added");
}

void CaseDocumentGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const std::string ref = req.matches[1];
  const int64_t id = Id(std::string(req.matches[2])).value_or(0);
  WebService svc(*env.ctx, store);
  auto m = svc->Document(service::Caller::OfUser(who.user), ref, id);
  if (!m) return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
  auto bytes = env.documents.Read(m->storage_key);
  if (!bytes) return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
  store.Audit(who.actor, "document.download", ref + "/" + std::to_string(id));
  SendDownload(res, m->file_name, m->content_type, std::move(*bytes));
}

}  // namespace

void RegisterCaseFormRoutes(httplib::Server& server, Env& env) {
  const std::string ref = kCaseRoute;
  server.Post(ref + "/evenement", Guarded(env, Need::kCases, CaseEventPost));
  server.Post(ref + "/modifier", Guarded(env, Need::kCases, CaseEditPost));
  server.Post(ref + "/notes", Guarded(env, Need::kCases, CaseNotePost));
  server.Post(ref + "/finances", Guarded(env, Need::kCases, CaseFinancialPost));
  server.Post(ref + "/finances/supprimer", Guarded(env, Need::kCases, CaseFinancialRemovePost));
  server.Post(ref + "/personnes", Guarded(env, Need::kCases, CasePersonPost));
  server.Post(ref + "/personnes/retirer", Guarded(env, Need::kCases, CasePersonRemovePost));
  server.Post(ref + R"(/deports/([0-9]{1,18})/lever)", Guarded(env, Need::kCases, CaseLiftPost));
  // One file, 10 Mo (the service's limit; a larger one is counted, not written).
  StreamLimits one_file;
  one_file.max_files = 1;
  PostUpload(server, ref + "/documents", env, Need::kCases, one_file, CaseDocumentPost);
  server.Get(ref + R"(/documents/([0-9]{1,18}))", Guarded(env, Need::kCases, CaseDocumentGet));
}

}  // namespace amiable::web::pages
