// Page plumbing (templates, the guard of every page, flash messages by
// catalogue key, fields, formats), static assets. Sign-in, sign-out and the
// second factor are in pages_signin.cc, the public request form in
// pages_public.cc, the workspace pages in pages_<page>.cc.
#include "web/pages.h"

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/messages.h"
#include "web/http_errors.h"
#include "core/french_format.h"
#include "intake/online_form.h"
#include "web/auth.h"
#include "web/pages_internal.h"
#include "web/pages_import.h"
#include "web/pages_national.h"
#include "web/pages_letters.h"
#include "web/pages_recommendations.h"

namespace amiable::web::pages {
void RegisterJournalRoutes(httplib::Server& server, Env& env);  // /journal (pages_journal.cc)
}  // namespace amiable::web::pages

namespace amiable::web {
namespace pages {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parsed templates, per worker thread (kainjow's renderer is not const).
kainjow::mustache::mustache& Template(const Env& env, std::string_view name) {
  thread_local std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> cache;
  std::string key = env.web_root + "|" + std::string(name);
  auto it = cache.find(key);
  if (it == cache.end()) {
    std::string text = ReadFile(env.web_root + "/templates/" + std::string(name) + ".mustache");
    if (text.empty()) text = "<p>Gabarit manquant.</p>";
    it = cache.emplace(key, std::make_unique<kainjow::mustache::mustache>(text)).first;
  }
  return *it->second;
}

}  // namespace

Fields FormFields(const httplib::Request& req) {
  Fields f;
  for (const auto& [k, v] : req.params) f.emplace(k, v);
  for (const auto& [k, file] : req.files) {
    if (file.filename.empty()) f.emplace(k, file.content);
  }
  return f;
}

Fields BodyFields(const httplib::Request& req) {
  Fields f;
  if (req.is_multipart_form_data()) {
    for (const auto& [k, file] : req.files) {
      if (file.filename.empty()) f.emplace(k, file.content);
    }
    return f;
  }
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    httplib::Params params;
    httplib::detail::parse_query_text(req.body, params);
    for (auto& [k, v] : params) f.emplace(k, v);
  }
  return f;
}

std::string Field(const Fields& f, const std::string& name) {
  auto it = f.find(name);
  return it == f.end() ? std::string() : it->second;
}

std::vector<std::string> FieldAll(const Fields& f, const std::string& name) {
  std::vector<std::string> out;
  auto [b, e] = f.equal_range(name);
  for (auto it = b; it != e; ++it) {
    if (!it->second.empty()) out.push_back(it->second);
  }
  return out;
}

void SendPage(Env& env, httplib::Response& res, std::string_view name, Data& data,
              const Signed* who, int status) {
  if (who) {
    Data user;
    user.set("name", who->user.name);
    user.set("display_name", who->user.display_name.empty() ? who->user.name
                                                             : who->user.display_name);
    user.set("role", RoleLabel(who->user.role));
    user.set("role_code", RoleCode(who->user.role));
    data.set("user", user);
    data.set("csrf", who->session.csrf_token);
    data.set("can_cases", !SeesNoCases(who->user.role));
    data.set("is_admin", who->user.role == Role::kAdministrator);
    data.set("may_import",
             who->user.role == Role::kManager || who->user.role == Role::kAdministrator);
    data.set("can_national",
             who->user.role == Role::kAdministrator || who->user.role == Role::kNational);
    data.set("can_journal",
             who->user.role == Role::kAdministrator || who->user.role == Role::kDpo);
  }
  // The layout reads the page's own data (title, user...) plus the rendered
  // body: set it in place rather than copying the whole page's data.
  data.set("body", Template(env, name).render(data));
  res.status = status;
  res.set_content(Template(env, "layout").render(data), "text/html; charset=utf-8");
}

std::string RenderTemplate(Env& env, std::string_view name, Data& data) {
  return Template(env, name).render(data);
}

void SendFragment(Env& env, httplib::Response& res, std::string_view name, Data& data) {
  res.status = 200;
  res.set_content(Template(env, name).render(data), "text/html; charset=utf-8");
}

List FundOptions(std::span<const Organisme> funds, std::string_view selected) {
  List out;
  for (const Organisme& o : funds) {
    Data od;
    od.set("code", o.code);
    od.set("label", o.code + " — " + o.name);
    od.set("selected", o.code == selected);
    out.push_back(od);
  }
  return out;
}

void Redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
  res.set_content("", "text/plain");
}

