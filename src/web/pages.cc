// Page plumbing (templates, sessions, fields, formats), the public request
// form and its receipt, sign-in and sign-out, static assets. The workspace
// itself is in pages_workspace.cc.
#include "web/pages.h"

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/french_format.h"
#include "intake/online_form.h"
#include "web/auth.h"
#include "web/pages_internal.h"

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
    user.set("role", RoleCode(who->user.role));
    data.set("user", user);
    data.set("csrf", who->session.csrf_token);
    data.set("can_cases", who->user.role != Role::kStatisticsReader);
    data.set("is_admin", who->user.role == Role::kAdministrator);
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
  auto s = store.GetWebSession(HashToken(secret), IsoUtcFromNow(0));
  if (!s) return std::nullopt;
  auto u = store.GetUser(s->user);
  if (!u || u->disabled) return std::nullopt;
  Signed out{*u, u->ToActor(), *s};
  SetLogUser(u->name);
  return out;
}

bool CsrfOk(const Signed& who, const Fields& f) {
  const std::string t = Field(f, "csrf");
  return !t.empty() && ConstantTimeEquals(t, who.session.csrf_token);
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

std::optional<int64_t> ParseEuros(std::string_view text) {
  std::string digits;
  int decimals = -1;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') {
      if (decimals >= 0) {
        if (++decimals > 2) return std::nullopt;
      }
      digits += static_cast<char>(c);
      if (digits.size() > 13) return std::nullopt;
    } else if (c == ',' || c == '.') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
    } else if (c == ' ' || c == 0xc2 || c == 0xa0 || c == 0xe2 || c == 0x80 || c == 0xaf) {
      continue;  // spaces, no-break spaces (U+00A0, U+202F)
    } else if (c == 0x82 || c == 0xac) {
      continue;  // the euro sign's bytes
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  if (decimals < 0) decimals = 0;
  for (int i = decimals; i < 2; ++i) digits += '0';
  const int64_t cents = std::strtoll(digits.c_str(), nullptr, 10);
  if (cents <= 0) return std::nullopt;
  return cents;
}

std::string ClientAddress(const httplib::Request& req) { return req.remote_addr; }

namespace {

// ---- Public request form ----

std::string PublicOrganisme(Env& env, Store& store) {
  if (!env.public_organisme.empty()) return env.public_organisme;
  auto orgs = store.ListOrganismes();
  if (orgs && orgs->size() == 1) return (*orgs)[0].code;
  return {};
}

void FillFormData(Env& env, Store& store, Data& d, const intake::OnlineFormInput& in,
                  const intake::OnlineFormResult* r) {
  Labels labels(store);
  List emitters;
  for (const NomenclatureEntry& e : nomenclature::Emitter().entries) {
    if (e.code == "service_interne") continue;
    Data o;
    o.set("code", std::string(e.code));
    o.set("label", labels.Of(nomenclature::Emitter(), e.code));
    o.set("checked", in.emitter == e.code);
    o.set("id", "emitter-" + std::string(e.code));
    emitters.push_back(o);
  }
  d.set("emitters", emitters);
  List benefits;
  for (const NomenclatureEntry& e : nomenclature::Benefit().entries) {
    Data o;
    o.set("code", std::string(e.code));
    o.set("label", labels.Of(nomenclature::Benefit(), e.code));
    bool checked = false;
    for (const std::string& b : in.benefits) checked = checked || b == e.code;
    o.set("checked", checked);
    o.set("id", "benefit-" + std::string(e.code));
    benefits.push_back(o);
  }
  d.set("benefits", benefits);
  Data v;
  v.set("requester_name", in.requester_name);
  v.set("requester_organisation", in.requester_organisation);
  v.set("allocataire_number", in.allocataire_number);
  v.set("last_name", in.last_name);
  v.set("first_name", in.first_name);
  v.set("email", in.email);
  v.set("phone", in.phone);
  v.set("prior_oui", in.prior_complaint == "oui");
  v.set("prior_non", in.prior_complaint == "non");
  v.set("prior_complaint_on", in.prior_complaint_on);
  v.set("prior_complaint_reference", in.prior_complaint_reference);
  v.set("description", in.description);
  v.set("consent", in.consent);
  d.set("v", v);
  Data err;
  List summary;
  if (r) {
    for (const intake::FieldError& e : r->errors) {
      err.set(e.field, e.message);
      Data s;
      s.set("field", e.field);
      s.set("message", e.message);
      summary.push_back(s);
    }
  }
  d.set("err", err);
  d.set("errors", summary);
  d.set("has_errors", !summary.empty());
  d.set("form_token", env.form_tokens.Issue("demande"));
  d.set("title", "Demande de médiation");
}

intake::OnlineFormInput ReadOnlineForm(const Fields& f) {
  intake::OnlineFormInput in;
  in.emitter = Field(f, "emitter");
  in.requester_name = Field(f, "requester_name");
  in.requester_organisation = Field(f, "requester_organisation");
  in.allocataire_number = Field(f, "allocataire_number");
  in.last_name = Field(f, "last_name");
  in.first_name = Field(f, "first_name");
  in.email = Field(f, "email");
  in.phone = Field(f, "phone");
  in.prior_complaint = Field(f, "prior_complaint");
  in.prior_complaint_on = Field(f, "prior_complaint_on");
  in.prior_complaint_reference = Field(f, "prior_complaint_reference");
  in.benefits = FieldAll(f, "benefits");
  in.description = Field(f, "description");
  in.consent = Field(f, "consent") == "oui";
  in.honeypot = Field(f, "site_web");
  return in;
}

// A file of the form, checked: its sniffed type and safe name.
struct Attachment {
  std::string name;
  std::string type;
  const std::string* bytes;
};

void PublicForm(Env& env, const httplib::Request& req, httplib::Response& res) {
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, "Service momentanément indisponible.", nullptr);
  Data d;
  if (PublicOrganisme(env, **store).empty()) d.set("closed", true);
  FillFormData(env, **store, d, {}, nullptr);
  SendPage(env, res, "demande", d, nullptr);
}

