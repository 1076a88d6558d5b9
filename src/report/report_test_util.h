// Shared by the report's tests: cases built in a line.
#ifndef AMIABLE_REPORT_REPORT_TEST_UTIL_H_
#define AMIABLE_REPORT_REPORT_TEST_UTIL_H_

#include <string>

#include "core/case.h"

namespace amiable::report {

// An admissible case of fund 631 received on `received`, taken in charge the
// next day, answered after 10 days, closed after 12, confirmed.
inline Case ClosedCase(std::string ref, Date received) {
  Case c;
  c.reference = std::move(ref);
  c.organisme = "631";
  c.received_on = received;
  c.admissibility = "recevable";
  c.taken_in_charge_on = received + 1;
  c.answered_on = received + 10;
  c.closed_on = received + 12;
  c.resolution = "confirmee";
  c.cause = "pas_erreur_caf";
  return c;
}

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_REPORT_TEST_UTIL_H_