void SendErrorPage(Env& env, httplib::Response& res, int status, std::string_view message,
                   const Signed* who) {
  Data d;
  std::string title = status == 404   ? "Page introuvable"
                      : status == 403 ? "Accès refusé"
                      : status == 413 ? "Envoi trop volumineux"
                      : status == 429 ? "Trop de demandes"
                      : status >= 500 ? "Erreur du serveur"
                                      : "Requête refusée";
  d.set("title", title);
  d.set("message", std::string(message));
  SendPage(env, res, "erreur", d, who, status);
}

std::optional<Signed> CurrentUser(Env& env, Store& store, const httplib::Request& req) {
  const std::string secret = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
  if (secret.empty() || secret.size() > 100) return std::nullopt;
  const int64_t now = UnixNow();
  const std::string id_hash = HashToken(secret);
  auto s = store.GetWebSession(id_hash, IsoUtc(now));
  if (!s) return std::nullopt;
  // The idle time: last_seen is written at most once a minute.
  const int idle = env.ctx->options->session_idle_minutes > 0
                       ? env.ctx->options->session_idle_minutes
                       : kDefaultIdleMinutes;
  auto seen = store.TouchWebSession(id_hash, IsoUtc(now), IsoUtc(now - int64_t{idle} * 60),
                                    IsoUtc(now - 60));
  if (!seen || !seen->alive) return std::nullopt;
  auto u = store.GetUser(s->user);
  if (!u || u->disabled) return std::nullopt;
  Signed out{*u, u->ToActor(), *s, seen->needs_second_factor};
  SetLogUser(u->name);
  return out;
}

bool CsrfOk(const Signed& who, const Fields& body) {
  const std::string t = Field(body, "csrf");
  return !t.empty() && ConstantTimeEquals(t, who.session.csrf_token);
}

Verdict Judge(const Signed* who, Need need, bool is_post, const Fields& body) {
  if (!who) return is_post ? Verdict::kSessionExpired : Verdict::kSignIn;
  const Role r = who->user.role;
  // A partner has its own pages (/partenaire): the workspace's case pages
  // show what it must not see (notes, correspondence, history).
  if ((need == Need::kCases && (SeesNoCases(r) || r == Role::kPartner)) ||
      (need == Need::kAdmin && r != Role::kAdministrator)) {
    return Verdict::kRole;
  }
  if (is_post && !CsrfOk(*who, body)) return Verdict::kCsrf;
  return Verdict::kPass;
}

Route Guarded(Env& env, Need need, Handler h) {
  return [&env, need, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
    auto lease = env.ctx->stores->Acquire();
    if (!lease) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
    std::optional<Signed> who = CurrentUser(env, **lease, req);
    const bool is_post = req.method == "POST";
    Fields body = is_post ? BodyFields(req) : Fields{};
    // The CSRF token from the body, or the X-CSRF-Token header; never the
    // query string.
    if (is_post && Field(body, "csrf").empty() && req.has_header("X-CSRF-Token")) {
      body.emplace("csrf", req.get_header_value("X-CSRF-Token"));
    }
    switch (Judge(who ? &*who : nullptr, need, is_post, body)) {
      case Verdict::kPass:
        // A role that must enrol its second factor goes nowhere else first.
        if (who->needs_second_factor && !req.path.starts_with("/compte/second-facteur") &&
            req.path != "/deconnexion") {
          if (is_post) return SendErrorPage(env, res, 403, msg::Find("second_factor.required"), &*who);
          return Redirect(res, "/compte/second-facteur");
        }
        return h(env, *who, **lease, req, res);
      case Verdict::kSignIn:
        return Redirect(res, "/connexion");
      case Verdict::kSessionExpired:
        return SendErrorPage(env, res, 403, msg::Find("page.session_expired"), nullptr);
      case Verdict::kRole:
        return SendErrorPage(env, res, 403, msg::Find("page.role"), &*who);
      case Verdict::kCsrf:
        return SendErrorPage(env, res, 403, msg::Find("page.csrf"), &*who);
    }
  };
}

