// Shared by the page route files (pages.cc, pages_workspace.cc,
// pages_report.cc). Internal.
#ifndef AMIABLE_WEB_PAGES_INTERNAL_H_
#define AMIABLE_WEB_PAGES_INTERNAL_H_

#include <kainjow/mustache.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/nomenclature.h"
#include "store/store.h"
#include "web/routes.h"
#include "web/session.h"
#include "web/upload.h"

namespace amiable::web::pages {

using Data = kainjow::mustache::data;
using List = kainjow::mustache::list;

struct Env {
  Context* ctx = nullptr;
  std::string web_root;
  DocumentFolder documents{"var/documents"};
  std::string public_organisme;  // "" = the only fund
  FormTokens form_tokens;
  SignInThrottle throttle;
  std::unique_ptr<RateLimiter> form_limiter;
};

// A signed-in page request.
struct Signed {
  User user;
  Actor actor;
  WebSession session;
};

// Form fields of a urlencoded or multipart body (multipart plain fields
// arrive in req.files with an empty file name), and of the query string.
using Fields = std::multimap<std::string, std::string>;
Fields FormFields(const httplib::Request& req);
std::string Field(const Fields& f, const std::string& name);
std::vector<std::string> FieldAll(const Fields& f, const std::string& name);

// Renders web/templates/<name>.mustache into the layout and sets the
// response (200 unless `status`). `data` gets title, user, csrf, nav flags.
void SendPage(Env& env, httplib::Response& res, std::string_view name, Data& data,
              const Signed* who, int status = 200);
std::string RenderTemplate(Env& env, std::string_view name, Data& data);
// Renders a template alone (htmx partial updates).
void SendFragment(Env& env, httplib::Response& res, std::string_view name, Data& data);
void Redirect(httplib::Response& res, const std::string& to);
// An error page in the layout.
void SendErrorPage(Env& env, httplib::Response& res, int status, std::string_view message,
                   const Signed* who);

// The session of the request, or nullopt (not signed in, expired, disabled).
std::optional<Signed> CurrentUser(Env& env, Store& store, const httplib::Request& req);
// True when the request's csrf field matches the session's token.
bool CsrfOk(const Signed& who, const Fields& f);

// Labels with the store's overrides.
class Labels {
 public:
  explicit Labels(Store& store);
  std::string Of(const Nomenclature& n, std::string_view code) const;
  // Options of a <select>: {code, label, selected} (+ an empty first one).
  List Options(const Nomenclature& n, const std::vector<std::string>& selected,
               bool empty_first) const;

 private:
  std::map<std::string, std::string> overrides_;  // "name.code" -> label
};

// French formats: "26/11/2026", "128 120,06 €" (narrow no-break spaces).
std::string FrenchDate(const std::optional<Date>& d);
std::string Euros(int64_t cents);
std::string Percent(std::optional<double> rate);
// "1 234,56" / "1234.5" / "12" -> cents; nullopt when not a positive amount.
std::optional<int64_t> ParseEuros(std::string_view text);
std::string ClientAddress(const httplib::Request& req);

void RegisterWorkspaceRoutes(httplib::Server& server, Env& env);
// The annual report: /rapport, /rapport/telecharger, /rapport/textes, /qualite.
void RegisterReportRoutes(httplib::Server& server, Env& env);
// The user's own interest links: /liens-interets, /liens-interets/supprimer.
void RegisterInterestRoutes(httplib::Server& server, Env& env);

}  // namespace amiable::web::pages

#endif  // AMIABLE_WEB_PAGES_INTERNAL_H_
