// API routes of what a case holds besides its classification — notes,
// people, documents, financial lines, recusals — and of the interest links
// and published years. Each is parse → one service call → answer.
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "core/nomenclature.h"
#include "web/api_internal.h"
#include "web/upload_form.h"
#include "web/download.h"
#include "web/upload.h"

namespace amiable::web::api {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

std::string Dump(const ojson& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A JSON object body (the wrapper already checked its type and size).
Result<json> Object(const httplib::Request& req) {
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Fail(msg::Invalid("api.body_object"));
  return j;
}

Result<std::string> Text(const json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return Fail(msg::Invalid("api.field_required", key, {key}));
    return std::string();
  }
  if (!it->is_string()) return Fail(msg::Invalid("api.field_string", key, {key}));
  return it->get<std::string>();
}

Status OnlyKeys(const json& j, std::initializer_list<std::string_view> keys) {
  for (const auto& [k, v] : j.items()) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      return Fail(msg::Invalid("api.field_unknown", k, {k}));
    }
  }
  return {};
}

Result<service::WriteGuard> Guard(const json& j) {
  service::WriteGuard g;
  if (auto it = j.find("version"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return Fail(msg::Invalid("api.field_integer", "version", {"version"}));
    g.version = it->get<int64_t>();
  }
  if (auto it = j.find("confirm_published"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return Fail(msg::Invalid("api.field_boolean", "confirm_published", {"confirm_published"}));
    }
    g.confirm_published = it->get<bool>();
  }
  return g;
}

service::WriteGuard GuardOfQuery(const httplib::Request& req) {
  service::WriteGuard g;
  if (req.has_param("version")) {
    if (auto v = IdParam(req.get_param_value("version"), "version")) g.version = *v;
  }
  g.confirm_published = req.get_param_value("confirm_published") == "true";
  return g;
}

// ---- Notes ----

Status ListNotes(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto d = call.cases().Get(call.who, std::string(req.matches[1]));
  if (!d) return Fail(d.error());
  ojson items = ojson::array();
  for (const Note& n : d->notes) {
    items.push_back({{"id", n.id}, {"author", n.author}, {"created_at", n.created_at}, {"text", n.text}});
  }
  SendJson(res, 200, Dump(ojson{{"items", items}}));
  return {};
}

Status AddNote(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"text"}); !s) return s;
  auto text = Text(*j, "text", true);
  if (!text) return Fail(text.error());
  const std::string ref = req.matches[1];
  if (auto s = call.cases().AddNote(call.who, ref, *text); !s) return s;
  if (auto s = ListNotes(call, req, res); !s) return s;
  res.status = 201;
  return {};
}

Status RemoveNote(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto id = IdParam(std::string(req.matches[2]), "id");
  if (!id) return Fail(id.error());
  if (auto s = call.cases().RemoveNote(call.who, std::string(req.matches[1]), *id); !s) return s;
  res.status = 204;
  return {};
}

// ---- People ----

Result<Person> PersonOf(const json& j, int64_t id) {
  if (auto s = OnlyKeys(j, {"role", "name", "organisation", "function", "email", "phone", "address"});
      !s) {
    return Fail(s.error());
  }
  Person p;
  p.id = id;
  auto role = Text(j, "role", true);
  if (!role) return Fail(role.error());
  bool known = false;
  for (PersonRole r : {PersonRole::kBeneficiary, PersonRole::kEmitter, PersonRole::kLandlord}) {
    if (*role == PersonRoleCode(r)) {
      p.role = r;
      known = true;
    }
  }
  if (!known) return Fail(msg::Invalid("person.role_unknown", "role", {*role}));
  const std::pair<const char*, std::string*> fields[] = {
      {"name", &p.name},   {"organisation", &p.organisation}, {"function", &p.function},
      {"email", &p.email}, {"phone", &p.phone},               {"address", &p.address}};
  for (const auto& [key, into] : fields) {
    auto v = Text(j, key, false);
    if (!v) return Fail(v.error());
    *into = std::move(*v);
  }
  return p;
}

