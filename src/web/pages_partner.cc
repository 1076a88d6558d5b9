// Partner access pages (issue 9, part 7); the rules are in
// service/partner_service.h.
//
//   GET  /partenaire                         a partner's cases, and the form
//                                            creating one (a fund it is
//                                            attached to)
//   POST /partenaire/dossiers                creates it (CaseService::Register)
//   GET  /partenaire/dossiers/{ref}          the case's reference, state and
//                                            fund, the exchange, the form
//                                            posting a message with files
//   POST /partenaire/dossiers/{ref}/messages
//   GET  /partenaire/dossiers/{ref}/documents/{id}   a document of the exchange
//   POST /dossiers/{ref}/partenaires          a mediator grants (partner=)
//   POST /dossiers/{ref}/partenaires/retirer  ... revokes (partner=)
//   POST /dossiers/{ref}/partenaires/message  ... posts to the partners
// The case page's « Partenaires » section is AddPartnerSection.
//
// Setting: AMIABLE_PUBLIC_URL (https://amiable.example.fr), the base of the
// link in the notification emails (unset: the link is the path alone).
#include <httplib.h>

#include <algorithm>
#include <cstdlib>

#include "core/messages.h"
#include "service/partner_service.h"
#include "web/download.h"
#include "web/pages_internal.h"
#include "web/web_service.h"

