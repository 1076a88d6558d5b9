// The workspace pages and the public request form: server-rendered French
// HTML from the templates of web/templates (kainjow mustache, escaped by
// default), the stylesheet and scripts of web/static, htmx in
// web/static/vendor (copied at build time from the npm package htmx.org,
// major 2, in web/node_modules).
//
// Routes (all HTML; state changes are POST with a CSRF token):
//   GET  /                      home: links to the form and to sign-in
//   GET  /demande, POST /demande          the public request form
//   GET  /demande/recu?r=&t=              its receipt (signed link)
//   GET  /donnees-personnelles, /accessibilite   the fund's public texts (no
//                                         session; pages_privacy.cc); GET, POST
//                                         /administration/pages-publiques (administrator)
//   GET  /connexion, POST /connexion, POST /deconnexion
//   GET  /tableau                         « Mes dossiers », queues with counts,
//                                         deadlines, ages and the late marker
//   GET  /dossiers?etat=&annee=&mediateur=&retard=1&page=N  every case, filtered
//   GET  /recherche?q=                    full-text search
//   GET  /dossiers/{ref}                  case page; POST .../evenement,
//        .../modifier, .../notes, .../documents, .../finances;
//        GET .../documents/{id}           download (access checked; always an
//                                         attachment, nosniff, named with the
//                                         sniffed type's extension: web/download.h)
//   GET  /enregistrer, POST /enregistrer  a request received by post, phone...
//        POST /enregistrer/courriel       an .eml file: MailIntake::TakeIn (upload)
//   GET  /courriel/quarantaine            open quarantine entries; POST
//        .../{id}/relire, .../{id}/dossier, .../{id}/ecarter (reason);
//        GET /courriel/messages/{id}/message.eml (the original, attachment);
//        POST /courriel/messages/{id}/vu  (dashboard: a message on a closed case seen)
//   GET  /chiffres?annee=&organisme=      figures of a year
//   GET  /administration, POST /administration/{utilisateurs,organismes,libelles}
//   GET  /rapport?annee=&organisme=       the annual report (embedded HTML,
//        consistency problems, downloads); GET /rapport/telecharger?...&format=
//        pdf|xlsx|csv[&incomplet=oui]; GET, POST /rapport/textes (the
//        mediator's sections); GET /qualite (the cases to fix)
//   GET  /static/...                      assets of web/static (+ htmx)
//
// Settings (environment, read once when the routes are registered):
//   AMIABLE_PUBLIC_ORGANISME  the fund receiving public requests; default:
//                             the only fund of the database (the form says
//                             it is closed when there are several and none
//                             is set)
//   AMIABLE_DOCUMENTS_DIR     where uploaded files live, outside anything
//                             served; default var/documents
//   AMIABLE_FORM_RATE_LIMIT   public submissions per address and hour
//                             (default 30; 0 = no limit)
//
// One guard (pages_internal.h Guarded) serves every page route: session,
// role, the CSRF token of the POST body. Flash messages are catalogue keys
// (?ok=<key>, ?erreur=<key>, core/messages.h); unknown keys show nothing.
//
// Authorization: every case read or write goes through the store as the
// signed-in user's Actor, so another fund's case is "not found" on every
// page, search and download; statistics readers see figures only;
// administration needs the administrator role.
#ifndef AMIABLE_WEB_PAGES_H_
#define AMIABLE_WEB_PAGES_H_

#include "web/routes.h"

namespace amiable::web {

// Adds the page routes; does nothing when ctx.options->web_root is empty.
// Also installs ctx.page_error (error pages in the workspace's layout).
void RegisterPageRoutes(httplib::Server& server, Context& ctx);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_PAGES_H_