void PublicSubmit(Env& env, const httplib::Request& req, httplib::Response& res) {
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, "Service momentanément indisponible.", nullptr);
  Store& st = **store;
  const std::string organisme = PublicOrganisme(env, st);
  if (organisme.empty()) {
    return SendErrorPage(env, res, 503, "Le dépôt en ligne n'est pas ouvert sur ce serveur.",
                         nullptr);
  }
  const Fields f = FormFields(req);
  intake::OnlineFormInput in = ReadOnlineForm(f);
  if (!env.form_tokens.Verify(Field(f, "form_token"), "demande")) {
    Data d;
    FillFormData(env, st, d, in, nullptr);
    d.set("expired", true);
    return SendPage(env, res, "demande", d, nullptr, 400);
  }
  if (env.form_limiter && !env.form_limiter->Allow(ClientAddress(req))) {
    return SendErrorPage(env, res, 429,
                         "Trop de demandes ont été envoyées depuis votre connexion. "
                         "Réessayez dans une heure.",
                         nullptr);
  }
  intake::OnlineFormResult r = intake::ValidateOnlineForm(in, organisme, env.ctx->Today());
  if (r.spam) {
    return SendErrorPage(env, res, 400, "Votre demande n'a pas pu être enregistrée.", nullptr);
  }
  // Attachments: at most 5, each a PDF, JPEG or PNG by content, 10 Mo at most.
  std::vector<Attachment> files;
  std::string file_error;
  for (const auto& [k, file] : req.files) {
    if (k != "attachments" || file.filename.empty()) continue;
    if (file.content.empty()) continue;
    if (files.size() >= static_cast<size_t>(intake::kMaxAttachments)) {
      file_error = "Vous pouvez joindre 5 fichiers au plus.";
      break;
    }
    if (file.content.size() > intake::kMaxAttachmentBytes) {
      file_error = "Le fichier « " + SafeFileName(file.filename) + " » dépasse 10 Mo.";
      break;
    }
    auto type = SniffContentType(file.content);
    if (!type) {
      file_error = "Le fichier « " + SafeFileName(file.filename) +
                   " » n'est ni un PDF, ni une image JPEG ou PNG.";
      break;
    }
    files.push_back({SafeFileName(file.filename), *type, &file.content});
  }
  if (!file_error.empty()) r.errors.push_back({"attachments", file_error});
  if (!r.ok()) {
    Data d;
    FillFormData(env, st, d, in, &r);
    return SendPage(env, res, "demande", d, nullptr, 400);
  }

  // Files first, durably; then one transaction (case, people, documents,
  // acknowledgement); then the receipt.
  Submission sub;
  sub.c = r.c;
  sub.people = r.people;
  sub.event.at = NowTimestamp();
  sub.event.actor = "public";
  sub.event.kind = "create";
  sub.event.detail = "Demande déposée en ligne";
  std::vector<std::string> saved;
  for (const Attachment& a : files) {
    auto key = env.documents.Save(*a.bytes);
    if (!key) {
      LogError("public form: cannot store an attachment", key.error());
      for (const std::string& k : saved) env.documents.Remove(k);
      return SendErrorPage(env, res, 500,
                           "Votre demande n'a pas pu être enregistrée. Réessayez plus tard.",
                           nullptr);
    }
    saved.push_back(*key);
    DocumentMeta m;
    m.file_name = a.name;
    m.content_type = a.type;
    m.size_bytes = static_cast<int64_t>(a.bytes->size());
    m.storage_key = *key;
    m.sha256 = Sha256Hex(*a.bytes);
    m.uploaded_by = "public";
    sub.documents.push_back(m);
  }
  if (!r.acknowledgement_email.empty()) {
    OutboxMessage m;
    m.kind = "acknowledgement";
    m.recipient = r.acknowledgement_email;
    m.subject = "Votre demande de médiation {reference} est enregistrée";
    m.body =
        "Bonjour,\n\nVotre demande de médiation a bien été reçue le " +
        r.c.received_on.ToFrench() +
        " sous la référence {reference}.\nLe médiateur l'examine et vous répondra. "
        "Rappelez cette référence dans vos échanges.\n\nLe médiateur administratif";
    sub.acknowledgement = m;
  }
  Actor public_actor = Actor::System("public");
  auto ref = st.SubmitCase(public_actor, sub);
  if (!ref) {
    LogError("public form: cannot store the request", ref.error());
    for (const std::string& k : saved) env.documents.Remove(k);
    if (ref.error().code == Error::Code::kUnavailable) store->Discard();
    return SendErrorPage(env, res, 500,
                         "Votre demande n'a pas pu être enregistrée. Réessayez plus tard.",
                         nullptr);
  }
  const std::string token = env.form_tokens.Issue("recu:" + *ref);
  Redirect(res, "/demande/recu?r=" + httplib::detail::encode_query_param(*ref) +
                    "&t=" + httplib::detail::encode_query_param(token));
}

