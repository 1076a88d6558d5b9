// Conflicts of interest around lifecycle events (domain.md §2, "3 i"), shared
// by the JSON API and the workspace pages so that both refuse the same way:
// - before take_in_charge, the declared interest links of the mediator who
//   would be in charge (the `assigned_to` parameter, else the actor) are
//   compared with the case (core/conflict.h); a suggested recusal refuses
//   the event (kConflict: the case must be handed to another mediator with
//   the `recuse` event);
// - nobody is put in charge of a case they recused from (kInvalid);
// - the `recuse` event records the recusal of the mediator who hands the
//   case over in the same transaction as the case (Store::UpdateCaseRecusing),
//   after which the store hides the case from them.
// No HTTP library here. Thread safety: reentrant (the store is the caller's).
#ifndef AMIABLE_WEB_CONFLICT_CHECK_H_
#define AMIABLE_WEB_CONFLICT_CHECK_H_

#include <string>

#include "core/conflict.h"
#include "core/lifecycle.h"
#include "store/store.h"

namespace amiable::web {

// The links of `mediator` compared with `c` and its people (read as `actor`).
Result<ConflictAssessment> AssessMediator(Store& store, const Actor& actor, const Case& c,
                                          const std::string& mediator, Date today);

// The checks above for `r` about to be applied to `c` (before ApplyEvent).
// The kConflict message is French: the summary, each strong finding, and
// what to do.
Status CheckConflicts(Store& store, const Actor& actor, const Case& c, const EventRequest& r,
                      Date today);

// Writes `after` (ApplyEvent's result on `before`) with its history row:
// UpdateCaseRecusing for `recuse` (the recused mediator is the one assigned
// in `before`, else the actor, as lifecycle.cc says), UpdateCase otherwise.
Status SaveEvent(Store& store, const Actor& actor, const Case& before, const Case& after,
                 const EventRequest& r, const CaseEvent& event);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_CONFLICT_CHECK_H_
