// The forms of the case page: POST /dossiers/{ref}/evenement, /modifier,
// /notes, /finances, /documents, and GET .../documents/{id} (download).
//
// Each handler parses its form, calls one function, and answers:
// - a form the page itself refuses (a value it cannot parse): back to the
//   case with ?erreur=<catalogue key> (PRG);
// - a refusal of the store or of the lifecycle: the case page rendered
//   with the error's French text and its status (not a redirect: the text
//   is the application's, never the URL's);
// - success: back to the case with ?ok=<catalogue key>.
// The rules themselves move to the service layer (issue 7); keep these thin.
#include <httplib.h>

#include <algorithm>

#include "core/lifecycle.h"
#include "web/auth.h"
#include "web/case_json.h"
#include "web/conflict_check.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

void BackToCase(httplib::Response& res, const std::string& ref, bool ok, std::string_view key) {
  Redirect(res, WithFlash(CaseUrl(ref), ok, key));
}

// A refusal of the store or the lifecycle: the case page with its text.
void Refused(Env& env, Signed& who, Store& store, const std::string& ref, httplib::Response& res,
             const Error& e) {
  if (e.code == Error::Code::kInternal || e.code == Error::Code::kUnavailable) {
    LogError("case form", e);
  }
  SendCasePage(env, who, store, ref, res, ErrorStatus(e), ErrorTextWithDetail(e), nullptr);
}

// The case a form posted to, when the actor may see it and the form was
// made from its current version; otherwise answers (404, or back to the case
// with a message) and returns nullopt.
std::optional<Case> CaseForPost(Env& env, Signed& who, Store& store, const std::string& ref,
                                const Fields& f, httplib::Response& res) {
  auto c = store.GetCase(who.actor, ref);
  if (!c) {
    SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
    return std::nullopt;
  }
  if (Field(f, "version") != std::to_string(c->version)) {
    BackToCase(res, ref, false, "page.stale_version");
    return std::nullopt;
  }
  return std::move(*c);
}

std::optional<std::string> OptField(const Fields& f, const std::string& name) {
  std::string v = Field(f, name);
  if (v.empty()) return std::nullopt;
  return v;
}

// ---- Lifecycle events ----

// The event of the form; a catalogue key when the form cannot be read.
std::expected<EventRequest, std::string_view> ReadEventForm(const Fields& f,
                                                              const std::string& actor) {
  EventRequest r;
  r.event = Field(f, "event");
  r.actor = actor;
  if (const std::string date = Field(f, "date"); !date.empty()) {
    r.date = Date::Parse(date);
    if (!r.date) return std::unexpected("case.bad_date");
  }
  for (const ParamSpec& p : EventParams(r.event)) {
    std::string v;
    if (p.kind == ParamSpec::Kind::kCodeList) {
      for (const std::string& x : FieldAll(f, std::string(p.name))) v += (v.empty() ? "" : ",") + x;
    } else {
      v = Field(f, std::string(p.name));
    }
    if (!v.empty()) r.params[std::string(p.name)] = v;
  }
  return r;
}

// Checks conflicts, applies the event, saves it (one call for the service
// layer to take over).
Status ApplyCaseEvent(Store& store, const Actor& actor, const Case& c, const EventRequest& r,
                      Date today) {
  if (auto s = CheckConflicts(store, actor, c, r, today); !s) return s;
  Case updated = c;
  auto ev = ApplyEvent(updated, r, today, NowTimestamp());
  if (!ev) return Fail(ev.error());
  return SaveEvent(store, actor, c, updated, r, *ev);
}

void CaseEventPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  auto c = CaseForPost(env, who, store, ref, f, res);
  if (!c) return;
  auto r = ReadEventForm(f, who.user.name);
  if (!r) return BackToCase(res, ref, false, r.error());
  if (auto s = ApplyCaseEvent(store, who.actor, *c, *r, env.ctx->Today()); !s) {
    return Refused(env, who, store, ref, res, s.error());
  }
  // A mediator who recused no longer sees the case.
  if (r->event == "recuse" && !store.GetCase(who.actor, ref)) {
    return Redirect(res, WithFlash("/tableau", true, "recuse.done"));
  }
  BackToCase(res, ref, true, "event.applied");
}

// ---- Classification ----

