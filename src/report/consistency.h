// The consistency check run before a report is produced: what would make the
// figures of a year wrong or incomplete, case by case, so that the mediator
// can fix the cases (the workspace's data-quality page lists the same).
//
// Checked, for the cases received or closed in the year:
// - blocking (the report refuses unless --allow-incomplete):
//   * a closed case whose admissibility was never decided;
//   * an admissible closed case without a taking-in-charge date or without an
//     answer date (its delays would silently drop out);
//   * dates out of order: prior step after reception, taking in charge,
//     answer or closing before reception, answer before taking in charge,
//     closing before answer or before taking in charge;
// - warnings (listed in the report's data-quality annex, counted as
//   "non renseigné" in the figures; blocking only with `strict`):
//   * an admissible closed case without a resolution or without a cause;
//   * an inadmissible case without a reason.
// Missing descriptive values (household, activity, QF...) are not problems:
// the figures count them as unknown and show that count.
#ifndef AMIABLE_REPORT_CONSISTENCY_H_
#define AMIABLE_REPORT_CONSISTENCY_H_

#include <span>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/error.h"

namespace amiable {
class Store;
}

namespace amiable::report {

struct DataProblem {
  enum class Severity { kBlocking, kWarning };
  Severity severity = Severity::kBlocking;
  std::string reference;  // the case to fix
  std::string organisme;
  std::string code;     // stable: "missing_take_charge_date", "dates_out_of_order", ...
  std::string message;  // French, one line, names the dates or fields concerned
};

struct ConsistencyReport {
  std::vector<DataProblem> problems;  // by organisme, reference, then code
  int64_t cases_checked = 0;

  int64_t Blocking() const;
  int64_t Warnings() const;
  // True when the report may be produced without --allow-incomplete.
  bool Acceptable(bool strict) const { return Blocking() == 0 && (!strict || Warnings() == 0); }
};

// Appends the problems of one case for `year` (none when the case is neither
// received nor closed in that year).
void CheckCase(const Case& c, int year, std::vector<DataProblem>* out);

// Pure: checks every case of `cases` (callers filter by fund).
ConsistencyReport CheckCases(std::span<const Case> cases, int year);

// Streams the cases of the funds (empty = all) received or closed in `year`
// from the store and checks them.
Result<ConsistencyReport> CheckConsistency(Store& store, const std::vector<std::string>& organismes,
                                           int year);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_CONSISTENCY_H_
