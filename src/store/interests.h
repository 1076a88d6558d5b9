// Role: conflicts of interest (migration 4): declared interest links and
// recusals (déports). Defaults answer kInternal "not supported".
#ifndef AMIABLE_STORE_INTERESTS_H_
#define AMIABLE_STORE_INTERESTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/conflict.h"
#include "core/date.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {

// A declared interest link of a user, as kept (core/conflict.h compares
// `link` with a case).
struct DeclaredInterest {
  int64_t id = 0;
  std::string user;  // user name
  InterestLink link;
  std::optional<Date> started_on;
  std::string declared_at;  // ISO 8601 UTC
};
// "person", "organisation", "allocataire" (the `kind` column).
const char* InterestSubjectCode(InterestLink::Subject s);
std::optional<InterestLink::Subject> InterestSubjectFromCode(std::string_view code);

// A mediator recused from a case (déport), with the "3 i" assessment of
// core/conflict.h. While not lifted, the case does not exist for `user`
// (store.h, Authorization); a lifted recusal is kept but hides nothing.
struct Recusal {
  std::string case_reference;
  std::string user;           // who recused (and no longer sees the case)
  std::string reason;         // French, as given with the `recuse` event
  std::string at;             // ISO 8601 UTC (set by the store when empty)
  std::string by_user;        // who recorded it (the mediator, or the hierarchy); "" = the actor
  int64_t id = 0;             // set by the store
  std::string interest = {};  // intérêt: the link, text
  std::vector<std::string> interference = {};  // materielle, geographique, temporelle
  std::string intensity = {};                  // forte | moderee
  std::string lifted_at = {};                  // ISO 8601 UTC; empty while in force
  std::string lifted_by = {};                  // who lifted it
  std::string lift_reason = {};                // why (recorded in error...)
};

class Interests {
 public:
  virtual ~Interests() = default;

  // Declared interest links of a user. Add fails with kInvalid for an
  // unknown user (field "user") or an empty value (field "value"); returns
  // the link's id. Remove is kNotFound for an unknown id.
  virtual Result<int64_t> AddInterestLink(const Actor& actor, const DeclaredInterest& d);
  virtual Result<std::vector<DeclaredInterest>> InterestLinks(std::string_view user);
  virtual Status RemoveInterestLink(const Actor& actor, int64_t id);

  // Records a recusal of r.user (who must not be empty: kInvalid "user")
  // from the case, recorded by r.by_user (default: the actor). The actor
  // must see the case (else kNotFound). From then on the case does not
  // exist for r.user when a mediator (see store.h, Authorization).
  virtual Status RecordRecusal(const Actor& actor, std::string_view reference, const Recusal& r);
  // UpdateCase (same contract) and RecordRecusal of `r` in ONE transaction:
  // what the `recuse` event writes.
  virtual Status UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                                    const Recusal& r);
  // Thin wrappers of the two above (recusal without the 3 i assessment).
  Status RecordRecusal(const Actor& actor, std::string_view reference, std::string_view user,
                       std::string_view reason);
  Status UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                            std::string_view recused_user, std::string_view reason);
  // Lifts a recusal recorded in error (the row is kept, with who lifted it,
  // when and why): the case shows again to its mediator. kNotFound when the
  // actor does not see the case or `recusal_id` is not one of its
  // recusals; kConflict when it is already lifted.
  virtual Status LiftRecusal(const Actor& actor, std::string_view reference, int64_t recusal_id,
                             std::string_view reason);
  // The recusals of a case the actor sees, oldest first, lifted ones
  // included. kNotFound for a case the actor does not see.
  virtual Result<std::vector<Recusal>> Recusals(const Actor& actor, std::string_view reference);

  // Per-case access grants: `user` then sees this case (and only it, when
  // the case is of a fund the user does not see), e.g. a mediator of
  // another fund to whom the case was handed by a recusal. The actor must
  // see the case (else kNotFound); `user` must exist (else kInvalid "user").
  // Granting twice is a no-op (the first grant stays).
  virtual Status GrantCaseAccess(const Actor& actor, std::string_view reference,
                                 std::string_view user, std::string_view reason);
  // Ends the grant (kept with its revocation time). kNotFound when the
  // actor does not see the case or `user` has no grant in force on it.
  virtual Status RevokeCaseAccess(const Actor& actor, std::string_view reference,
                                  std::string_view user);
  // The users with a grant in force on the case, by name.
  virtual Result<std::vector<std::string>> CaseAccessUsers(const Actor& actor,
                                                           std::string_view reference);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_INTERESTS_H_
