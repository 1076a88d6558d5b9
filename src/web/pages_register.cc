// Registering a request received by post, phone, front desk, email or from
// an internal service (/enregistrer): its view builder, the form, the post.
// The post reads the form into a service::Registration (the case, the
// beneficiary, the sender — the person with role emitter, with her
// function —, the landlord) and calls CaseService::Register, then
// AddDocument for each attachment. No rule lives here.
#include <httplib.h>

#include <algorithm>

#include "service/case_service.h"
#include "web/auth.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

// Scans attached to one registration (each 10 Mo at most, the service's
// limit); further ones are refused.
constexpr size_t kMaxScans = 10;

// The person blocks of the form: prefix of the fields, role, which fields.
struct PersonBlock {
  const char* prefix;
  PersonRole role;
};
constexpr PersonBlock kPeople[] = {{"beneficiary", PersonRole::kBeneficiary},
                                   {"sender", PersonRole::kEmitter},
                                   {"landlord", PersonRole::kLandlord}};
constexpr const char* kPersonFields[] = {"name", "function", "organisation", "email", "phone"};

// The form's input of a service field ("received_on" -> "r-date"...).
std::string InputOf(const std::string& field) {
  static const std::pair<const char*, const char*> kInputs[] = {
      {"organisme", "r-org"},         {"channel", "r-channel"},
      {"received_on", "r-date"},      {"emitter", "r-emitter"},
      {"allocataire_number", "r-alloc"}, {"prior_step", "r-prior"},
      {"prior_step_on", "r-prior-on"}, {"description", "r-desc"},
      {"file", "r-scan"},
      {"eml", "r-eml"},               {"eml_organisme", "r-eml-org"},
  };
  for (const auto& [f, id] : kInputs) {
    if (field == f) return id;
  }
  // "people.<role>.<field>" -> "r-<block>-<field>".
  for (const PersonBlock& b : kPeople) {
    const std::string prefix = std::string("people.") + PersonRoleCode(b.role) + ".";
    if (field.rfind(prefix, 0) == 0) {
      return std::string("r-") + b.prefix + "-" + field.substr(prefix.size());
    }
  }
  return "";
}

}  // namespace

Data RegisterView(const std::vector<Organisme>& funds_seen, const Labels& l, Date today,
                  const Fields* f, const std::string& error, const std::string& error_field) {
  Data d;
  d.set("title", "Enregistrer une demande");
  List channels;
  for (const char* code : {"courrier", "telephone", "accueil", "courriel", "interne"}) {
    Data o;
    o.set("code", code);
    o.set("label", l.Of(nomenclature::Channel(), code));
    o.set("selected", f && Field(*f, "channel") == code);
    channels.push_back(o);
  }
  d.set("channels", channels);
  auto chosen = [&](const char* name) {
    return f ? std::vector<std::string>{Field(*f, name)} : std::vector<std::string>{};
  };
  d.set("emitters", l.Options(nomenclature::Emitter(), chosen("emitter"), true));
  d.set("prior_steps", l.Options(nomenclature::PriorStep(), chosen("prior_step"), true));
  List funds;
  for (const Organisme& o : funds_seen) {
    Data od;
    od.set("code", o.code);
    od.set("label", o.code + " — " + o.name);
    od.set("selected", f && Field(*f, "organisme") == o.code);
    funds.push_back(od);
  }
  d.set("funds", funds);
  Data v;
  v.set("received_on", f ? Field(*f, "received_on") : today.ToString());
  for (const char* k : {"allocataire_number", "prior_step_on", "description"}) {
    v.set(k, f ? Field(*f, k) : std::string());
  }
  for (const PersonBlock& b : kPeople) {
    for (const char* k : kPersonFields) {
      const std::string name = std::string(b.prefix) + "_" + k;
      v.set(name, f ? Field(*f, name) : std::string());
    }
  }
  d.set("v", v);
  d.set("today", today.ToString());
  // The error, tied to its input: err.<input id with '-' as '_'>.
  Data err;
  const std::string input = InputOf(error_field);
  std::string key = input;
  std::replace(key.begin(), key.end(), '-', '_');
  if (!input.empty()) err.set(key, error);
  d.set("err", err);
  d.set("has_error", !error.empty());
  d.set("error", error);
  d.set("error_input", input);
  return d;
}

