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

// A mediator recused from a case (déport).
struct Recusal {
  std::string case_reference;
  std::string user;     // who recused (and no longer sees the case)
  std::string reason;   // French, as given with the `recuse` event
  std::string at;       // ISO 8601 UTC
  std::string by_user;  // who recorded it (the mediator, or the hierarchy)
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

  // Records that `user` recused from the case (the actor must see it): from
  // then on the case does not exist for `user` (see Authorization above).
  virtual Status RecordRecusal(const Actor& actor, std::string_view reference,
                               std::string_view user, std::string_view reason);
  // UpdateCase (same contract) and RecordRecusal of `recused_user` in ONE
  // transaction: what the `recuse` event writes.
  virtual Status UpdateCaseRecusing(const Actor& actor, const Case& c, const CaseEvent& event,
                                    std::string_view recused_user, std::string_view reason);
  // The recusals of a case the actor sees, oldest first.
  virtual Result<std::vector<Recusal>> Recusals(const Actor& actor, std::string_view reference);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_INTERESTS_H_
