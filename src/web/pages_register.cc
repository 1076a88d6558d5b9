// Registering a request received by post, phone, front desk, email or from
// an internal service (/enregistrer): its view builder, the form, the post.
#include <httplib.h>

#include <algorithm>

#include "web/auth.h"
#include "web/case_json.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

Data RegisterView(const std::vector<Organisme>& funds_seen, const Labels& l, Date today,
                  const Fields* f, const std::string& error) {
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
  d.set("emitters", l.Options(nomenclature::Emitter(),
                              f ? std::vector<std::string>{Field(*f, "emitter")}
                                : std::vector<std::string>{},
                              true));
  List funds;
  for (const Organisme& o : funds_seen) {
    Data od;
    od.set("code", o.code);
    od.set("label", o.code + " — " + o.name);
    od.set("selected", f && Field(*f, "organisme") == o.code);
    funds.push_back(od);
  }
  d.set("funds", funds);
  d.set("today", today.ToString());
  if (f) {
    Data v;
    for (const char* k : {"received_on", "allocataire_number", "name", "description"}) {
      v.set(k, Field(*f, k));
    }
    d.set("v", v);
  }
  if (!error.empty()) d.set("error", error);
  return d;
}

namespace {

void RegisterForm(Env& env, Signed& who, Store& store, httplib::Response& res,
                  const std::string& error, const Fields* f) {
  std::vector<Organisme> seen;
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) {
      if (who.actor.CanSee(o.code)) seen.push_back(o);
    }
  }
  Data d = RegisterView(seen, Labels(store), env.ctx->Today(), f, error);
  SendPage(env, res, "enregistrer", d, &who, error.empty() ? 200 : 400);
}

void RegisterGet(Env& env, Signed& who, Store& store, const httplib::Request&,
                 httplib::Response& res) {
  RegisterForm(env, who, store, res, "", nullptr);
}

std::optional<std::string> OptField(const Fields& f, const std::string& name) {
  std::string v = Field(f, name);
  if (v.empty()) return std::nullopt;
  return v;
}

void RegisterPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const Fields f = FormFields(req);
  auto again = [&](const std::string& e) { RegisterForm(env, who, store, res, e, &f); };
  Submission sub;
  Case& c = sub.c;
  c.organisme = Field(f, "organisme");
  if (!who.actor.CanSee(c.organisme)) return again(msg::Find("case.organisme_required"));
  const std::string channel = Field(f, "channel");
  if (!nomenclature::Channel().Contains(channel) || channel == "teleprocedure") {
    return again(msg::Find("case.channel_required"));
  }
  c.channel = channel;
  auto received = Date::Parse(Field(f, "received_on"));
  if (!received || *received > env.ctx->Today()) {
    return again(msg::Find(received ? "case.received_on_future" : "case.bad_date"));
  }
  c.received_on = *received;
  if (auto e = OptField(f, "emitter")) {
    if (!nomenclature::Emitter().Contains(*e)) return again(msg::Find("case.emitter_unknown"));
    c.emitter = e;
  }
  if (auto n = OptField(f, "allocataire_number")) {
    if (n->size() != 7 || !std::all_of(n->begin(), n->end(), ::isdigit)) {
      return again(msg::Find("case.allocataire_number"));
    }
    c.allocataire_number = n;
  }
  c.description = Field(f, "description");
  c.description.erase(std::remove(c.description.begin(), c.description.end(), '\r'),
                      c.description.end());
  if (c.description.empty() || c.description.size() > kMaxDescriptionBytes) {
    return again(msg::Find("case.description_required"));
  }
  c.state = CaseState::kReceived;
  if (const std::string name = Field(f, "name"); !name.empty()) {
    Person p;
    p.name = name.substr(0, 200);
    sub.people.push_back(p);
  }
  sub.event = {0, NowTimestamp(), who.user.name, "create",
               "Demande enregistrée par " + who.user.name + " (" +
                   std::string(nomenclature::Channel().Label(channel)) + ")"};
  std::string saved_key;
  auto it = req.files.find("scan");
  if (it != req.files.end() && !it->second.filename.empty() && !it->second.content.empty()) {
    const auto& file = it->second;
    if (file.content.size() > 10u << 20) return again(msg::Format("document.too_large", {"10 Mo"}));
    auto type = SniffContentType(file.content);
    if (!type) return again(msg::Find("document.type"));
    auto key = env.documents.Save(file.content);
    if (!key) return again(msg::Find("document.store_failed"));
    saved_key = *key;
    DocumentMeta m;
    m.file_name = SafeFileName(file.filename);
    m.content_type = *type;
    m.size_bytes = static_cast<int64_t>(file.content.size());
    m.storage_key = *key;
    m.sha256 = Sha256Hex(file.content);
    m.uploaded_by = who.user.name;
    sub.documents.push_back(m);
  }
  auto ref = store.SubmitCase(who.actor, sub);
  if (!ref) {
    if (!saved_key.empty()) env.documents.Remove(saved_key);
    return again(ErrorTextWithDetail(ref.error()));
  }
  Redirect(res, WithFlash(CaseUrl(*ref), true, "case.registered"));
}

}  // namespace

void RegisterRegisterRoutes(httplib::Server& server, Env& env) {
  server.Get("/enregistrer", Guarded(env, Need::kCases, RegisterGet));
  server.Post("/enregistrer", Guarded(env, Need::kCases, RegisterPost));
}

}  // namespace amiable::web::pages
