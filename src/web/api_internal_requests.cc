// API routes of the internal requests (G@ci) of a case and of the services of
// a fund: parse → one call of service/internal_requests.h → answer.
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "service/internal_requests.h"
#include "web/api_internal.h"

namespace amiable::web::api {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

std::string Dump(const ojson& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

service::InternalRequestService Requests(Call& call) {
  return service::InternalRequestService(*call.store, call.svc->clock());
}

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

Status List(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto list = Requests(call).List(call.who, std::string(req.matches[1]));
  if (!list) return Fail(list.error());
  SendJson(res, 200, InternalRequestListJson(*list));
  return {};
}

// {"service": code, "question": text}
Status Ask(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"service", "question"}); !s) return s;
  auto service = Text(*j, "service", true);
  if (!service) return Fail(service.error());
  auto question = Text(*j, "question", false);
  if (!question) return Fail(question.error());
  auto r = Requests(call).Ask(call.who, std::string(req.matches[1]), *service, *question);
  if (!r) return Fail(r.error());
  SendJson(res, 201, InternalRequestJson(*r));
  return {};
}

// {"answered_on": "YYYY-MM-DD"} (default: today in the fund's zone)
Status Answer(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto j = Object(req);
  if (!j) return Fail(j.error());
  if (auto s = OnlyKeys(*j, {"answered_on"}); !s) return s;
  auto text = Text(*j, "answered_on", false);
  if (!text) return Fail(text.error());
  auto id = IdParam(std::string(req.matches[2]), "id");
  if (!id) return Fail(id.error());
  const std::string ref = req.matches[1];
  Date day;
  if (text->empty()) {
    auto c = call.cases().GetCase(call.who, ref);
    if (!c) return Fail(c.error());
    day = call.cases().TodayFor(c->organisme);
  } else {
    auto d = Date::Parse(*text);
    if (!d) return Fail(msg::Invalid("internal_request.answer_date", "answered_on", {*text}));
    day = *d;
  }
  auto r = Requests(call).RecordAnswer(call.who, ref, *id, day, "");
  if (!r) return Fail(r.error());
  SendJson(res, 200, InternalRequestJson(*r));
  return {};
}

Status Pending(Call& call, const httplib::Request&, httplib::Response& res) {
  auto list = Requests(call).Pending(call.who);
  if (!list) return Fail(list.error());
  SendJson(res, 200, InternalRequestListJson(*list, /*with_reference=*/true));
  return {};
}

Status Services(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto list = Requests(call).Services(call.who, std::string(req.matches[1]));
  if (!list) return Fail(list.error());
  ojson items = ojson::array();
  for (const FundService& s : *list) {
    items.push_back(
        {{"code", s.code}, {"label", s.label}, {"address", s.address}, {"active", s.active}});
  }
  SendJson(res, 200, Dump(ojson{{"items", items}}));
  return {};
}

}  // namespace

void RegisterInternalRequestRoutes(httplib::Server& server, Context& ctx) {
  constexpr const char* kRequests = R"(/api/v1/cases/([^/]+)/internal-requests)";
  server.Get(kRequests, Route(ctx, Body::kNone, List));
  server.Post(kRequests, Route(ctx, Body::kJson, Ask));
  server.Post(std::string(kRequests) + R"(/(\d+)/answer)", Route(ctx, Body::kJson, Answer));
  server.Get("/api/v1/internal-requests/pending", Route(ctx, Body::kNone, Pending));
  server.Get(R"(/api/v1/organismes/([^/]+)/services)", Route(ctx, Body::kNone, Services));
}

}  // namespace amiable::web::api