namespace {
bool HasPlaceholder(const char* text) {
  return text != nullptr && std::string_view(text).find('{') != std::string_view::npos;
}
std::string_view ClassKey(const Error& e) {
  Error plain = e;
  plain.message_id.clear();
  return msg::KeyOf(plain);
}
}  // namespace

void SetFlash(std::string_view ok_key, std::string_view error_key, Data& d) {
  // Keys only; a text with placeholders is never a flash (its arguments
  // would have to come from the URL).
  if (const char* t = msg::Find(ok_key); t && !HasPlaceholder(t)) d.set("flash_ok", t);
  if (const char* t = msg::Find(error_key); t && !HasPlaceholder(t)) d.set("flash_error", t);
}

void SetFlash(const httplib::Request& req, Data& d) {
  SetFlash(req.has_param("ok") ? req.get_param_value("ok") : std::string(),
           req.has_param("erreur") ? req.get_param_value("erreur") : std::string(), d);
}

std::string WithFlash(const std::string& url, bool ok, std::string_view key) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + (ok ? "ok=" : "erreur=") +
         httplib::detail::encode_query_param(std::string(key));
}

std::string_view FlashKey(const Error& e) {
  const std::string_view key = msg::KeyOf(e);
  const char* t = msg::Find(key);
  if (t && !HasPlaceholder(t)) return key;
  return ClassKey(e);
}

std::string ErrorText(const Error& e) {
  if (!e.message_id.empty() && msg::Find(e.message_id)) return e.message;
  return msg::Find(ClassKey(e));
}

std::string ErrorTextWithDetail(const Error& e) {
  if (!e.message_id.empty() && msg::Find(e.message_id)) return e.message;
  std::string out = msg::Find(ClassKey(e));
  if (!e.message.empty() && e.code != Error::Code::kInternal &&
      e.code != Error::Code::kUnavailable) {
    out += " " + e.message;
  }
  return out;
}

int ErrorStatus(const Error& e) { return HttpStatus(e.code); }

const char* RoleLabel(Role r) {
  switch (r) {
    case Role::kMediator: return "Médiateur";
    case Role::kManager: return "Responsable";
    case Role::kAdministrator: return "Administrateur";
    case Role::kStatisticsReader: return "Lecteur de statistiques";
    case Role::kDpo: return "Délégué à la protection des données";
    case Role::kPartner: return "Partenaire";
    case Role::kNational: return "Pôle national";
  }
  return "";
}

Labels::Labels(Store& store) {
  if (auto o = store.LabelOverrides()) {
    for (const LabelOverride& l : *o) overrides_[l.nomenclature + "." + l.code] = l.label;
  }
}

std::string Labels::Of(const Nomenclature& n, std::string_view code) const {
  auto it = overrides_.find(std::string(n.name) + "." + std::string(code));
  if (it != overrides_.end()) return it->second;
  return std::string(n.Label(code));
}

List Labels::Options(const Nomenclature& n, const std::vector<std::string>& selected,
                     bool empty_first) const {
  List l;
  if (empty_first) {
    Data o;
    o.set("code", "");
    o.set("label", "— non renseigné —");
    o.set("selected", selected.empty());
    l.push_back(o);
  }
  for (const NomenclatureEntry& e : n.entries) {
    Data o;
    o.set("code", std::string(e.code));
    o.set("label", Of(n, e.code));
    bool sel = false;
    for (const std::string& s : selected) sel = sel || s == e.code;
    o.set("selected", sel);
    l.push_back(o);
  }
  return l;
}

std::string FrenchDate(const std::optional<Date>& d) { return d ? d->ToFrench() : "—"; }

// The formats of core/french_format.h, so that pages, CLI and report print
// the same strings. Callers that hold the counts of a rate should prefer
// fr::Percent(num, den) (figures.h CountRatio).
std::string Euros(int64_t cents) { return fr::Euros(cents); }

std::string Percent(std::optional<double> rate) { return fr::PercentOfFraction(rate); }

std::optional<int64_t> ParseEuros(std::string_view text) { return fr::ParseEuros(text); }

std::string ClientAddress(const httplib::Request& req) { return req.remote_addr; }