void SendRegisterForm(Env& env, Signed& who, Store& store, httplib::Response& res,
                      const Error* error, const Fields* f) {
  std::vector<Organisme> seen;
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) {
      if (who.actor.CanSee(o.code)) seen.push_back(o);
    }
  }
  WebService svc(*env.ctx, store);
  const std::string default_fund = seen.size() == 1 ? seen[0].code : std::string();
  Data d = RegisterView(seen, Labels(store), svc->TodayFor(default_fund), f,
                        error ? ErrorText(*error) : std::string(),
                        error ? error->field : std::string());
  SendPage(env, res, "enregistrer", d, &who, error ? ErrorStatus(*error) : 200);
}

namespace {

void RegisterForm(Env& env, Signed& who, Store& store, httplib::Response& res,
                  const Error* error, const Fields* f) {
  SendRegisterForm(env, who, store, res, error, f);
}

void RegisterGet(Env& env, Signed& who, Store& store, const httplib::Request&,
                 httplib::Response& res) {
  RegisterForm(env, who, store, res, nullptr, nullptr);
}

std::optional<std::string> OptField(const Fields& f, const std::string& name) {
  std::string v = Field(f, name);
  if (v.empty()) return std::nullopt;
  return v;
}

// The scans were streamed to the document folder (PostUpload); each one is
// checked and kept by the service once the case exists.
void RegisterPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res, StreamedForm& form) {
  const Fields f = StreamedFields(req, form);
  auto again = [&](const Error& e) { RegisterForm(env, who, store, res, &e, &f); };
  service::Registration r;
  r.via = "page";
  Case& c = r.c;
  c.organisme = Field(f, "organisme");
  c.channel = OptField(f, "channel");
  if (const std::string d = Field(f, "received_on"); !d.empty()) {
    auto received = Date::Parse(d);
    if (!received) return again(msg::Invalid("case.bad_date", "received_on"));
    c.received_on = *received;
  }
  c.emitter = OptField(f, "emitter");
  c.allocataire_number = OptField(f, "allocataire_number");
  c.prior_step = OptField(f, "prior_step");
  if (auto d = OptField(f, "prior_step_on")) {
    c.prior_step_on = Date::Parse(*d);
    if (!c.prior_step_on) return again(msg::Invalid("case.bad_date", "prior_step_on"));
  }
  c.description = Field(f, "description");
  c.description.erase(std::remove(c.description.begin(), c.description.end(), '\r'),
                      c.description.end());
  // The people typed: a block with any field filled is a person.
  for (const PersonBlock& b : kPeople) {
    Person p;
    p.role = b.role;
    std::string* into[] = {&p.name, &p.function, &p.organisation, &p.email, &p.phone};
    bool any = false;
    for (size_t i = 0; i < std::size(kPersonFields); ++i) {
      *into[i] = Field(f, std::string(b.prefix) + "_" + kPersonFields[i]);
      any = any || !into[i]->empty();
    }
    if (any) r.people.push_back(std::move(p));
  }
  WebService svc(*env.ctx, store);
  const service::Caller caller = service::Caller::OfUser(who.user);
  auto ref = svc->Register(caller, std::move(r));
  if (!ref) return again(ref.error());
  // The attachments, once the case exists.
  bool refused = false;
  for (StreamedFile& scan : form.files) {
    if (scan.field != "scan" || scan.size == 0) continue;
    if (!scan.file) {  // over the number of files written
      refused = true;
      continue;
    }
    auto m = svc->AddDocument(caller, *ref, SafeFileName(scan.filename), *scan.file);
    refused = refused || !m;
  }
  if (refused) return Redirect(res, WithFlash(CaseUrl(*ref), false, "page.attachment_refused"));
  Redirect(res, WithFlash(CaseUrl(*ref), true, "case.registered"));
}

}  // namespace

void RegisterRegisterRoutes(httplib::Server& server, Env& env) {
  server.Get("/enregistrer", Guarded(env, Need::kCases, RegisterGet));
  StreamLimits scans;
  scans.max_files = kMaxScans;
  PostUpload(server, "/enregistrer", env, Need::kCases, scans, RegisterPost);
  // An .eml dropped on the page (pages_mail.cc), read back whole for the
  // mail intake once on disk: it may not exceed kMaxEmlBytes.
  StreamLimits eml;
  eml.max_files = 1;
  eml.max_file_bytes = kMaxEmlBytes;
  PostUpload(server, "/enregistrer/courriel", env, Need::kCases, eml, EmlUploadStreamed);
}

}  // namespace amiable::web::pages
