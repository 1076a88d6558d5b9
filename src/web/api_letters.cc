// API routes of letters (service/letters_service.h), parse → one service
// call → answer:
//   POST /api/v1/cases/{ref}/letters        {"kind","mode","subject"?,"body"?,
//                                            "response"?,"waiting_for"?,"orientation_code"?}
//   GET  /api/v1/letter-templates?organisme=C
//   PUT  /api/v1/letter-templates/{kind}?organisme=C   {"subject","body"}
//   DELETE /api/v1/letter-templates/{kind}?organisme=C (back to the default)
//   GET /api/v1/orientations?organisme=C; PUT, DELETE /api/v1/orientations/{code}
// Without ?organisme the caller's first fund is meant.
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "service/letters_service.h"
#include "web/api_internal.h"

namespace amiable::web::api {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

std::string Dump(const ojson& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Result<json> Object(const httplib::Request& req) {
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Fail(msg::Invalid("api.body_object"));
  return j;
}

Result<std::optional<std::string>> Text(const json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return Fail(msg::Invalid("api.field_required", key, {key}));
    return std::optional<std::string>();
  }
  if (!it->is_string()) return Fail(msg::Invalid("api.field_string", key, {key}));
  return std::optional<std::string>(it->get<std::string>());
}

Status OnlyKeys(const json& j, std::initializer_list<std::string_view> keys) {
  for (const auto& [k, v] : j.items()) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      return Fail(msg::Invalid("api.field_unknown", k, {k}));
    }
  }
  return {};
}

std::string FundOf(const Call& call, const httplib::Request& req) {
  if (req.has_param("organisme")) return req.get_param_value("organisme");
  if (!call.who.actor.all_funds && !call.who.actor.organismes.empty()) {
    return call.who.actor.organismes.front();
  }
  return "";
}

ojson LetterJson(const LetterRecord& l) {
  ojson j{{"id", l.id},
          {"kind", l.kind},
          {"mode", l.mode},
          {"subject", l.subject},
          {"body_text", l.body_text},
          {"created_by", l.created_by},
          {"created_at", l.created_at}};
  j["outbox_id"] = l.outbox_id ? ojson(*l.outbox_id) : ojson(nullptr);
  j["document_id"] = l.document_id ? ojson(*l.document_id) : ojson(nullptr);
  return j;
}

Status SendLetter(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(
          *j, {"kind", "mode", "subject", "body", "response", "waiting_for", "orientation_code"});
      !s) {
    return s;
  }
  service::LetterRequest r;
  auto kind = Text(*j, "kind", true);
  if (!kind) return Fail(kind.error());
  auto mode = Text(*j, "mode", true);
  if (!mode) return Fail(mode.error());
  r.kind = **kind;
  for (auto [key, into] : {std::pair{"subject", &r.subject}, std::pair{"body", &r.body}}) {
    auto v = Text(*j, key, false);
    if (!v) return Fail(v.error());
    *into = *v;
  }
  for (auto [key, into] :
       {std::pair{"response", &r.response}, std::pair{"waiting_for", &r.waiting_for},
        std::pair{"orientation_code", &r.orientation_code}}) {
    auto v = Text(*j, key, false);
    if (!v) return Fail(v.error());
    *into = v->value_or("");
  }
  FolderFiles files(ServerDocuments());
  service::LettersService svc(*call.store, call.svc->clock(), &files);
  auto sent = svc.Send(call.who, std::string(req.matches[1]), r, **mode);
  if (!sent) return Fail(sent.error());
  ojson out = LetterJson(sent->record);
  if (sent->outbox) {
    out["outbox"] = {{"id", sent->outbox->id},
                     {"recipient", sent->outbox->recipient},
                     {"message_id", sent->outbox->message_id},
                     {"state", sent->outbox->state}};
  }
  if (sent->document) {
    out["document"] = {{"id", sent->document->id},
                       {"file_name", sent->document->file_name},
                       {"content_type", sent->document->content_type},
                       {"size", sent->document->size_bytes}};
  }
  SendJson(res, 201, Dump(out));
  return {};
}

Status ListLetters(Call& call, const httplib::Request& req, httplib::Response& res) {
  service::LettersService svc(*call.store, call.svc->clock());
  auto l = svc.CaseLetters(call.who, std::string(req.matches[1]));
  if (!l) return Fail(l.error());
  ojson items = ojson::array();
  for (const LetterRecord& x : *l) items.push_back(LetterJson(x));
  SendJson(res, 200, Dump(ojson{{"items", items}}));
  return {};
}

