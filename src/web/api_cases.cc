// API routes of the cases themselves: create, read, list, search, edit, and
// lifecycle events; the receiving mediators of a recusal and the conflict
// assessment that pre-fills it.
#include <nlohmann/json.hpp>

#include <map>

#include "core/messages.h"
#include "service/fund_today.h"
#include "web/api_internal.h"

namespace amiable::web::api {
namespace {

WorkCalendar FundCalendar(Store& store, std::string_view organisme) {
  auto o = store.GetOrganisme(organisme);
  return o ? CalendarOf(*o) : WorkCalendar{};
}

Status CreateCase(Call& call, const httplib::Request& req, httplib::Response& res) {
  const Actor& a = call.who.actor;
  const std::string default_organisme =
      (!a.all_funds && a.organismes.size() == 1) ? a.organismes[0] : std::string();
  // The default and latest reception date: today in the fund's zone (issue
  // 11, item 7), the fund read from the body before it is parsed in full.
  std::string fund = default_organisme;
  {
    auto peek = nlohmann::json::parse(req.body, nullptr, false);
    if (peek.is_object()) {
      auto it = peek.find("organisme");
      if (it != peek.end() && it->is_string()) fund = it->get<std::string>();
    }
  }
  auto parsed = ParseCreateBody(req.body, call.cases().TodayFor(fund), default_organisme);
  if (!parsed) return Fail(parsed.error());
  service::Registration r;
  r.c = std::move(parsed->c);
  r.people = std::move(parsed->people);
  r.via = "API";
  auto created = call.cases().Register(call.who, std::move(r));
  if (!created) return Fail(created.error());
  res.set_header("Location", "/api/v1/cases/" + *created);
  return SendCase(call, *created, 201, res);
}

Status GetCase(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string reference = req.matches[1];
  if (auto s = SendCase(call, reference, 200, res); !s) return s;
  call.ctx->audit->Record(call.who.actor, "case.read", reference);
  return {};
}

std::string ListJson(Call& call, const std::vector<Case>& cases, int64_t total, int limit,
                     int offset) {
  const Instant now = call.svc->clock().Now();
  std::map<std::string, WorkCalendar> calendars;
  std::vector<CaseView> views;
  views.reserve(cases.size());
  for (const Case& c : cases) {
    auto cal = calendars.find(c.organisme);
    if (cal == calendars.end()) {
      cal = calendars.emplace(c.organisme, FundCalendar(*call.store, c.organisme)).first;
    }
    CaseView v;
    v.c = &c;
    // The deadline at the case's fund's date (issue 11, item 7).
    v.deadline = ComputeDeadline(c, cal->second, LocalDate(now, cal->second.zone));
    views.push_back(v);
  }
  return CaseListJson(views, total, limit, offset);
}

Status ListCases(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto filter = ParseListQuery(ParamsOf(req), service::TodayForActor(call.svc->clock(), *call.store,
                                                                      call.who.actor));
  if (!filter) return Fail(filter.error());
  int64_t total = 0;
  auto cases = call.cases().List(call.who, *filter, &total);
  if (!cases) return Fail(cases.error());
  SendJson(res, 200, ListJson(call, *cases, total, filter->limit, filter->offset));
  call.ctx->audit->Record(call.who.actor, "case.list", req.target.substr(0, 200));
  return {};
}

Status SearchCases(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string q = req.get_param_value("q");
  int limit = 50;
  if (req.has_param("limit")) {
    auto l = IdParam(req.get_param_value("limit"), "limit");
    if (!l || *l < 1 || *l > kMaxListLimit) {
      return Fail(msg::Invalid("api.bad_limit", "limit", {std::to_string(kMaxListLimit)}));
    }
    limit = static_cast<int>(*l);
  }
  int64_t total = 0;
  auto cases = call.cases().Search(call.who, q, limit, &total);
  if (!cases) return Fail(cases.error());
  SendJson(res, 200, ListJson(call, *cases, total, limit, 0));
  // The store keeps the terms as a keyed hash only (store/audit_store.h).
  call.ctx->audit->Record(call.who.actor, "case.search", q);
  return {};
}

Status PatchCase(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string reference = req.matches[1];
  auto body = ParseEditBody(req.body);
  if (!body) return Fail(body.error());
  service::ClassificationEdit e;
  e.fields = std::move(body->fields);
  e.guard.version = body->guard.version;
  e.guard.confirm_published = body->guard.confirm_published;
  e.via = "API";
  auto c = call.cases().Edit(call.who, reference, e);
  if (!c) return Fail(c.error());
  return SendCase(call, reference, 200, res);
}

Status ApplyCaseEvent(Call& call, const httplib::Request& req, httplib::Response& res) {
  const std::string reference = req.matches[1];
  auto body = ParseEventBody(req.body, call.who.name());
  if (!body) return Fail(body.error());
  service::EventCall ec;
  ec.request = std::move(body->request);
  ec.guard.version = body->version;
  ec.guard.confirm_published = body->confirm_published;
  ec.confirm_unknown = std::move(body->confirm_unknown);
  auto out = call.cases().Apply(call.who, reference, std::move(ec));
  if (!out) return Fail(out.error());
  if (!out->still_visible) {
    // A mediator who recused no longer sees the case: say what happened
    // without any element of it.
    nlohmann::json j = {{"reference", reference},
                        {"recused", true},
                        {"assigned_to", out->c.assigned_to},
                        {"message_id", "recuse.done"},
                        {"message", msg::Format("recuse.done")}};
    SendJson(res, 200, j.dump());
    return {};
  }
  return SendCase(call, reference, 200, res);
}

Status ReceivingMediators(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto users = call.cases().ReceivingMediators(call.who, std::string(req.matches[1]));
  if (!users) return Fail(users.error());
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const User& u : *users) {
    items.push_back({{"name", u.name}, {"display_name", u.display_name}, {"organismes", u.organismes}});
  }
  SendJson(res, 200, nlohmann::ordered_json{{"items", items}}.dump());
  return {};
}

Status ConflictAssessment(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto a = call.cases().Assess(call.who, std::string(req.matches[1]),
                               req.get_param_value("mediator"));
  if (!a) return Fail(a.error());
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  std::string interference;
  for (const ConflictFinding& f : a->findings) {
    findings.push_back({{"explanation", f.explanation},
                        {"intensite", f.intensity == Intensity::kStrong ? "forte" : "moderee"}});
  }
  nlohmann::ordered_json j = {{"recusal_suggested", a->recusal_suggested},
                              {"summary", a->summary},
                              {"findings", findings}};
  SendJson(res, 200, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return {};
}

}  // namespace

Status SendCase(Call& call, std::string_view reference, int status, httplib::Response& res) {
  auto d = call.cases().Get(call.who, reference);
  if (!d) return Fail(d.error());
  CaseView v;
  v.c = &d->c;
  v.deadline = ComputeDeadline(d->c, CalendarOf(d->fund), d->today);
  v.allowed_events = &d->allowed_events;
  v.history = &d->history;
  v.people = &d->people;
  v.thread = &d->thread;
  auto requests =
      service::InternalRequestService(*call.store, call.svc->clock()).List(call.who, reference);
  if (!requests) return Fail(requests.error());
  v.internal_requests = &*requests;
  SendJson(res, status, CaseJson(v));
  return {};
}

void RegisterCaseRoutes(httplib::Server& server, Context& ctx) {
  constexpr const char* kCase = R"(/api/v1/cases/([^/]+))";
  server.Post("/api/v1/cases", Route(ctx, Body::kJson, CreateCase));
  server.Get("/api/v1/cases", Route(ctx, Body::kNone, ListCases));
  server.Get("/api/v1/search", Route(ctx, Body::kNone, SearchCases));
  server.Get(kCase, Route(ctx, Body::kNone, GetCase));
  server.Patch(kCase, Route(ctx, Body::kJsonPatch, PatchCase));
  server.Post(R"(/api/v1/cases/([^/]+)/events)", Route(ctx, Body::kJson, ApplyCaseEvent));
  server.Get(R"(/api/v1/cases/([^/]+)/receiving-mediators)",
             Route(ctx, Body::kNone, ReceivingMediators));
  server.Get(R"(/api/v1/cases/([^/]+)/conflict)", Route(ctx, Body::kNone, ConflictAssessment));
}

}  // namespace amiable::web::api