Status ListPeople(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto d = call.cases().Get(call.who, std::string(req.matches[1]));
  if (!d) return Fail(d.error());
  ojson items = ojson::array();
  for (const Person& p : d->people) {
    items.push_back({{"id", p.id},
                     {"role", PersonRoleCode(p.role)},
                     {"name", p.name},
                     {"organisation", p.organisation},
                     {"function", p.function},
                     {"email", p.email},
                     {"phone", p.phone},
                     {"address", p.address}});
  }
  SendJson(res, 200, Dump(ojson{{"items", items}}));
  return {};
}

Status SavePerson(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  int64_t id = 0;
  if (req.matches.size() > 2) {
    auto parsed = IdParam(std::string(req.matches[2]), "id");
    if (!parsed) return Fail(parsed.error());
    id = *parsed;
  }
  auto p = PersonOf(*j, id);
  if (!p) return Fail(p.error());
  if (auto s = call.cases().SavePerson(call.who, std::string(req.matches[1]), *p); !s) return s;
  if (auto s = ListPeople(call, req, res); !s) return s;
  if (id == 0) res.status = 201;
  return {};
}

Status RemovePerson(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto id = IdParam(std::string(req.matches[2]), "id");
  if (!id) return Fail(id.error());
  if (auto s = call.cases().RemovePerson(call.who, std::string(req.matches[1]), *id); !s) {
    return s;
  }
  res.status = 204;
  return {};
}

// ---- Documents ----

ojson DocumentJson(const std::string& ref, const DocumentMeta& d) {
  return {{"id", d.id},
          {"file_name", d.file_name},
          {"content_type", d.content_type},
          {"size_bytes", d.size_bytes},
          {"sha256", d.sha256},
          {"uploaded_by", d.uploaded_by},
          {"uploaded_at", d.uploaded_at},
          {"href", "/api/v1/cases/" + ref + "/documents/" + std::to_string(d.id)}};
}

Status ListDocuments(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string ref = req.matches[1];
  auto d = call.cases().Get(call.who, ref);
  if (!d) return Fail(d.error());
  ojson items = ojson::array();
  for (const DocumentMeta& m : d->documents) items.push_back(DocumentJson(ref, m));
  SendJson(res, 200, Dump(ojson{{"items", items}}));
  return {};
}

// POST with the file's bytes as the body (any Content-Type), ?name=<file name>.
// The body goes straight to the document folder as it arrives (at most
// 10 Mo written, the service's limit; a larger one is counted and refused
// by the service), then the service checks and keeps it.
constexpr uint64_t kMaxApiDocumentBytes = 10u << 20;
Status AddDocument(Call& call, const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) {
  const std::string ref = req.matches[1];
  bool complete = false;
  std::unique_ptr<IncomingFile> file =
      ReadBodyToFile(req, reader, ServerDocuments(), kMaxApiDocumentBytes, &complete);
  if (!file) {
    DrainBody(req, reader);
    return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
  }
  if (!complete) {
    if (res.status == 413) {
      return Fail(msg::Make(Error::Code::kTooLarge, "api.body_too_large", {},
                            {std::to_string(call.ctx->options->max_body_bytes)}));
    }
    return Fail(msg::Invalid("http.bad_request"));
  }
  if (file->failed()) return Fail(msg::Make(Error::Code::kInternal, "document.store_failed", "file"));
  auto m = call.cases().AddDocument(call.who, ref, SafeFileName(req.get_param_value("name")),
                                    *file);
  if (!m) return Fail(m.error());
  SendJson(res, 201, Dump(DocumentJson(ref, *m)));
  return {};
}

Status GetDocument(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string ref = req.matches[1];
  auto id = IdParam(std::string(req.matches[2]), "id");
  if (!id) return Fail(id.error());
  auto m = call.cases().Document(call.who, ref, *id);
  if (!m) return Fail(m.error());
  auto bytes = ServerDocuments().Read(m->storage_key);
  if (!bytes) return Fail(msg::NotFound("document.not_found"));
  SendDownload(res, m->file_name, m->content_type, std::move(*bytes));
  call.ctx->audit->Record(call.who.actor, "document.read", ref + " " + std::to_string(*id));
  return {};
}

