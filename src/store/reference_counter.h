// The references of a fund's year drawn from its counter, for an import of
// cases that have none (intake/csv_import.h). A role beside Store (like
// report_data.h): reached with ReferenceCounterOf(store).
//
// Authorization is here, as for every write: only a manager or an
// administrator who sees the fund reserves references (kForbidden
// otherwise), and Store::ImportCases itself refuses every other role.
#ifndef AMIABLE_STORE_REFERENCE_COUNTER_H_
#define AMIABLE_STORE_REFERENCE_COUNTER_H_

#include <string>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class Store;

class ReferenceCounter {
 public:
  virtual ~ReferenceCounter() = default;

  // The next `count` references of the fund's year ("631-2024-00031"...),
  // continuing the counter SubmitCase draws from and skipping references
  // already stored; the counter is advanced past them. Runs in the caller's
  // transaction when one is open (Store::InTransaction is reentrant): an
  // import rolled back gives the numbers back. kForbidden for a role other
  // than manager or administrator, kInvalid for a fund unknown or not seen.
  virtual Result<std::vector<std::string>> ReserveReferences(const Actor& actor,
                                                             const std::string& organisme,
                                                             int year, int count) = 0;
};

// The store's reference counter; null when the store has none (a test fake).
ReferenceCounter* ReferenceCounterOf(Store& store);

}  // namespace amiable

#endif  // AMIABLE_STORE_REFERENCE_COUNTER_H_