void Receipt(Env& env, const httplib::Request& req, httplib::Response& res) {
  const std::string ref = req.get_param_value("r");
  const std::string token = req.get_param_value("t");
  if (ref.empty() || !env.form_tokens.Verify(token, "recu:" + ref)) {
    return SendErrorPage(env, res, 404, "Ce récépissé n'existe pas ou a expiré.", nullptr);
  }
  Data d;
  d.set("title", "Demande enregistrée");
  d.set("reference", ref);
  d.set("today", env.ctx->Today().ToFrench());
  SendPage(env, res, "recu", d, nullptr);
}

// ---- Sign-in ----

void SignInForm(Env& env, const httplib::Request& req, httplib::Response& res,
                const std::string& error, const std::string& name, int status) {
  Data d;
  d.set("title", "Connexion");
  d.set("form_token", env.form_tokens.Issue("connexion"));
  d.set("name", name);
  if (!error.empty()) d.set("error", error);
  SendPage(env, res, "connexion", d, nullptr, status);
}

void SignIn(Env& env, const httplib::Request& req, httplib::Response& res) {
  const Fields f = FormFields(req);
  const std::string name = Field(f, "name");
  const std::string password = Field(f, "password");
  if (!env.form_tokens.Verify(Field(f, "form_token"), "connexion")) {
    return SignInForm(env, req, res, "Le formulaire a expiré : saisissez à nouveau vos identifiants.",
                      name, 400);
  }
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, "Service momentanément indisponible.", nullptr);
  Store& st = **store;
  const std::string address = ClientAddress(req);
  const std::string refused = "Identifiant ou mot de passe incorrect.";
  auto fail = [&](const std::string& message) {
    std::this_thread::sleep_for(env.throttle.Failure(address));
    SignInForm(env, req, res, message, name, 401);
  };
  if (name.empty() || password.empty() || name.size() > 100 || password.size() > 1024) {
    return fail(refused);
  }
  auto user = st.GetUser(name);
  if (!user) {
    // Same work as a real check, so that timing does not tell which names exist.
    VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                   password);
    return fail(refused);
  }
  if (user->disabled) return fail(refused);
  if (IsLocked(*user, IsoUtcFromNow(0))) {
    return fail("Ce compte est verrouillé pour " + std::to_string(kLockMinutes) +
                " minutes après plusieurs essais infructueux.");
  }
  if (!VerifyPassword(user->password_hash, password)) {
    CountFailedSignIn(*user);
    st.UpdateUser(*user);
    st.Audit(user->ToActor(), "signin.failure", user->name);
    if (IsLocked(*user, IsoUtcFromNow(0))) {
      return fail("Trop d'essais infructueux : ce compte est verrouillé pour " +
                  std::to_string(kLockMinutes) + " minutes.");
    }
    return fail(refused);
  }
  env.throttle.Success(address);
  if (user->failed_attempts || !user->locked_until.empty()) {
    ClearFailedSignIns(*user);
    st.UpdateUser(*user);
  }
  const std::string secret = RandomToken();
  WebSession s{HashToken(secret), user->name, RandomToken(), IsoUtcFromNow(0),
               IsoUtcFromNow(int64_t{kSessionHours} * 3600)};
  if (auto ok = st.CreateWebSession(s); !ok) {
    LogError("sign-in: cannot create the session", ok.error());
    return SendErrorPage(env, res, 500, "La connexion a échoué. Réessayez.", nullptr);
  }
  st.Audit(user->ToActor(), "signin", user->name);
  SetLogUser(user->name);
  res.set_header("Set-Cookie", SessionSetCookie(secret, env.ctx->options->behind_tls));
  Redirect(res, user->role == Role::kStatisticsReader ? "/chiffres" : "/tableau");
}