namespace amiable::web::pages {
namespace {

constexpr const char* kPartnerCase = R"(/partenaire/dossiers/([0-9]{3}-[0-9A-Za-z_-]{1,40}))";

std::string PublicUrl() {
  const char* u = std::getenv("AMIABLE_PUBLIC_URL");
  return u ? u : "";
}

service::PartnerService Partners(Env& env, Store& store) {
  WebService svc(*env.ctx, store);
  return service::PartnerService(store, svc.clock(), &ServerFiles(), PublicUrl());
}

bool IsPartner(const Signed& who) { return who.user.role == Role::kPartner; }

std::vector<service::PartnerAttachment> Attachments(const httplib::Request& req) {
  std::vector<service::PartnerAttachment> out;
  for (const auto& [k, f] : req.files) {
    if (k == "file" && !f.filename.empty() && !f.content.empty()) {
      out.push_back({SafeFileName(f.filename), f.content});
    }
  }
  return out;
}

// The exchange as rows: who, when, text, attached files (links under
// `doc_base`).
List ExchangeRows(const std::vector<PartnerMessage>& msgs, const std::vector<DocumentMeta>& docs,
                  const std::string& doc_base) {
  List rows;
  for (const auto& m : msgs) {
    Data r;
    r.set("author", m.author);
    r.set("who", m.from_partner ? "Partenaire" : "Médiateur");
    r.set("at", m.at.substr(0, 16));
    r.set("body", m.body);
    List files;
    for (int64_t id : m.document_ids) {
      for (const auto& d : docs) {
        if (d.id != id) continue;
        Data f;
        f.set("name", d.file_name);
        f.set("url", doc_base + "/documents/" + std::to_string(id));
        files.push_back(f);
      }
    }
    r.set("files", files);
    r.set("has_files", !files.empty());
    rows.push_back(r);
  }
  return rows;
}

// ---- The partner's pages ----

void PartnerHome(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  if (!IsPartner(who)) return SendErrorPage(env, res, 403, msg::Find("page.role"), &who);
  WebService svc(*env.ctx, store);
  const auto caller = service::Caller::OfUser(who.user);
  CaseFilter f;
  int64_t total = 0;
  auto cases = svc->List(caller, f, &total);
  Data d;
  d.set("title", "Espace partenaire");
  List rows;
  if (cases) {
    for (const Case& c : *cases) {
      Data r;
      r.set("reference", c.reference);
      r.set("url", "/partenaire/dossiers/" + c.reference);
      r.set("state", std::string(StateLabel(c.state)));
      r.set("received", c.received_on.ToFrench());
      rows.push_back(r);
    }
  }
  d.set("cases", rows);
  d.set("has_cases", !rows.empty());
  List funds;
  auto all = store.ListOrganismes();
  if (all) {
    for (const Organisme& o : *all) {
      if (!who.actor.CanSee(o.code)) continue;
      Data fo;
      fo.set("code", o.code);
      fo.set("label", o.code + " — " + o.name);
      funds.push_back(fo);
    }
  }
  d.set("funds", funds);
  d.set("can_create", !funds.empty());
  SetFlash(req, d);
  SendPage(env, res, "partenaire", d, &who);
}

void PartnerCreate(Env& env, Signed& who, Store& store, const httplib::Request& req,
                   httplib::Response& res) {
  if (!IsPartner(who)) return SendErrorPage(env, res, 403, msg::Find("page.role"), &who);
  const Fields f = FormFields(req);
  service::Registration r;
  r.c.organisme = Field(f, "organisme");
  r.c.description = Field(f, "description");
  r.c.channel = "teleprocedure";  // through the partner space
  r.c.emitter = "partenaire";
  r.via = "partenaire";
  WebService svc(*env.ctx, store);
  auto ref = svc->Register(service::Caller::OfUser(who.user), std::move(r));
  if (!ref) return Redirect(res, WithFlash("/partenaire", false, FlashKey(ref.error())));
  Redirect(res, WithFlash("/partenaire/dossiers/" + *ref, true, "partner.created"));
}

void PartnerCase(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  if (!IsPartner(who)) return SendErrorPage(env, res, 403, msg::Find("page.role"), &who);
  const std::string ref = req.matches[1];
  WebService svc(*env.ctx, store);
  const auto caller = service::Caller::OfUser(who.user);
  auto c = svc->GetCase(caller, ref);
  if (!c) return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
  auto ps = Partners(env, store);
  auto msgs = ps.Exchange(caller, ref);
  auto docs = ps.ExchangeDocuments(caller, ref);
  if (!msgs || !docs) return SendErrorPage(env, res, 500, msg::Find("error.internal"), &who);
  if (env.ctx->audit) {
    env.ctx->audit->Record(who.actor, "case.view.partner", ref);
  } else {
    store.Audit(who.actor, "case.view.partner", ref);
  }
  Data d;
  d.set("title", "Dossier " + ref);
  d.set("reference", ref);
  d.set("url", "/partenaire/dossiers/" + ref);
  d.set("state", std::string(StateLabel(c->state)));
  d.set("organisme", c->organisme);
  d.set("received", c->received_on.ToFrench());
  const List rows = ExchangeRows(*msgs, *docs, "/partenaire/dossiers/" + ref);
  d.set("messages", rows);
  d.set("has_messages", !rows.empty());
  SetFlash(req, d);
  SendPage(env, res, "partenaire_dossier", d, &who);
}

void PartnerPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                 httplib::Response& res) {
  if (!IsPartner(who)) return SendErrorPage(env, res, 403, msg::Find("page.role"), &who);
  const std::string ref = req.matches[1];
  const std::string back = "/partenaire/dossiers/" + ref;
  auto id = Partners(env, store).Post(service::Caller::OfUser(who.user), ref,
                                      Field(FormFields(req), "body"), Attachments(req));
  if (!id) {
    if (id.error().code == Error::Code::kNotFound) {
      return SendErrorPage(env, res, 404, msg::Find("case.not_found"), &who);
    }
    return Redirect(res, WithFlash(back, false, FlashKey(id.error())));
  }
  Redirect(res, WithFlash(back, true, "partner.posted"));
}

void PartnerDocument(Env& env, Signed& who, Store& store, const httplib::Request& req,
                     httplib::Response& res) {
  if (!IsPartner(who)) return SendErrorPage(env, res, 403, msg::Find("page.role"), &who);
  const std::string ref = req.matches[1];
  const int64_t id = std::strtoll(std::string(req.matches[2]).c_str(), nullptr, 10);
  WebService svc(*env.ctx, store);
  // CaseService::Document: a partner gets only the exchange's documents.
  auto m = svc->Document(service::Caller::OfUser(who.user), ref, id);
  if (!m) return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
  auto bytes = env.documents.Read(m->storage_key);
  if (!bytes) return SendErrorPage(env, res, 404, msg::Find("document.not_found"), &who);
  store.Audit(who.actor, "document.download", ref + "/" + std::to_string(id));
  SendDownload(res, m->file_name, m->content_type, std::move(*bytes));
}

// ---- The mediator's side (case page) ----

void BackToCaseWith(httplib::Response& res, const std::string& ref, const Status& s,
                    std::string_view ok_key) {
  const std::string url = "/dossiers/" + ref;
  Redirect(res, (s ? WithFlash(url, true, ok_key) : WithFlash(url, false, FlashKey(s.error()))) +
                    "#partenaires");
}

void GrantPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
               httplib::Response& res) {
  const std::string ref = req.matches[1];
  auto s = Partners(env, store).Grant(service::Caller::OfUser(who.user), ref,
                                      Field(FormFields(req), "partner"));
  BackToCaseWith(res, ref, s, "partner.granted");
}

