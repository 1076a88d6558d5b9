// Role: the streams of cases the figures and exports read.
#ifndef AMIABLE_STORE_CASE_SCAN_H_
#define AMIABLE_STORE_CASE_SCAN_H_

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/case.h"
#include "core/date.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class CaseScan {
 public:
  virtual ~CaseScan() = default;

  // Streams the cases visible to the actor (store.h, Authorization),
  // ordered by organisme then reception date then reference. `organismes`
  // empty = all visible; `year` restricts to the reception year.
  virtual Status ForEachCase(const Actor& actor, std::span<const std::string> organismes,
                             std::optional<int> year,
                             const std::function<void(const Case&)>& fn) = 0;

  // Streams the cases of the funds (empty = all) whose reception date or
  // closing date lies in [from, to]: what the figures of a period need.
  // Takes no actor: callers show figures only, never a case (store.h).
  // Only the interchange fields are filled. Each case is visited once; `fn`
  // may move from it (the figures keep the cases without copying them).
  virtual Status ForEachCaseInPeriod(std::span<const std::string> organismes, Date from, Date to,
                                     const std::function<void(Case&)>& fn) = 0;

  // The same cases as ForEachCaseInPeriod with only what the delays and
  // counts need: organisme, reference, received_on, admissibility,
  // inadmissibility_reason and the taking-in-charge, answer and closing
  // dates (every other field absent). Much cheaper to read; used for the
  // all-funds comparison of the annual report. The default reads everything.
  virtual Status ForEachCaseDatesInPeriod(std::span<const std::string> organismes, Date from,
                                          Date to, const std::function<void(Case&)>& fn) {
    return ForEachCaseInPeriod(organismes, from, to, fn);
  }
};

}  // namespace amiable

#endif  // AMIABLE_STORE_CASE_SCAN_H_
