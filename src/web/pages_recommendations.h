// The register of findings and recommendations in the workspace
// (/registre, issue 10 item 6): the view builder (pure, tested without
// HTTP) and the routes. The routes are thin: the store checks the values
// and the rights (store/report_data.h), report/register.h selects what a
// year shows and moves items.
//
//   GET  /registre?organisme=&annee=   the year's items by theme, the
//        earlier years' items still followed, the forms
//   POST /registre/ajouter             theme, kind, text, addressed_to, status
//   POST /registre/modifier            id + the same fields
//   POST /registre/supprimer           id
//   POST /registre/deplacer            id, sens=haut|bas
//   POST /registre/suivi               id, suivi_annee, date, statut, note
// Every POST carries the session's csrf field (the guard checks it) and
// organisme + annee (where to come back). Reading: every role but partners,
// on its funds (the national role: every fund); writing: mediators,
// managers and administrators of the fund.
#ifndef AMIABLE_WEB_PAGES_RECOMMENDATIONS_H_
#define AMIABLE_WEB_PAGES_RECOMMENDATIONS_H_

#include <string>
#include <vector>

#include "report/register.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {

struct RegisterPageInput {
  std::vector<Organisme> funds;  // those the user sees
  std::string organisme;         // the fund shown ("" when the user sees none)
  int year = 0;
  int this_year = 0;
  Date today;
  bool may_write = false;        // hides the forms only; the store decides
  report::RegisterInputs reg;    // the year's items and the earlier ones followed
  // A refused form shown again: "add", "edit:ID", "follow:ID"; its message
  // (naming the field) and the values typed.
  std::string refused_form;
  std::string refused_message;
  Fields posted;
};
Data RegisterPageView(const RegisterPageInput& in);

void RegisterRecommendationRoutes(httplib::Server& server, Env& env);

}  // namespace amiable::web::pages

#endif  // AMIABLE_WEB_PAGES_RECOMMENDATIONS_H_