void RevokePost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                httplib::Response& res) {
  const std::string ref = req.matches[1];
  auto s = Partners(env, store).Revoke(service::Caller::OfUser(who.user), ref,
                                       Field(FormFields(req), "partner"));
  BackToCaseWith(res, ref, s, "partner.revoked");
}

void MediatorPost(Env& env, Signed& who, Store& store, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string ref = req.matches[1];
  auto id = Partners(env, store).Post(service::Caller::OfUser(who.user), ref,
                                      Field(FormFields(req), "body"), Attachments(req));
  BackToCaseWith(res, ref, id ? Status{} : Status(std::unexpected(id.error())), "partner.posted");
}

}  // namespace

void AddPartnerSection(Env& env, Store& store, const service::Caller& caller,
                       const std::string& ref, Data& d) {
  auto ps = Partners(env, store);
  auto partners = ps.Partners(caller, ref);
  auto msgs = ps.Exchange(caller, ref);
  auto docs = store.Documents(caller.actor, ref);
  if (!partners || !msgs || !docs) return;
  List current;
  for (const auto& p : *partners) {
    Data r;
    r.set("name", p);
    current.push_back(r);
  }
  List candidates;
  if (auto users = store.ListUsers(); users) {
    for (const User& u : *users) {
      if (u.role != Role::kPartner || u.disabled) continue;
      if (std::find(partners->begin(), partners->end(), u.name) != partners->end()) continue;
      Data r;
      r.set("name", u.name);
      r.set("label", u.display_name.empty() ? u.name : u.display_name + " (" + u.name + ")");
      candidates.push_back(r);
    }
  }
  Data s;
  s.set("partners", current);
  s.set("has_partners", !current.empty());
  s.set("candidates", candidates);
  s.set("has_candidates", !candidates.empty());
  const List rows = ExchangeRows(*msgs, *docs, "/dossiers/" + ref);
  s.set("messages", rows);
  s.set("has_messages", !rows.empty());
  d.set("partners_section", s);
}

void RegisterPartnerRoutes(httplib::Server& server, Env& env) {
  server.Get("/partenaire", Guarded(env, Need::kAny, PartnerHome));
  server.Post("/partenaire/dossiers", Guarded(env, Need::kAny, PartnerCreate));
  const std::string pc = kPartnerCase;
  server.Get(pc, Guarded(env, Need::kAny, PartnerCase));
  server.Post(pc + "/messages", Guarded(env, Need::kAny, PartnerPost));
  server.Get(pc + R"(/documents/([0-9]{1,18}))", Guarded(env, Need::kAny, PartnerDocument));
  const std::string ref = kCaseRoute;
  server.Post(ref + "/partenaires", Guarded(env, Need::kCases, GrantPost));
  server.Post(ref + "/partenaires/retirer", Guarded(env, Need::kCases, RevokePost));
  server.Post(ref + "/partenaires/message", Guarded(env, Need::kCases, MediatorPost));
}

}  // namespace amiable::web::pages