Status ListTemplates(Call& call, const httplib::Request& req, httplib::Response& res) {
  service::LettersService svc(*call.store, call.svc->clock());
  const std::string org = FundOf(call, req);
  auto t = svc.Templates(call.who, org);
  if (!t) return Fail(t.error());
  ojson items = ojson::array();
  for (const service::TemplateEntry& e : *t) {
    items.push_back({{"kind", e.kind},
                     {"label", e.label},
                     {"is_letter", e.is_letter},
                     {"overridden", e.overridden},
                     {"subject", e.subject},
                     {"body", e.body},
                     {"updated_by", e.updated_by},
                     {"updated_at", e.updated_at}});
  }
  SendJson(res, 200, Dump(ojson{{"organisme", org}, {"items", items}}));
  return {};
}

Status PutTemplate(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"subject", "body"}); !s) return s;
  auto subject = Text(*j, "subject", false);
  if (!subject) return Fail(subject.error());
  auto body = Text(*j, "body", true);
  if (!body) return Fail(body.error());
  service::LettersService svc(*call.store, call.svc->clock());
  if (auto s = svc.SaveTemplate(call.who, FundOf(call, req), std::string(req.matches[1]),
                                subject->value_or(""), **body);
      !s) {
    return s;
  }
  return ListTemplates(call, req, res);
}

Status DeleteTemplate(Call& call, const httplib::Request& req, httplib::Response& res) {
  service::LettersService svc(*call.store, call.svc->clock());
  if (auto s = svc.ResetTemplate(call.who, FundOf(call, req), std::string(req.matches[1])); !s) {
    return s;
  }
  return ListTemplates(call, req, res);
}

Status ListOrientations(Call& call, const httplib::Request& req, httplib::Response& res) {
  service::LettersService svc(*call.store, call.svc->clock());
  const std::string org = FundOf(call, req);
  auto l = svc.Orientations(call.who, org);
  if (!l) return Fail(l.error());
  ojson items = ojson::array();
  for (const OrientationEntry& e : *l) {
    items.push_back({{"code", e.code}, {"label", e.label}, {"position", e.position}});
  }
  SendJson(res, 200, Dump(ojson{{"organisme", org}, {"items", items}}));
  return {};
}

Status PutOrientation(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"label", "position"}); !s) return s;
  auto label = Text(*j, "label", true);
  if (!label) return Fail(label.error());
  OrientationEntry e;
  e.organisme = FundOf(call, req);
  e.code = std::string(req.matches[1]);
  e.label = **label;
  if (auto it = j->find("position"); it != j->end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Fail(msg::Invalid("api.field_integer", "position", {"position"}));
    }
    e.position = it->get<int>();
  }
  service::LettersService svc(*call.store, call.svc->clock());
  if (auto s = svc.SaveOrientation(call.who, e); !s) return s;
  return ListOrientations(call, req, res);
}

Status DeleteOrientation(Call& call, const httplib::Request& req, httplib::Response& res) {
  service::LettersService svc(*call.store, call.svc->clock());
  if (auto s = svc.RemoveOrientation(call.who, FundOf(call, req), std::string(req.matches[1]));
      !s) {
    return s;
  }
  return ListOrientations(call, req, res);
}

}  // namespace

void RegisterLetterRoutes(httplib::Server& server, Context& ctx) {
  const std::string kCase = R"(/api/v1/cases/([^/]+))";
  server.Post(kCase + "/letters", Route(ctx, Body::kJson, SendLetter));
  server.Get(kCase + "/letters", Route(ctx, Body::kNone, ListLetters));
  server.Get("/api/v1/letter-templates", Route(ctx, Body::kNone, ListTemplates));
  server.Put(R"(/api/v1/letter-templates/([a-z_]+))", Route(ctx, Body::kJson, PutTemplate));
  server.Delete(R"(/api/v1/letter-templates/([a-z_]+))", Route(ctx, Body::kNone, DeleteTemplate));
  server.Get("/api/v1/orientations", Route(ctx, Body::kNone, ListOrientations));
  server.Put(R"(/api/v1/orientations/([^/]+))", Route(ctx, Body::kJson, PutOrientation));
  server.Delete(R"(/api/v1/orientations/([^/]+))", Route(ctx, Body::kNone, DeleteOrientation));
}

}  // namespace amiable::web::api
