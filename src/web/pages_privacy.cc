// The public texts of a fund (issue 9, part 6): « Données personnelles »
// (/donnees-personnelles) and the accessibility statement (/accessibilite,
// RGAA: état de conformité, contact, voies de recours), linked from the
// public form; and their editor for administrators,
// /administration/pages-publiques?organisme=. Plain paragraphs: a blank
// line separates two, a line starting with "# " is a heading; nothing else
// is markup (the text is escaped).
#include <httplib.h>

#include "core/messages.h"
#include "service/privacy.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {

namespace {

constexpr const char* kEditorUrl = "/administration/pages-publiques";

struct PublicKind {
  const char* kind;
  const char* url;
  const char* title;
};
constexpr PublicKind kKinds[] = {
    {"donnees_personnelles", "/donnees-personnelles", "Données personnelles"},
    {"accessibilite", "/accessibilite", "Accessibilité"},
};

std::string FundOf(Env& env, Store& store, const httplib::Request& req) {
  if (!env.public_organisme.empty()) return env.public_organisme;
  if (req.has_param("organisme")) return req.get_param_value("organisme");
  auto orgs = store.ListOrganismes();
  if (orgs && orgs->size() == 1) return (*orgs)[0].code;
  return {};
}

}  // namespace

// The blocks of a public text: {heading, text} per paragraph.
List PublicTextBlocks(std::string_view text) {
  List out;
  std::string para;
  auto flush = [&] {
    while (!para.empty() && (para.back() == '\n' || para.back() == ' ')) para.pop_back();
    if (para.empty()) return;
    Data b;
    if (para.starts_with("# ")) {
      b.set("heading", para.substr(2));
    } else {
      b.set("text", para);
    }
    out.push_back(b);
    para.clear();
  };
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      flush();
    } else {
      if (!para.empty()) para += '\n';
      para += line;
    }
    start = end + 1;
  }
  flush();
  return out;
}

namespace {

void PublicPage(Env& env, const PublicKind& k, const httplib::Request& req,
                httplib::Response& res) {
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  const std::string org = FundOf(env, **store, req);
  if (org.empty()) {
    return SendErrorPage(env, res, 404, "Précisez l'organisme (?organisme=).", nullptr);
  }
  WebService web(*env.ctx, **store);
  service::PrivacyService svc(**store, web.clock(), nullptr);
  auto text = svc.PublicTextOf(org, k.kind);
  if (!text) return SendErrorPage(env, res, 404, "Cette page n'existe pas.", nullptr);
  Data d;
  d.set("title", std::string(k.title));
  d.set("blocks", PublicTextBlocks(*text));
  SendPage(env, res, "page_publique", d, nullptr);
}

void EditorPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res, const std::string& org_in, const std::string& error,
                int status) {
  auto funds = store.ListOrganismes();
  if (!funds) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), &who);
  std::vector<Organisme> mine;
  for (const Organisme& o : *funds) {
    if (who.actor.CanSee(o.code)) mine.push_back(o);
  }
  std::string org = org_in;
  if (org.empty() && !mine.empty()) org = mine[0].code;
  WebService web(*env.ctx, store);
  service::PrivacyService svc(store, web.clock(), nullptr);
  Data d;
  d.set("title", "Pages publiques");
  d.set("funds", FundOptions(mine, org));
  d.set("organisme", org);
  List pages;
  for (const PublicKind& k : kKinds) {
    Data p;
    p.set("kind", std::string(k.kind));
    p.set("title", std::string(k.title));
    p.set("url", std::string(k.url) + "?organisme=" + httplib::detail::encode_query_param(org));
    auto t = svc.PublicTextOf(org, k.kind);
    p.set("text", t ? *t : std::string());
    pages.push_back(p);
  }
  d.set("pages", pages);
  if (!error.empty()) d.set("flash_error", error);
  SetFlash(req, d);
  SendPage(env, res, "pages_publiques", d, &who, status);
}

void EditorGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  EditorPage(env, who, store, req, res, req.get_param_value("organisme"), "", 200);
}

void EditorPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res) {
  const Fields f = FormFields(req);
  const std::string org = Field(f, "organisme"), kind = Field(f, "kind");
  WebService web(*env.ctx, store);
  service::PrivacyService svc(store, web.clock(), nullptr);
  std::string text;
  for (char c : Field(f, "text")) {
    if (c != '\r') text += c;  // a browser's CRLF line ends
  }
  // The default text saved unchanged stays the default (no row).
  if (auto fund = store.GetOrganisme(org);
      fund && text == service::DefaultPublicText(kind, fund->name)) {
    text.clear();
  }
  if (auto s = svc.SavePublicText(service::Caller::OfUser(who.user), org, kind, text); !s) {
    return EditorPage(env, who, store, req, res, org, ErrorText(s.error()), ErrorStatus(s.error()));
  }
  Redirect(res, WithFlash(std::string(kEditorUrl) + "?organisme=" +
                              httplib::detail::encode_query_param(org),
                          true, "privacy.saved"));
}

}  // namespace

void RegisterPrivacyRoutes(httplib::Server& server, Env& env) {
  for (const PublicKind& k : kKinds) {
    server.Get(k.url, [&env, &k](const httplib::Request& q, httplib::Response& r) {
      PublicPage(env, k, q, r);
    });
  }
  server.Get(kEditorUrl, Guarded(env, Need::kAdmin, EditorGet));
  server.Post(kEditorUrl, Guarded(env, Need::kAdmin, EditorPost));
}

}  // namespace amiable::web::pages
