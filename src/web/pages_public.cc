// The public request form (/demande), its receipt (/demande/recu?r=&t=,
// a signed link). No session: a form token, a honeypot and a rate limit per
// address instead.
#include <httplib.h>

#include "core/messages.h"
#include "intake/online_form.h"
#include "web/auth.h"
#include "service/acknowledgement.h"
#include "service/fund_today.h"
#include "web/pages_internal.h"
#include "web/upload_form.h"
#include "web/web_service.h"

namespace amiable::web::pages {
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
  SetFieldErrors(d, r ? r->errors : std::vector<intake::FieldError>{});
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
  IncomingFile* file;
};

void PublicForm(Env& env, const httplib::Request& req, httplib::Response& res) {
  auto store = env.ctx->stores->Acquire();
  if (!store) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  Data d;
  if (PublicOrganisme(env, **store).empty()) d.set("closed", true);
  FillFormData(env, **store, d, {}, nullptr);
  SendPage(env, res, "demande", d, nullptr);
}

// The body is streamed (web/upload_form.h): the attachments go to the
// document folder as they arrive, only once the form token (the form's first
// field) is valid, and are kept only when the whole request is accepted.
void PublicSubmit(Env& env, const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& reader) {
  auto store = env.ctx->stores->Acquire();
  if (!store) {
    DrainBody(req, reader);
    return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  }
  Store& st = **store;
  const std::string organisme = PublicOrganisme(env, st);
  if (organisme.empty()) {
    DrainBody(req, reader);
    return SendErrorPage(env, res, 503, "Le dépôt en ligne n'est pas ouvert sur ce serveur.",
                         nullptr);
  }
  // At most 5 attachments written, each 10 Mo at most (larger ones are
  // counted, not written); more are counted only.
  StreamLimits limits;
  limits.max_files = static_cast<size_t>(intake::kMaxAttachments);
  limits.max_file_bytes = intake::kMaxAttachmentBytes;
  StreamedForm form = ReadStreamedForm(req, reader, env.documents, limits, [&](const Fields& f) {
    return env.form_tokens.Verify(Field(f, "form_token"), "demande");
  });
  if (!form.complete || form.fields_too_large) {
    const int status = res.status == 413 || form.fields_too_large ? 413 : 400;
    return SendErrorPage(env, res, status,
                         status == 413 ? "L'envoi dépasse la taille autorisée."
                                       : "Votre demande n'a pas pu être enregistrée.",
                         nullptr);
  }
  const Fields f = StreamedFields(req, form);
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
  intake::OnlineFormResult r = intake::ValidateOnlineForm(
      in, organisme, env.ctx->TodayIn(service::ZoneOfFunds(&st, {organisme})));
  if (r.spam) {
    return SendErrorPage(env, res, 400, "Votre demande n'a pas pu être enregistrée.", nullptr);
  }
  if (form.disk_failed) {
    LogError("public form: cannot write an attachment", Error::Internal(env.documents.dir()));
    return SendErrorPage(env, res, 500,
                         "Votre demande n'a pas pu être enregistrée. Réessayez plus tard.",
                         nullptr);
  }
  // Attachments: at most 5, each a PDF, JPEG or PNG by content, 10 Mo at most.
  std::vector<Attachment> files;
  std::string file_error;
  for (StreamedFile& file : form.files) {
    if (file.field != "attachments" || file.filename.empty()) continue;
    if (file.size == 0) continue;
    if (files.size() >= static_cast<size_t>(intake::kMaxAttachments) || !file.file) {
      file_error = "Vous pouvez joindre 5 fichiers au plus.";
      break;
    }
    if (file.size > intake::kMaxAttachmentBytes) {
      file_error = "Le fichier « " + SafeFileName(file.filename) + " » dépasse 10 Mo.";
      break;
    }
    auto type = SniffContentType(file.file->head());
    if (!type) {
      file_error = "Le fichier « " + SafeFileName(file.filename) +
                   " » n'est ni un PDF, ni une image JPEG ou PNG.";
      break;
    }
    files.push_back({SafeFileName(file.filename), *type, file.file.get()});
  }
  if (!file_error.empty()) r.errors.push_back({"attachments", file_error});
  if (!r.ok()) {
    Data d;
    FillFormData(env, st, d, in, &r);
    return SendPage(env, res, "demande", d, nullptr, 400);
  }

  // Files first, durably; then one transaction (case, people, documents,
  // acknowledgement); then the receipt. The stored names take the extension
  // of the sniffed type (the service's Register: "x.html" that is a PNG is
  // stored as "x.png").
  service::Registration sub;
  sub.c = r.c;
  sub.people = r.people;
  sub.via = "formulaire en ligne";
  std::vector<std::string> saved;
  for (const Attachment& a : files) {
    auto key = a.file->Keep();
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
    m.size_bytes = static_cast<int64_t>(a.file->size());
    m.storage_key = *key;
    m.sha256 = a.file->sha256_hex();
    m.uploaded_by = "public";
    sub.documents.push_back(m);
  }
  if (!r.acknowledgement_email.empty()) {
    sub.acknowledgement = service::AcknowledgementMessage(r.acknowledgement_email, r.c.received_on);
  }
  // The one way in: the case service, as the public form's system actor.
  WebService svc(*env.ctx, st);
  auto ref = svc->Register(service::Caller::System("public"), std::move(sub));
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

}  // namespace

void RegisterPublicRoutes(httplib::Server& server, Env& env) {
  server.Get("/demande", [&env](const httplib::Request& q, httplib::Response& r) {
    PublicForm(env, q, r);
  });
  server.Post("/demande", [&env](const httplib::Request& q, httplib::Response& r,
                                 const httplib::ContentReader& reader) {
    PublicSubmit(env, q, r, reader);
  });
  server.Get("/demande/recu", [&env](const httplib::Request& q, httplib::Response& r) {
    Receipt(env, q, r);
  });
}

}  // namespace amiable::web::pages