Status RemoveDocument(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto id = IdParam(std::string(req.matches[2]), "id");
  if (!id) return Fail(id.error());
  if (auto s = call.cases().RemoveDocument(call.who, std::string(req.matches[1]), *id); !s) {
    return s;
  }
  res.status = 204;
  return {};
}

// ---- Financial lines ----

Status AddFinancial(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"kind", "amount_cents", "version", "confirm_published"}); !s) return s;
  auto kind = Text(*j, "kind", true);
  if (!kind) return Fail(kind.error());
  auto amount = j->find("amount_cents");
  if (amount == j->end() || !amount->is_number_integer()) {
    return Fail(msg::Invalid("financial.amount", "amount_cents"));
  }
  auto g = Guard(*j);
  if (!g) return Fail(g.error());
  const std::string ref = req.matches[1];
  auto c = call.cases().AddFinancialLine(call.who, ref, {*kind, amount->get<int64_t>()}, *g);
  if (!c) return Fail(c.error());
  return SendCase(call, ref, 201, res);
}

Status RemoveFinancial(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string ref = req.matches[1];
  auto index = IdParam(std::string(req.matches[2]), "index");
  if (!index) return Fail(index.error());
  auto c = call.cases().RemoveFinancialLine(call.who, ref, static_cast<size_t>(*index),
                                            GuardOfQuery(req));
  if (!c) return Fail(c.error());
  return SendCase(call, ref, 200, res);
}

// ---- Recusals ----

Status ListRecusals(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto d = call.cases().Get(call.who, std::string(req.matches[1]));
  if (!d) return Fail(d.error());
  ojson items = ojson::array();
  for (const Recusal& r : d->recusals) {
    items.push_back({{"id", r.id},
                     {"user", r.user},
                     {"reason", r.reason},
                     {"at", r.at},
                     {"by_user", r.by_user},
                     {"interet", r.interest},
                     {"interference", r.interference},
                     {"intensite", r.intensity},
                     {"lifted_at", r.lifted_at},
                     {"lifted_by", r.lifted_by},
                     {"lift_reason", r.lift_reason}});
  }
  SendJson(res, 200, Dump(ojson{{"items", items}}));
  return {};
}

Status LiftRecusal(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"reason"}); !s) return s;
  auto reason = Text(*j, "reason", true);
  if (!reason) return Fail(reason.error());
  auto id = IdParam(std::string(req.matches[2]), "id");
  if (!id) return Fail(id.error());
  if (auto s = call.cases().LiftRecusal(call.who, std::string(req.matches[1]), *id, *reason); !s) {
    return s;
  }
  return ListRecusals(call, req, res);
}

// ---- Interest links ----

const char* SubjectCode(InterestLink::Subject s) { return InterestSubjectCode(s); }

Status ListInterests(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto links = call.cases().InterestLinks(call.who, req.get_param_value("user"));
  if (!links) return Fail(links.error());
  ojson items = ojson::array();
  for (const DeclaredInterest& d : *links) {
    items.push_back({{"id", d.id},
                     {"user", d.user},
                     {"kind", SubjectCode(d.link.subject)},
                     {"value", d.link.value},
                     {"relation", d.link.relation},
                     {"organisme", d.link.organisme},
                     {"started_on", d.started_on ? d.started_on->ToString() : ""},
                     {"ended_on", d.link.ended_on ? d.link.ended_on->ToString() : ""},
                     {"declared_at", d.declared_at}});
  }
  SendJson(res, 200, Dump(ojson{{"items", items}}));
  return {};
}

Status AddInterest(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"user", "kind", "value", "relation", "organisme", "started_on", "ended_on"});
      !s) {
    return s;
  }
  DeclaredInterest d;
  auto user = Text(*j, "user", false);
  auto kind = Text(*j, "kind", true);
  auto value = Text(*j, "value", true);
  auto relation = Text(*j, "relation", false);
  auto organisme = Text(*j, "organisme", false);
  auto started = Text(*j, "started_on", false);
  auto ended = Text(*j, "ended_on", false);
  for (auto* r : {&user, &kind, &value, &relation, &organisme, &started, &ended}) {
    if (!*r) return Fail(r->error());
  }
  auto subject = InterestSubjectFromCode(*kind);
  if (!subject) return Fail(msg::Invalid("interest.subject_unknown", "kind", {*kind}));
  d.user = *user;
  d.link.subject = *subject;
  d.link.value = *value;
  d.link.relation = *relation;
  d.link.organisme = *organisme;
  if (!started->empty()) {
    d.started_on = Date::Parse(*started);
    if (!d.started_on) return Fail(msg::Invalid("case.bad_date", "started_on"));
  }
  if (!ended->empty()) {
    d.link.ended_on = Date::Parse(*ended);
    if (!d.link.ended_on) return Fail(msg::Invalid("case.bad_date", "ended_on"));
  }
  auto id = call.cases().DeclareInterest(call.who, d);
  if (!id) return Fail(id.error());
  SendJson(res, 201, Dump(ojson{{"id", *id}}));
  return {};
}

