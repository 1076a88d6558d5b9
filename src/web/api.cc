// The JSON API under /api/v1/ (docs/api.md). Every route:
//   1. refuses a body over options.max_api_body_bytes (413) or of the wrong
//      type (415);
//   2. authenticates "Authorization: Bearer <token>" (401);
//   3. calls the case service (service/case_service.h) as the token's user:
//      the service checks every rule, the store authorizes every read and
//      write (another fund's case is simply not found: 404);
//   4. answers errors through SendError (web/http_errors.h): code, the
//      catalogue key in message_id, the French message, the field.
// Bodies and query strings are parsed by web/case_json.h; no rule lives in
// a handler.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/messages.h"
#include "figures/figures.h"
#include "service/fund_today.h"
#include "web/api_internal.h"
#include "web/auth.h"
#include "web/http_errors.h"
#include "web/upload_form.h"

namespace amiable::web::api {
namespace {

Result<Call> Authenticate(Context& ctx, const httplib::Request& req) {
  if (!req.has_header("Authorization")) {
    return Fail(msg::Make(Error::Code::kUnauthorized, "api.token_missing"));
  }
  const std::string token = BearerToken(req.get_header_value("Authorization"));
  if (token.empty()) return Fail(msg::Make(Error::Code::kUnauthorized, "api.token_malformed"));
  auto store = ctx.stores->Acquire();
  if (!store) return Fail(store.error());
  auto user = (*store)->UserForTokenHash(HashToken(token));
  if (!user) {
    if (user.error().code == Error::Code::kUnavailable) store->Discard();
    if (user.error().code == Error::Code::kUnauthorized) {
      return Fail(msg::Make(Error::Code::kUnauthorized, "api.token_invalid"));
    }
    return Fail(user.error());
  }
  SetLogUser(user->name);
  Call call{std::move(*store), service::Caller::OfUser(*user), &ctx, std::nullopt};
  call.svc.emplace(ctx, *call.store);
  return call;
}

bool IsJsonContentType(std::string_view value, bool allow_merge_patch) {
  std::string media(value.substr(0, value.find(';')));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return media == "application/json" ||
         (allow_merge_patch && media == "application/merge-patch+json");
}

Status GetStats(Call& call, const httplib::Request& req, httplib::Response& res) {
  auto q = ParseStatsQuery(ParamsOf(req), TodayIn(call.svc->clock(), Zone::kMetropole));
  if (!q) return Fail(q.error());
  const Actor& actor = call.who.actor;
  std::vector<std::string> organismes = q->organismes;
  if (!actor.all_funds) {
    if (organismes.empty()) organismes = actor.organismes;
    if (organismes.empty()) return Fail(msg::Forbidden("role.no_fund"));
    for (const std::string& o : organismes) {
      if (!actor.CanSee(o)) {
        Error e = msg::Forbidden("role.not_your_fund", {o});
        e.field = "organisme";
        return Fail(e);
      }
    }
    std::sort(organismes.begin(), organismes.end());
  }
  // Not given: the year and as_of of the funds' local date (issue 11,
  // item 7), the Paris date for funds of several zones or all funds.
  {
    const QueryParams params = ParamsOf(req);
    auto given = [&](std::string_view k) {
      return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == k; });
    };
    const Date local = service::TodayForFunds(call.svc->clock(), &*call.store, organismes);
    if (!given("as_of")) q->as_of = local;
    if (!given("year")) q->year = local.year();
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
  call.ctx->audit->Record(actor, "stats.read",
                          fmt::format("{} {}", q->year, fmt::join(organismes, ",")));
  return {};
}

Status GetMe(Call& call, const httplib::Request&, httplib::Response& res) {
  SendJson(res, 200, UserJson(call.who.user));
  return {};
}

}  // namespace

httplib::Server::Handler Route(Context& ctx, Body body, Handler handler) {
  return [&ctx, body, handler = std::move(handler)](const httplib::Request& req,
                                                    httplib::Response& res) {
    if (body != Body::kNone) {
      if (req.body.size() > ctx.options->max_api_body_bytes && body != Body::kBytes) {
        SendError(res, msg::Make(Error::Code::kTooLarge, "api.body_too_large", {},
                                 {std::to_string(ctx.options->max_api_body_bytes)}));
        return;
      }
      if (body != Body::kBytes &&
          !IsJsonContentType(req.get_header_value("Content-Type"), body == Body::kJsonPatch)) {
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

httplib::Server::HandlerWithContentReader RouteWithReader(Context& ctx, ReaderHandler handler) {
  return [&ctx, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                              const httplib::ContentReader& reader) {
    auto call = Authenticate(ctx, req);
    if (!call) {
      DrainBody(req, reader);
      if (call.error().code == Error::Code::kUnauthorized) {
        res.set_header("WWW-Authenticate", "Bearer realm=\"amiable\"");
      }
      SendError(res, call.error());
      return;
    }
    Status s = handler(*call, req, res, reader);
    if (!s) {
      if (s.error().code == Error::Code::kUnavailable) call->store.Discard();
      SendError(res, s.error());
    }
  };
}

QueryParams ParamsOf(const httplib::Request& req) {
  QueryParams out;
  for (const auto& [k, v] : req.params) out.emplace_back(k, v);
  return out;
}

Result<int64_t> IdParam(std::string_view text, std::string_view field) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty() || v < 0) {
    return Fail(msg::Invalid("api.bad_id", std::string(field), {field}));
  }
  return v;
}

}  // namespace amiable::web::api

namespace amiable::web {

void RegisterApiRoutes(httplib::Server& server, Context& ctx) {
  using api::Body;
  using api::Route;
  server.Get("/api/v1/me", Route(ctx, Body::kNone, api::GetMe));
  server.Get("/api/v1/stats", Route(ctx, Body::kNone, api::GetStats));
  api::RegisterCaseRoutes(server, ctx);
  api::RegisterDetailRoutes(server, ctx);
  api::RegisterInternalRequestRoutes(server, ctx);
  api::RegisterLetterRoutes(server, ctx);
}

}  // namespace amiable::web
