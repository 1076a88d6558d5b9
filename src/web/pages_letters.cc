// The templates page, /modeles (web/pages_letters.h): the fund's letter
// templates and blocks, edited by its hierarchy, previewed on a real case.
#include "web/pages_letters.h"

#include <httplib.h>

#include "core/text.h"
#include "letters/templates.h"
#include "service/letters_service.h"
#include "web/web_service.h"

namespace amiable::web::pages {

namespace {

constexpr const char* kUrl = "/modeles";

std::string Q(const std::string& v) { return httplib::detail::encode_query_param(v); }

std::string PageUrl(const std::string& org, const std::string& kind, const std::string& ref) {
  std::string u = std::string(kUrl) + "?organisme=" + Q(org) + "&modele=" + Q(kind);
  if (!ref.empty()) u += "&dossier=" + Q(ref);
  return u;
}

}  // namespace

Data TemplatesPageView(const TemplatesPageInput& in) {
  Data d;
  d.set("title", "Modèles de courriers");
  d.set("funds", FundOptions(in.funds, in.organisme));
  d.set("several_funds", in.funds.size() > 1);
  d.set("organisme", in.organisme);
  d.set("may_edit", in.may_edit);
  d.set("reference", in.reference);
  List letters, blocks;
  const service::TemplateEntry* current = nullptr;
  for (const service::TemplateEntry& t : in.templates) {
    Data k;
    k.set("code", t.kind);
    k.set("label", t.label);
    k.set("url", PageUrl(in.organisme, t.kind, in.reference));
    k.set("selected", t.kind == in.kind);
    k.set("overridden", t.overridden);
    (t.is_letter ? letters : blocks).push_back(k);
    if (t.kind == in.kind) current = &t;
  }
  d.set("letters", letters);
  d.set("blocks", blocks);
  if (current != nullptr) {
    Data e;
    e.set("kind", current->kind);
    e.set("label", current->label);
    e.set("is_letter", current->is_letter);
    e.set("subject", in.subject);
    e.set("body", in.body);
    e.set("overridden", current->overridden);
    if (current->overridden) {
      e.set("updated",
            "modifié par " + current->updated_by + " le " +
                (current->updated_at.size() >= 10
                     ? current->updated_at.substr(8, 2) + "/" + current->updated_at.substr(5, 2) +
                           "/" + current->updated_at.substr(0, 4)
                     : current->updated_at));
    }
    d.set("editor", e);
  }
  List vars;
  for (const letters::Variable& v : letters::Variables()) {
    Data vd;
    vd.set("name", "{{" + std::string(v.name) + "}}");
    vd.set("description", std::string(v.description));
    vars.push_back(vd);
  }
  d.set("variables", vars);
  Data err;
  if (!in.error.empty()) {
    err.set(in.error_field.empty() ? "form" : in.error_field, in.error);
    d.set("has_error", true);
    d.set("error", in.error);
    d.set("error_field", in.error_field.empty() ? "tpl-body" : "tpl-" + in.error_field);
  }
  d.set("err", err);
  if (in.preview != nullptr) {
    Data p;
    p.set("subject", in.preview->letter.subject);
    p.set("text", in.preview->text);
    p.set("kind_label", [&] {
      const letters::KindInfo* k = letters::FindKind(in.preview_kind);
      return k ? std::string(k->label) : in.preview_kind;
    }());
    d.set("preview", p);
  }
  return d;
}

namespace {

struct Shown {
  std::string organisme, kind, reference;
};

// The fund, kind and case the request names (defaults: the user's first
// fund, the acknowledgement).
Shown Read(const Fields& f, const std::vector<Organisme>& funds) {
  Shown s;
  s.organisme = Field(f, "organisme");
  bool known = false;
  for (const Organisme& o : funds) known = known || o.code == s.organisme;
  if (!known) s.organisme = funds.empty() ? "" : funds.front().code;
  s.kind = Field(f, "modele");
  if (letters::FindKind(s.kind) == nullptr) s.kind = "acknowledgement";
  s.reference = Trim(Field(f, "dossier"));
  return s;
}

void TemplatesPage(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res, const Fields& f, bool posted, std::string error,
                   std::string error_field, int status) {
  const service::Caller caller = service::Caller::OfUser(who.user);
  TemplatesPageInput in;
  if (auto orgs = store.ListOrganismes()) {
    for (const Organisme& o : *orgs) {
      if (who.actor.CanSee(o.code)) in.funds.push_back(o);
    }
  }
  const Shown s = Read(f, in.funds);
  in.organisme = s.organisme;
  in.kind = s.kind;
  in.reference = s.reference;
  in.may_edit = !s.organisme.empty() && caller.IsHierarchyOf(s.organisme);
  WebService web(*env.ctx, store);
  service::LettersService svc(store, web.clock());
  if (!s.organisme.empty()) {
    auto t = svc.Templates(caller, s.organisme);
    if (!t) return SendErrorPage(env, res, ErrorStatus(t.error()), ErrorText(t.error()), &who);
    in.templates = std::move(*t);
  }
  const letters::KindInfo* kind = letters::FindKind(s.kind);
  for (const service::TemplateEntry& t : in.templates) {
    if (t.kind != s.kind) continue;
    in.subject = posted ? Field(f, "subject") : t.subject;
    in.body = posted ? Field(f, "body") : t.body;
  }
  // The preview: the edited text (posted) or the saved one, on the case.
  service::LetterPreview preview;
  if (!s.reference.empty() && error.empty()) {
    service::LetterRequest r;
    r.kind = kind->is_letter ? s.kind : "acknowledgement";
    if (posted && kind->is_letter) {
      r.subject = in.subject;
      r.body = in.body;
    } else if (posted) {
      r.block = std::make_pair(s.kind, in.body);
    }
    auto p = svc.Preview(caller, s.reference, r, false);
    if (p) {
      preview = std::move(*p);
      in.preview = &preview;
      in.preview_kind = r.kind;
    } else {
      error = ErrorText(p.error());
      error_field =
          p.error().field == "subject" || p.error().field == "body" ? p.error().field : "dossier";
      status = ErrorStatus(p.error());
    }
  }
  in.error = std::move(error);
  in.error_field = std::move(error_field);
  Data d = TemplatesPageView(in);
  SetFlash(req, d);
  SendPage(env, res, "modeles", d, &who, status);
}

void TemplatesGet(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  TemplatesPage(env, who, store, req, res, FormFields(req), false, "", "", 200);
}

void TemplatesPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  const Fields f = FormFields(req);
  const std::string action = Field(f, "action");
  if (action == "preview") return TemplatesPage(env, who, store, req, res, f, true, "", "", 200);
  const service::Caller caller = service::Caller::OfUser(who.user);
  WebService web(*env.ctx, store);
  service::LettersService svc(store, web.clock());
  const std::string org = Field(f, "organisme"), kind = Field(f, "modele");
  Status s = action == "reset"
                 ? svc.ResetTemplate(caller, org, kind)
                 : svc.SaveTemplate(caller, org, kind, Field(f, "subject"), Field(f, "body"));
  if (!s) {
    return TemplatesPage(env, who, store, req, res, f, true, ErrorText(s.error()), s.error().field,
                         ErrorStatus(s.error()));
  }
  Redirect(res, WithFlash(PageUrl(org, kind, Trim(Field(f, "dossier"))), true,
                          action == "reset" ? "page.template_reset" : "page.template_saved"));
}

void SendPdf(httplib::Response& res, std::string pdf, const std::string& name) {
  res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
  res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
  res.set_content(std::move(pdf), "application/pdf");
}

void TemplatesPdfPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                      httplib::Response& res) {
  const Fields f = FormFields(req);
  const service::Caller caller = service::Caller::OfUser(who.user);
  WebService web(*env.ctx, store);
  service::LettersService svc(store, web.clock());
  const std::string kind = Field(f, "modele");
  const letters::KindInfo* k = letters::FindKind(kind);
  service::LetterRequest r;
  r.kind = k != nullptr && k->is_letter ? kind : "acknowledgement";
  if (k != nullptr && k->is_letter) {
    r.subject = Field(f, "subject");
    r.body = Field(f, "body");
  } else if (k != nullptr) {
    r.block = std::make_pair(kind, Field(f, "body"));
  }
  auto p = svc.Preview(caller, Trim(Field(f, "dossier")), r, true);
  if (!p) {
    return TemplatesPage(env, who, store, req, res, f, true, ErrorText(p.error()),
                         p.error().field.empty() ? "dossier" : p.error().field,
                         ErrorStatus(p.error()));
  }
  SendPdf(res, std::move(p->pdf), "apercu-" + r.kind + ".pdf");
}

}  // namespace

void RegisterCaseLetterRoutes(httplib::Server& server, Env& env);  // pages_letters_case.cc

void RegisterLetterRoutes(httplib::Server& server, Env& env) {
  server.Get(kUrl, Guarded(env, Need::kCases, TemplatesGet));
  server.Post(kUrl, Guarded(env, Need::kCases, TemplatesPost));
  server.Post(std::string(kUrl) + "/apercu.pdf", Guarded(env, Need::kCases, TemplatesPdfPost));
  RegisterCaseLetterRoutes(server, env);
}

}  // namespace amiable::web::pages