// The classification of the form applied to `u`; a catalogue key when a
// value cannot be read.
std::expected<void, std::string_view> ReadClassificationForm(const Fields& f, Case& u) {
  auto code = [&](const char* name, const Nomenclature& n,
                  std::optional<std::string>& into) -> bool {
    auto v = OptField(f, name);
    if (v && !n.Contains(*v)) return false;
    into = v;
    return true;
  };
  auto codes = [&](const char* name, const Nomenclature& n,
                   std::optional<std::vector<std::string>>& into) -> bool {
    std::vector<std::string> v = FieldAll(f, name);
    for (const std::string& x : v) {
      if (!n.Contains(x)) return false;
    }
    if (v.empty()) {
      into.reset();
    } else {
      into = v;
    }
    return true;
  };
  if (!code("channel", nomenclature::Channel(), u.channel) ||
      !code("emitter", nomenclature::Emitter(), u.emitter) ||
      !code("prior_step", nomenclature::PriorStep(), u.prior_step) ||
      !code("household", nomenclature::Household(), u.household) ||
      !code("activity", nomenclature::Activity(), u.activity) ||
      !codes("motives", nomenclature::Motive(), u.motives) ||
      !codes("benefits", nomenclature::Benefit(), u.benefits)) {
    return std::unexpected("case.list_value_unknown");
  }
  if (auto n = OptField(f, "allocataire_number")) {
    if (n->size() != 7 || !std::all_of(n->begin(), n->end(), ::isdigit)) {
      return std::unexpected("case.allocataire_number");
    }
    u.allocataire_number = n;
  } else {
    u.allocataire_number.reset();
  }
  if (auto p = OptField(f, "prior_step_on")) {
    u.prior_step_on = Date::Parse(*p);
    if (!u.prior_step_on) return std::unexpected("case.bad_date");
  } else {
    u.prior_step_on.reset();
  }
  if (auto q = OptField(f, "quotient_familial")) {
    if (q->size() > 7 || !std::all_of(q->begin(), q->end(), ::isdigit)) {
      return std::unexpected("case.quotient_familial");
    }
    u.quotient_familial = std::stoll(*q);
  } else {
    u.quotient_familial.reset();
  }
  const std::string fraud = Field(f, "fraud");
  if (fraud == "oui") {
    u.fraud = true;
  } else if (fraud == "non") {
    u.fraud = false;
  } else {
    u.fraud.reset();
  }
  std::string description = Field(f, "description");
  description.erase(std::remove(description.begin(), description.end(), '\r'), description.end());
  if (description.size() > kMaxDescriptionBytes) {
    return std::unexpected("case.description_too_long");
  }
  u.description = description;
  return {};
}

void CaseEditPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  auto c = CaseForPost(env, who, store, ref, f, res);
  if (!c) return;
  Case u = *c;
  if (auto ok = ReadClassificationForm(f, u); !ok) return BackToCase(res, ref, false, ok.error());
  CaseEvent ev{0, NowTimestamp(), who.user.name, "update", "Qualification modifiée"};
  if (auto s = store.UpdateCase(who.actor, u, ev); !s) {
    return Refused(env, who, store, ref, res, s.error());
  }
  BackToCase(res, ref, true, "case.updated");
}

// ---- Notes ----

void CaseNotePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  std::string text = Field(FormFields(req), "text");
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  if (text.empty()) return BackToCase(res, ref, false, "note.empty");
  if (text.size() > 20000) return BackToCase(res, ref, false, "note.too_long");
  if (auto s = store.AddNote(who.actor, ref, {0, who.user.name, NowTimestamp(), text}); !s) {
    if (s.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
    }
    return Refused(env, who, store, ref, res, s.error());
  }
  BackToCase(res, ref, true, "note.added");
}

// ---- Financial lines ----

struct FinancialChange {
  std::optional<size_t> remove;  // the index of the line to remove
  FinancialLine add;             // else the line to add
};

std::expected<FinancialChange, std::string_view> ReadFinancialForm(const Fields& f) {
  FinancialChange ch;
  if (const std::string remove = Field(f, "remove"); !remove.empty()) {
    if (remove.size() > 6 || !std::all_of(remove.begin(), remove.end(), ::isdigit)) {
      return std::unexpected("financial.not_found");
    }
    ch.remove = static_cast<size_t>(std::stoul(remove));
    return ch;
  }
  ch.add.kind = Field(f, "kind");
  if (!nomenclature::FinancialKind().Contains(ch.add.kind)) {
    return std::unexpected("financial.kind_required");
  }
  auto cents = ParseEuros(Field(f, "amount"));
  if (!cents) return std::unexpected("financial.amount");
  ch.add.amount_cents = *cents;
  return ch;
}

void CaseFinancialPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                       httplib::Response& res) {
  const std::string ref = req.matches[1];
  const Fields f = FormFields(req);
  auto c = CaseForPost(env, who, store, ref, f, res);
  if (!c) return;
  auto ch = ReadFinancialForm(f);
  if (!ch) return BackToCase(res, ref, false, ch.error());
  Case u = *c;
  if (!u.financial) u.financial.emplace();
  std::string detail;
  if (ch->remove) {
    if (*ch->remove >= u.financial->size()) {
      return BackToCase(res, ref, false, "financial.not_found");
    }
    u.financial->erase(u.financial->begin() + static_cast<long>(*ch->remove));
    detail = "Ligne financière supprimée";
  } else {
    u.financial->push_back(ch->add);
    detail = "Ligne financière ajoutée : " +
             std::string(nomenclature::FinancialKind().Label(ch->add.kind)) + " " +
             Euros(ch->add.amount_cents);
  }
  if (auto s = store.UpdateCase(who.actor, u, {0, NowTimestamp(), who.user.name, "update", detail});
      !s) {
    return Refused(env, who, store, ref, res, s.error());
  }
  BackToCase(res, ref, true, ch->remove ? "financial.removed" : "financial.added");
}

// ---- Documents ----

// Stores an uploaded file and its row.
Status SaveUpload(Env& env, const Signed& who, Store& store, const std::string& ref,
                  const httplib::MultipartFormData& file) {
  if (file.content.size() > 10u << 20) {
    return Fail(msg::Make(Error::Code::kTooLarge, "document.too_large", "file", {"10 Mo"}));
  }
  auto type = SniffContentType(file.content);
  if (!type) return Fail(msg::Invalid("document.type", "file"));
  auto key = env.documents.Save(file.content);
  if (!key) {
    LogError("upload: cannot store", key.error());
    return Fail(msg::Make(Error::Code::kInternal, "document.store_failed"));
  }
  DocumentMeta m;
  m.file_name = SafeFileName(file.filename);
  m.content_type = *type;
  m.size_bytes = static_cast<int64_t>(file.content.size());
  m.storage_key = *key;
  m.sha256 = Sha256Hex(file.content);
  m.uploaded_by = who.user.name;
  if (auto s = store.AddDocument(who.actor, ref, m); !s) {
    env.documents.Remove(*key);
    return s;
  }
  return {};
}

void CaseDocumentPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res) {
  const std::string ref = req.matches[1];
  if (!store.GetCase(who.actor, ref)) {
    return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
  }
  auto it = req.files.find("file");
  if (it == req.files.end() || it->second.filename.empty() || it->second.content.empty()) {
    return BackToCase(res, ref, false, "document.required");
  }
  if (auto s = SaveUpload(env, who, store, ref, it->second); !s) {
    return Refused(env, who, store, ref, res, s.error());
  }
  BackToCase(res, ref, true, "document.added");
}

void CaseDocumentGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  const std::string ref = req.matches[1];
  const int64_t id = std::atoll(std::string(req.matches[2]).c_str());
  auto docs = store.Documents(who.actor, ref);  // authorizes: another fund's case is not found
  if (!docs) return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
  for (const DocumentMeta& m : *docs) {
    if (m.id != id) continue;
    auto bytes = env.documents.Read(m.storage_key);
    if (!bytes) return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
    store.Audit(who.actor, "document.download", ref + "/" + std::to_string(id));
    res.set_header("Content-Disposition",
                   "attachment; filename=\"document." + std::string(ExtensionOf(m.content_type)) +
                       "\"; filename*=UTF-8''" + httplib::detail::encode_query_param(m.file_name));
    res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
    res.set_content(std::move(*bytes), m.content_type);
    return;
  }
  SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
}

}  // namespace

void RegisterCaseFormRoutes(httplib::Server& server, Env& env) {
  const std::string ref = kCaseRoute;
  server.Post(ref + "/evenement", Guarded(env, Need::kCases, CaseEventPost));
  server.Post(ref + "/modifier", Guarded(env, Need::kCases, CaseEditPost));
  server.Post(ref + "/notes", Guarded(env, Need::kCases, CaseNotePost));
  server.Post(ref + "/finances", Guarded(env, Need::kCases, CaseFinancialPost));
  server.Post(ref + "/documents", Guarded(env, Need::kCases, CaseDocumentPost));
  server.Get(ref + R"(/documents/([0-9]{1,18}))", Guarded(env, Need::kCases, CaseDocumentGet));
}

}  // namespace amiable::web::pages
