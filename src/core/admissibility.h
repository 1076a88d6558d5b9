// Suggests whether a request is admissible to mediation (domain.md §2, step
// 2) from the data entered. Only a suggestion: the mediator decides, through
// the lifecycle events declare_inadmissible or take_in_charge.
//
// Rules, first match wins:
//   1. prior_step absent or "aucune"         -> irrecevable, absence_demarche_prealable
//   2. prior_step "recours_contentieux"      -> irrecevable, recours_contentieux
//   3. prior_step_on on or after received_on -> irrecevable, absence_demarche_prealable
//      (a complaint sent the same day, or later, is no prior step)
//   4. out of the field of individual Caf benefits, conservatively:
//      benefits given and all "autre"; or benefits unknown/empty and the
//      description names something outside it (aides collectives, another
//      body's benefit: retraite, assurance maladie...)
//                                             -> irrecevable, hors_champ
//   5. otherwise                              -> recevable
// Whatever the suggestion, `notes` lists French points to check that the
// rules above do not decide alone (a debt-waiver request goes to the CRA, a
// private dispute, family mediation, a missing prior-step date...).
//
// Thread safety: reentrant.
#ifndef AMIABLE_CORE_ADMISSIBILITY_H_
#define AMIABLE_CORE_ADMISSIBILITY_H_

#include <optional>
#include <string>
#include <vector>

#include "core/case.h"

namespace amiable {

struct AdmissibilitySuggestion {
  std::string admissibility;          // "recevable" or "irrecevable"
  std::optional<std::string> reason;  // inadmissibility_reason code when irrecevable
  std::string explanation;            // French, one sentence: why
  std::vector<std::string> notes;     // French, points for the mediator to check
};

// Never fails; looks only at the case (prior_step, prior_step_on,
// received_on, benefits, description).
AdmissibilitySuggestion SuggestAdmissibility(const Case& c);

}  // namespace amiable

#endif  // AMIABLE_CORE_ADMISSIBILITY_H_
