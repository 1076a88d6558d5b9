// The JSON API under /api/v1/ (issue 2, item 7). Every route:
//   1. refuses a body over options.max_api_body_bytes (413) or not JSON (415);
//   2. authenticates "Authorization: Bearer <token>" (401);
//   3. acts as the token's user: the store authorizes every read and write
//      by that Actor (another fund's case is simply not found: 404);
//   4. answers errors through SendError (web/http_errors.h).
// Bodies and query strings are parsed by web/case_json.h.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/lifecycle.h"
#include "figures/figures.h"
#include "web/auth.h"
#include "web/case_json.h"
#include "web/conflict_check.h"
#include "web/http_errors.h"
#include "web/routes.h"

namespace amiable::web {
namespace {

// One authenticated API request.
struct Call {
  StorePool::Lease store;
  User user;
  Actor actor;
  Context* ctx;
};

Error Unauthorized(std::string message) {
  return {Error::Code::kUnauthorized, std::move(message), {}, 0};
}
Error Forbidden(std::string message) {
  return {Error::Code::kForbidden, std::move(message), {}, 0};
}
Error TooLarge(std::string message) { return {Error::Code::kTooLarge, std::move(message), {}, 0}; }

Result<Call> Authenticate(Context& ctx, const httplib::Request& req) {
  if (!req.has_header("Authorization")) {
    return Fail(Unauthorized("missing API token: send 'Authorization: Bearer <token>'"));
  }
  const std::string token = BearerToken(req.get_header_value("Authorization"));
  if (token.empty()) {
    return Fail(Unauthorized("malformed Authorization header: expected 'Bearer <token>'"));
  }
  auto store = ctx.stores->Acquire();
  if (!store) return Fail(store.error());
  auto user = (*store)->UserForTokenHash(HashToken(token));
  if (!user) {
    if (user.error().code == Error::Code::kUnavailable) store->Discard();
    if (user.error().code == Error::Code::kUnauthorized) {
      return Fail(Unauthorized("invalid or revoked API token"));
    }
    return Fail(user.error());
  }
  SetLogUser(user->name);
  Actor actor = user->ToActor();
  return Call{std::move(*store), std::move(*user), std::move(actor), &ctx};
}

bool IsJsonContentType(std::string_view value, bool allow_merge_patch) {
  std::string media(value.substr(0, value.find(';')));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return media == "application/json" ||
         (allow_merge_patch && media == "application/merge-patch+json");
}

enum class Body { kNone, kJson, kJsonPatch };

using ApiHandler = std::function<Status(Call&, const httplib::Request&, httplib::Response&)>;

// Wraps an API route: body checks, authentication, error answers.
httplib::Server::Handler Route(Context& ctx, Body body, ApiHandler handler) {
  return [&ctx, body, handler = std::move(handler)](const httplib::Request& req,
                                                    httplib::Response& res) {
    if (body != Body::kNone) {
      if (req.body.size() > ctx.options->max_api_body_bytes) {
        SendError(res, TooLarge(fmt::format("request body too large (at most {} bytes)",
                                            ctx.options->max_api_body_bytes)));
        return;
      }
      if (!IsJsonContentType(req.get_header_value("Content-Type"), body == Body::kJsonPatch)) {
        SendJson(res, kUnsupportedMediaType, UnsupportedMediaTypeJson("application/json"));
        return;
      }
    }
    auto call = Authenticate(ctx, req);
    if (!call) {
      if (call.error().code == Error::Code::kUnauthorized) {
        res.set_header("WWW-Authenticate", "Bearer realm=\"amiable\"");
      }
      SendError(res, call.error());
      return;
    }
    Status s = handler(*call, req, res);
    if (!s) {
      if (s.error().code == Error::Code::kUnavailable) call->store.Discard();
      SendError(res, s.error());
    }
  };
}

// Statistics readers see figures, never individual cases.
Status RequireCaseReader(const Actor& a) {
  if (a.role == Role::kStatisticsReader) {
    return Fail(Forbidden("a statistics reader has no access to individual cases"));
  }
  return {};
}
Status RequireCaseWriter(const Actor& a) { return RequireCaseReader(a); }

QueryParams ParamsOf(const httplib::Request& req) {
  QueryParams out;
  for (const auto& [k, v] : req.params) out.emplace_back(k, v);
  return out;
}

// The calendar of a case's fund; the metropolitan one if the fund vanished.
WorkCalendar FundCalendar(Store& store, std::string_view organisme) {
  auto o = store.GetOrganisme(organisme);
  return o ? CalendarOf(*o) : WorkCalendar{};
}

// Answers the full document of a case, read back from the store.
Status SendCase(Call& call, std::string_view reference, int status, httplib::Response& res) {
  Store& store = *call.store;
  auto c = store.GetCase(call.actor, reference);
  if (!c) return Fail(c.error());
  auto history = store.History(call.actor, reference);
  if (!history) return Fail(history.error());
  auto people = store.People(call.actor, reference);
  if (!people) return Fail(people.error());
  std::vector<std::string_view> allowed = AllowedEvents(*c);
  CaseView v;
  v.c = &*c;
  v.deadline = ComputeDeadline(*c, FundCalendar(store, c->organisme), call.ctx->Today());
  v.allowed_events = &allowed;
  v.history = &*history;
  v.people = &*people;
  SendJson(res, status, CaseJson(v));
  return {};
}

Status CreateCase(Call& call, const httplib::Request& req, httplib::Response& res) {
  if (auto s = RequireCaseWriter(call.actor); !s) return s;
  const std::string default_organisme = (!call.actor.all_funds && call.actor.organismes.size() == 1)
                                            ? call.actor.organismes[0]
                                            : std::string();
  auto parsed = ParseCreateBody(req.body, call.ctx->Today(), default_organisme);
  if (!parsed) return Fail(parsed.error());
  Store& store = *call.store;
  CaseEvent event;
  event.at = NowTimestamp();
  event.actor = call.user.name;
  event.kind = "create";
  event.detail = "Demande enregistrée par " + call.user.name + " (API)";
  // One transaction: the case, its creation event and its people; the
  // store generates ORG-YYYY-NNNNN from a counter when no reference is given.
  Submission submission;
  submission.c = std::move(parsed->c);
  submission.event = std::move(event);
  submission.people = std::move(parsed->people);
  auto created = store.SubmitCase(call.actor, submission);
  if (!created) return Fail(created.error());
  const std::string reference = *created;
  res.set_header("Location", "/api/v1/cases/" + reference);
  return SendCase(call, reference, 201, res);
}

Status GetCase(Call& call, const httplib::Request& req, httplib::Response& res) {
  if (auto s = RequireCaseReader(call.actor); !s) return s;
  const std::string reference = req.matches[1];
  if (auto s = SendCase(call, reference, 200, res); !s) return s;
  call.ctx->audit->Record(call.actor, "case.read", reference);
  return {};
}

Status ListCases(Call& call, const httplib::Request& req, httplib::Response& res) {
  if (auto s = RequireCaseReader(call.actor); !s) return s;
  auto filter = ParseListQuery(ParamsOf(req), call.ctx->Today());
  if (!filter) return Fail(filter.error());
  Store& store = *call.store;
  int64_t total = 0;
  auto cases = store.ListCases(call.actor, *filter, &total);
  if (!cases) return Fail(cases.error());
  std::map<std::string, WorkCalendar> calendars;
  if (!cases->empty()) {
    auto organismes = store.ListOrganismes();
    if (!organismes) return Fail(organismes.error());
    for (const Organisme& o : *organismes) calendars[o.code] = CalendarOf(o);
  }
  std::vector<CaseView> views;
  views.reserve(cases->size());
  for (const Case& c : *cases) {
    CaseView v;
    v.c = &c;
    auto cal = calendars.find(c.organisme);
    v.deadline =
        ComputeDeadline(c, cal == calendars.end() ? WorkCalendar{} : cal->second, filter->today);
    views.push_back(v);
  }
  SendJson(res, 200, CaseListJson(views, total, filter->limit, filter->offset));
  return {};
}

Status StaleVersion(int64_t given, int64_t current) {
  return Fail(Error::Conflict(
      fmt::format("stale version {}: the case is at version {}; reload it", given, current),
      "version"));
}

Status PatchCase(Call& call, const httplib::Request& req, httplib::Response& res) {
  if (auto s = RequireCaseWriter(call.actor); !s) return s;
  const std::string reference = req.matches[1];
  Store& store = *call.store;
  auto c = store.GetCase(call.actor, reference);
  if (!c) return Fail(c.error());
  auto patch = ApplyPatchBody(req.body, *c);
  if (!patch) return Fail(patch.error());
  if (patch->version && *patch->version != c->version) {
    return StaleVersion(*patch->version, c->version);
  }
  if (!patch->changed.empty()) {
    CaseEvent event;
    event.at = NowTimestamp();
    event.actor = call.user.name;
    event.kind = "update";
    std::string fields;
    for (const std::string& f : patch->changed) fields += (fields.empty() ? "" : ", ") + f;
    event.detail = "Champs modifiés : " + fields;
    if (auto s = store.UpdateCase(call.actor, *c, event); !s) return s;
  }
  return SendCase(call, reference, 200, res);
}

// The lifecycle leaves user parameters (assigned_to, to) to the caller: they
// must name an enabled user who may see the case's fund.
Status CheckUserParams(Store& store, const Case& c, const EventRequest& r) {
  for (const ParamSpec& p : EventParams(r.event)) {
    if (p.kind != ParamSpec::Kind::kUser) continue;
    auto it = r.params.find(std::string(p.name));
    if (it == r.params.end()) continue;
    auto u = store.GetUser(it->second);
    if (!u) {
      if (u.error().code == Error::Code::kNotFound) {
        return Fail(Error::Invalid("no user '" + it->second + "'", std::string(p.name)));
      }
      return Fail(u.error());
    }
    if (u->disabled || u->role == Role::kStatisticsReader || !u->ToActor().CanSee(c.organisme)) {
      return Fail(
          Error::Invalid("user '" + it->second + "' cannot handle cases of fund " + c.organisme,
                         std::string(p.name)));
    }
  }
  return {};
}

Status ApplyCaseEvent(Call& call, const httplib::Request& req, httplib::Response& res) {
  if (auto s = RequireCaseWriter(call.actor); !s) return s;
  const std::string reference = req.matches[1];
  auto body = ParseEventBody(req.body, call.user.name);
  if (!body) return Fail(body.error());
  Store& store = *call.store;
  auto c = store.GetCase(call.actor, reference);
  if (!c) return Fail(c.error());
  if (body->version && *body->version != c->version)
    return StaleVersion(*body->version, c->version);
  if (auto s = CheckUserParams(store, *c, body->request); !s) return s;
  // Conflicts of interest: refuses take_in_charge by a mediator whose
  // declared links suggest a recusal (409), and hands no case back to
  // someone who recused from it.
  if (auto s = CheckConflicts(store, call.actor, *c, body->request, call.ctx->Today()); !s) {
    return s;
  }
  const Case before = *c;
  auto event = ApplyEvent(*c, body->request, call.ctx->Today(), NowTimestamp());
  if (!event) return Fail(event.error());
  if (auto s = SaveEvent(store, call.actor, before, *c, body->request, *event); !s) return s;
  Status sent = SendCase(call, reference, 200, res);
  if (!sent && sent.error().code == Error::Code::kNotFound && body->request.event == "recuse") {
    // A mediator who recused no longer sees the case: say what happened
    // without any element of it.
    nlohmann::json j = {{"reference", reference},
                        {"recused", true},
                        {"assigned_to", c->assigned_to},
                        {"message", "Déport enregistré : ce dossier ne vous est plus accessible."}};
    SendJson(res, 200, j.dump());
    return {};
  }
  return sent;
}

Status GetStats(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto q = ParseStatsQuery(ParamsOf(req), call.ctx->Today());
  if (!q) return Fail(q.error());
  std::vector<std::string> organismes = q->organismes;
  if (!call.actor.all_funds) {
    if (organismes.empty()) organismes = call.actor.organismes;
    if (organismes.empty()) return Fail(Forbidden("this account sees no fund"));
    for (const std::string& o : organismes) {
      if (!call.actor.CanSee(o)) {
        return Fail(Error{Error::Code::kForbidden, "not one of your funds: " + o, "organisme", 0});
      }
    }
    std::sort(organismes.begin(), organismes.end());
  }
  auto figures = ComputeFigures(*call.store, organismes, q->year, q->as_of);
  if (!figures) {
    Error e = figures.error();
    // An unknown fund in the query string is a bad parameter, not a missing
    // resource of the path.
    if (e.code == Error::Code::kNotFound && e.field.empty()) e.field = "organisme";
    return Fail(e);
  }
  SendJson(res, 200, FiguresToJson(*figures));
  call.ctx->audit->Record(call.actor, "stats.read",
                          fmt::format("{} {}", q->year, fmt::join(organismes, ",")));
  return {};
}

Status GetMe(Call& call, const httplib::Request&, httplib::Response& res) {
  SendJson(res, 200, UserJson(call.user));
  return {};
}

}  // namespace

void RegisterApiRoutes(httplib::Server& server, Context& ctx) {
  constexpr const char* kCase = R"(/api/v1/cases/([^/]+))";
  constexpr const char* kCaseEvents = R"(/api/v1/cases/([^/]+)/events)";
  server.Get("/api/v1/me", Route(ctx, Body::kNone, GetMe));
  server.Post("/api/v1/cases", Route(ctx, Body::kJson, CreateCase));
  server.Get("/api/v1/cases", Route(ctx, Body::kNone, ListCases));
  server.Get(kCase, Route(ctx, Body::kNone, GetCase));
  server.Patch(kCase, Route(ctx, Body::kJsonPatch, PatchCase));
  server.Post(kCaseEvents, Route(ctx, Body::kJson, ApplyCaseEvent));
  server.Get("/api/v1/stats", Route(ctx, Body::kNone, GetStats));
}

}  // namespace amiable::web
