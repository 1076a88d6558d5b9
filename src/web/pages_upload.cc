// The guard of the page routes that accept files (pages_internal.h
// PostUpload): Guarded's checks around a body streamed to disk.
#include <httplib.h>

#include "core/messages.h"
#include "web/pages_internal.h"
#include "web/upload_form.h"

namespace amiable::web::pages {

Fields StreamedFields(const httplib::Request& req, const StreamedForm& form) {
  Fields f = form.fields;
  for (const auto& [k, v] : req.params) f.emplace(k, v);
  return f;
}

void PostUpload(httplib::Server& server, const std::string& pattern, Env& env, Need need,
                const StreamLimits& limits, UploadHandler h) {
  server.Post(pattern, [&env, need, limits, h = std::move(h)](
                           const httplib::Request& req, httplib::Response& res,
                           const httplib::ContentReader& reader) {
    auto lease = env.ctx->stores->Acquire();
    if (!lease) {
      DrainBody(req, reader);
      return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
    }
    std::optional<Signed> who = CurrentUser(env, **lease, req);
    // Session and role before anything is written (no CSRF yet: the token
    // is in the body).
    const Verdict before = who ? Judge(&*who, need, false, {}) : Verdict::kSessionExpired;
    if (before != Verdict::kPass) {
      DrainBody(req, reader);
      if (before == Verdict::kRole) return SendErrorPage(env, res, 403, msg::Find("page.role"), &*who);
      return SendErrorPage(env, res, 403, msg::Find("page.session_expired"), nullptr);
    }
    StreamedForm form = ReadStreamedForm(req, reader, env.documents, limits, [&](const Fields& f) {
      return CsrfOk(*who, f);
    });
    if (!form.complete) {
      const int status = res.status == 413 ? 413 : 400;
      return SendErrorPage(env, res, status,
                           status == 413 ? "L'envoi dépasse la taille autorisée."
                                         : "La requête n'a pas pu être traitée.",
                           &*who);
    }
    if (Judge(&*who, need, true, form.fields) != Verdict::kPass) {
      return SendErrorPage(env, res, 403, msg::Find("page.csrf"), &*who);
    }
    if (form.fields_too_large) {
      return SendErrorPage(env, res, 413, "L'envoi dépasse la taille autorisée.", &*who);
    }
    if (form.disk_failed) {
      LogError("upload: cannot write a file to the document folder",
               Error::Internal(env.documents.dir()));
      return SendErrorPage(env, res, 500, msg::Find("page.upload_failed"), &*who);
    }
    h(env, *who, **lease, req, res, form);
  });
}

}  // namespace amiable::web::pages
