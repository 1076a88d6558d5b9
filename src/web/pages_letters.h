// The letter pages (issue 8, item 3), thin adapters over
// service/letters_service.h:
//   GET  /modeles                  the fund's templates: the kinds, one in the
//                                  editor (?organisme=&modele=), the
//                                  {{variables}}, a preview on a real case
//                                  (?dossier=REF)
//   POST /modeles                  action=preview (render the edited text, save
//                                  nothing), action=save, action=reset
//   POST /modeles/apercu.pdf       the PDF of the edited text on the case
//   GET  /dossiers/{ref}/courriers the case's letters: choose a kind (those its
//                                  state calls for first), see and edit the
//                                  rendered text, send it; ?modele=KIND
//                                  preselects a kind, &reponse_a=ID answers
//                                  a message received on the case
//   POST /dossiers/{ref}/courriers mode=courriel | courrier, or
//                                  action=apercu (the PDF, nothing written)
// Every route goes through Guarded (session, case role, CSRF on POST).
#ifndef AMIABLE_WEB_PAGES_LETTERS_H_
#define AMIABLE_WEB_PAGES_LETTERS_H_

#include <map>
#include <string>
#include <vector>

#include "service/letters_service.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

// /modeles.
struct TemplatesPageInput {
  std::vector<Organisme> funds;  // those the user sees
  std::string organisme;         // the fund shown
  std::vector<service::TemplateEntry> templates;
  std::string kind;           // the kind in the editor
  std::string subject, body;  // the editor's text (posted or saved)
  bool may_edit = false;      // the hierarchy of the fund
  std::string reference;      // the case of the preview ("" : none)
  const service::LetterPreview* preview = nullptr;
  std::string preview_kind;        // the letter kind previewed
  std::string error, error_field;  // a refusal, tied to "subject", "body" or "dossier"
};
Data TemplatesPageView(const TemplatesPageInput& in);

// /dossiers/{ref}/courriers.
struct CaseLettersInput {
  Case c;
  std::string kind;                            // the kind chosen ("" : the first suggested)
  std::vector<std::string_view> suggested;     // SuggestedLetterKinds
  std::vector<OrientationEntry> orientations;  // the fund's list
  std::string orientation_code;
  const service::LetterPreview* preview = nullptr;  // the rendered letter of `kind`
  std::string subject, body;                        // the editor (posted, or the preview's)
  bool has_email = false;                           // the requester has an address
  std::vector<LetterRecord> letters;
  std::map<std::string, std::string> user_names;
  std::string error, error_field;
  int64_t download_id = 0;  // a letter just produced for post
  // ?reponse_a=<received id>: the message of the case answered (its
  // Message-ID goes out as In-Reply-To when sent by email); 0: none.
  int64_t reply_to_id = 0;
  std::string reply_to_from, reply_to_subject, reply_to_at;
};
Data CaseLettersView(const CaseLettersInput& in);

// The "Courriers" section of the case page: the kinds the state calls for
// (links to the letters page) and the letters produced.
void AddCaseLettersSection(const Case& c, const std::vector<LetterRecord>& letters,
                           const std::map<std::string, std::string>& user_names, Data& d);

void RegisterLetterRoutes(httplib::Server& server, Env& env);

}  // namespace amiable::web::pages

#endif  // AMIABLE_WEB_PAGES_LETTERS_H_