Status RemoveInterest(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto id = IdParam(std::string(req.matches[1]), "id");
  if (!id) return Fail(id.error());
  if (auto s = call.cases().RemoveInterest(call.who, req.get_param_value("user"), *id); !s) {
    return s;
  }
  res.status = 204;
  return {};
}

// ---- Published years ----

Status ListPublished(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string org = req.matches[1];
  if (!call.who.actor.CanSee(org)) return Fail(msg::NotFound("error.not_found"));
  auto years = call.store->PublishedYears(org);
  if (!years) return Fail(years.error());
  SendJson(res, 200, Dump(ojson{{"organisme", org}, {"years", *years}}));
  return {};
}

Status Publish(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"year"}); !s) return s;
  auto year = j->find("year");
  if (year == j->end() || !year->is_number_integer()) {
    return Fail(msg::Invalid("api.field_integer", "year", {"year"}));
  }
  const std::string org = req.matches[1];
  if (auto s = call.cases().PublishYear(call.who, org, year->get<int>()); !s) return s;
  if (auto s = ListPublished(call, req, res); !s) return s;
  res.status = 201;
  return {};
}

}  // namespace

void RegisterDetailRoutes(httplib::Server& server, Context& ctx) {
  const std::string kCase = R"(/api/v1/cases/([^/]+))";
  server.Get(kCase + "/notes", Route(ctx, Body::kNone, ListNotes));
  server.Post(kCase + "/notes", Route(ctx, Body::kJson, AddNote));
  server.Delete(kCase + R"(/notes/(\d+))", Route(ctx, Body::kNone, RemoveNote));
  server.Get(kCase + "/people", Route(ctx, Body::kNone, ListPeople));
  server.Post(kCase + "/people", Route(ctx, Body::kJson, SavePerson));
  server.Put(kCase + R"(/people/(\d+))", Route(ctx, Body::kJson, SavePerson));
  server.Delete(kCase + R"(/people/(\d+))", Route(ctx, Body::kNone, RemovePerson));
  server.Get(kCase + "/documents", Route(ctx, Body::kNone, ListDocuments));
  server.Post(kCase + "/documents", RouteWithReader(ctx, AddDocument));
  server.Get(kCase + R"(/documents/(\d+))", Route(ctx, Body::kNone, GetDocument));
  server.Delete(kCase + R"(/documents/(\d+))", Route(ctx, Body::kNone, RemoveDocument));
  server.Post(kCase + "/financial", Route(ctx, Body::kJson, AddFinancial));
  server.Delete(kCase + R"(/financial/(\d+))", Route(ctx, Body::kNone, RemoveFinancial));
  server.Get(kCase + "/recusals", Route(ctx, Body::kNone, ListRecusals));
  server.Post(kCase + R"(/recusals/(\d+)/lift)", Route(ctx, Body::kJson, LiftRecusal));
  server.Get("/api/v1/interests", Route(ctx, Body::kNone, ListInterests));
  server.Post("/api/v1/interests", Route(ctx, Body::kJson, AddInterest));
  server.Delete(R"(/api/v1/interests/(\d+))", Route(ctx, Body::kNone, RemoveInterest));
  server.Get(R"(/api/v1/organismes/([^/]+)/published-years)",
             Route(ctx, Body::kNone, ListPublished));
  server.Post(R"(/api/v1/organismes/([^/]+)/published-years)", Route(ctx, Body::kJson, Publish));
}

}  // namespace amiable::web::api