namespace {

// ---- Static assets ----

void StaticFile(Env& env, const httplib::Request& req, httplib::Response& res) {
  const std::string kind = req.matches[1];
  const std::string name = req.matches[2];
  std::string path;
  if (kind == "vendor") {
    if (name != "htmx.min.js") return SendErrorPage(env, res, 404, "Fichier introuvable.", nullptr);
    // Copied from the npm package at build time (CMakeLists.txt), shipped
    // in the package's web root: node_modules is never served.
    path = env.web_root + "/static/vendor/htmx.min.js";
  } else {
    path = env.web_root + "/static/" + kind + "/" + name;
  }
  std::string body = ReadFile(path);
  if (body.empty()) return SendErrorPage(env, res, 404, "Fichier introuvable.", nullptr);
  const char* type = kind == "css" ? "text/css; charset=utf-8"
                     : kind == "img" ? "image/svg+xml"
                                     : "text/javascript; charset=utf-8";
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(std::move(body), type);
}

void Home(Env& env, const httplib::Request& req, httplib::Response& res) {
  auto store = env.ctx->stores->Acquire();
  std::optional<Signed> who;
  if (store) who = CurrentUser(env, **store, req);
  Data d;
  d.set("title", "Médiation administrative");
  SendPage(env, res, "accueil", d, who ? &*who : nullptr);
}

}  // namespace
}  // namespace pages

void RegisterPageRoutes(httplib::Server& server, Context& ctx) {
  if (ctx.options->web_root.empty()) return;
  // One environment for the server's life (RunServer outlives the routes).
  static pages::Env* env = nullptr;
  delete env;
  env = new pages::Env();
  env->ctx = &ctx;
  env->web_root = ctx.options->web_root;
  if (const char* d = std::getenv("AMIABLE_DOCUMENTS_DIR"); d && *d) {
    env->documents = DocumentFolder(d);
  }
  if (const char* o = std::getenv("AMIABLE_PUBLIC_ORGANISME"); o && *o) {
    env->public_organisme = o;
  }
  int limit = 30;
  if (const char* l = std::getenv("AMIABLE_FORM_RATE_LIMIT"); l && *l) limit = std::atoi(l);
  env->form_limiter = std::make_unique<RateLimiter>(limit, std::chrono::hours(1));
  pages::Env& e = *env;
  ctx.page_error = [&e](const httplib::Request& req, httplib::Response& res) {
    const int status = res.status;
    std::string message = status == 404   ? "Cette page n'existe pas."
                          : status == 413 ? "L'envoi dépasse la taille autorisée."
                          : status >= 500 ? "Une erreur est survenue. Réessayez plus tard."
                                          : "La requête n'a pas pu être traitée.";
    pages::SendErrorPage(e, res, status, message, nullptr);
  };
  using pages::Env;
  server.Get("/", [&e](const httplib::Request& q, httplib::Response& r) { pages::Home(e, q, r); });
  pages::RegisterPublicRoutes(server, e);
  pages::RegisterSignInRoutes(server, e);
  pages::RegisterPrivacyRoutes(server, e);
  server.Get(R"(/static/(css|js|img|vendor)/([a-z0-9][a-z0-9._-]*))",
             [&e](const httplib::Request& q, httplib::Response& r) { pages::StaticFile(e, q, r); });
  pages::RegisterDashboardRoutes(server, e);
  pages::RegisterCaseRoutes(server, e);
  pages::RegisterSearchRoutes(server, e);
  pages::RegisterRegisterRoutes(server, e);
  pages::RegisterFiguresRoutes(server, e);
  pages::RegisterAdminRoutes(server, e);
  pages::RegisterReportRoutes(server, e);
  pages::RegisterBrandingRoutes(server, e);
  pages::RegisterNationalRoutes(server, e);
  pages::RegisterMeteoRoutes(server, e);
  pages::RegisterInterestRoutes(server, e);
  pages::RegisterLetterRoutes(server, e);
  pages::RegisterMailRoutes(server, e);
  pages::RegisterOidcRoutes(server, e);
  pages::RegisterPartnerRoutes(server, e);
  pages::RegisterJournalRoutes(server, e);
  pages::RegisterImportRoutes(server, e);
  pages::RegisterRecommendationRoutes(server, e);
}

}  // namespace amiable::web