void SignOut(Env& env, const httplib::Request& req, httplib::Response& res) {
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, "Service momentanément indisponible.", nullptr);
  auto who = CurrentUser(env, **store, req);
  if (who) {
    if (!CsrfOk(*who, FormFields(req))) {
      return SendErrorPage(env, res, 403, "Jeton de sécurité absent ou invalide.", &*who);
    }
    (*store)->DeleteWebSession(who->session.id_hash);
  }
  res.set_header("Set-Cookie", SessionSetCookie("", env.ctx->options->behind_tls));
  Redirect(res, "/connexion");
}

// ---- Static assets ----

void StaticFile(Env& env, const httplib::Request& req, httplib::Response& res) {
  const std::string kind = req.matches[1];
  const std::string name = req.matches[2];
  std::string path;
  if (kind == "vendor") {
    if (name != "htmx.min.js") return SendErrorPage(env, res, 404, "Fichier introuvable.", nullptr);
    path = env.web_root + "/node_modules/htmx.org/dist/htmx.min.js";
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
  server.Get("/demande",
             [&e](const httplib::Request& q, httplib::Response& r) { pages::PublicForm(e, q, r); });
  server.Post("/demande", [&e](const httplib::Request& q, httplib::Response& r) {
    pages::PublicSubmit(e, q, r);
  });
  server.Get("/demande/recu",
             [&e](const httplib::Request& q, httplib::Response& r) { pages::Receipt(e, q, r); });
  server.Get("/connexion", [&e](const httplib::Request& q, httplib::Response& r) {
    pages::SignInForm(e, q, r, "", "", 200);
  });
  server.Post("/connexion",
              [&e](const httplib::Request& q, httplib::Response& r) { pages::SignIn(e, q, r); });
  server.Post("/deconnexion",
              [&e](const httplib::Request& q, httplib::Response& r) { pages::SignOut(e, q, r); });
  server.Get(R"(/static/(css|js|img|vendor)/([a-z0-9][a-z0-9._-]*))",
             [&e](const httplib::Request& q, httplib::Response& r) { pages::StaticFile(e, q, r); });
  pages::RegisterWorkspaceRoutes(server, e);
  pages::RegisterReportRoutes(server, e);
  pages::RegisterInterestRoutes(server, e);
}

}  // namespace amiable::web
