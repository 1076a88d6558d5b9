// Shared by the API's route files (api.cc, api_cases.cc, api_details.cc): an
// authenticated call and its case service. Not a public contract.
#ifndef AMIABLE_WEB_API_INTERNAL_H_
#define AMIABLE_WEB_API_INTERNAL_H_

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>

#include "service/caller.h"
#include "web/case_json.h"
#include "web/routes.h"
#include "web/web_service.h"

namespace amiable::web::api {

// One authenticated API request.
struct Call {
  StorePool::Lease store;
  service::Caller who;
  Context* ctx;
  std::optional<WebService> svc;

  service::CaseService& cases() { return **svc; }
};

enum class Body { kNone, kJson, kJsonPatch, kBytes };
using Handler = std::function<Status(Call&, const httplib::Request&, httplib::Response&)>;

// Wraps an API route: body checks, authentication, error answers.
httplib::Server::Handler Route(Context& ctx, Body body, Handler handler);

// Wraps an API route whose body the handler reads itself, as it arrives
// (the document upload: web/upload_form.h): authentication first, the body
// read and dropped when it fails; then error answers as Route.
using ReaderHandler = std::function<Status(Call&, const httplib::Request&, httplib::Response&,
                                           const httplib::ContentReader&)>;
httplib::Server::HandlerWithContentReader RouteWithReader(Context& ctx, ReaderHandler handler);

QueryParams ParamsOf(const httplib::Request& req);
// Answers the full document of a case, read back through the service.
Status SendCase(Call& call, std::string_view reference, int status, httplib::Response& res);
// An integer path or query parameter; kInvalid naming `field`.
Result<int64_t> IdParam(std::string_view text, std::string_view field);

void RegisterCaseRoutes(httplib::Server& server, Context& ctx);     // api_cases.cc
void RegisterDetailRoutes(httplib::Server& server, Context& ctx);   // api_details.cc
void RegisterInternalRequestRoutes(httplib::Server& server, Context& ctx);  // api_internal_requests.cc
void RegisterLetterRoutes(httplib::Server& server, Context& ctx);   // api_letters.cc

}  // namespace amiable::web::api

#endif  // AMIABLE_WEB_API_INTERNAL_H_
