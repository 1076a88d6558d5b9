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
#include "core/date.h"
#include "core/error.h"
#include "store/actor.h"

namespace amiable {
class Store;
class CaseStore;
}

namespace amiable::report {

struct DataProblem {
  enum class Severity { kBlocking, kWarning };
  Severity severity = Severity::kBlocking;
  std::string reference;  // the case to fix
  std::string organisme;
  Date received_on;       // of the case (to read the visible cases: KeepVisible)
  std::string code;     // stable: "missing_take_charge_date", "dates_out_of_order", ...
  std::string message;  // French, one line, names the dates or fields concerned
};

// How many problems of one kind (a figure: no case named).
struct ProblemCount {
  std::string code;  // DataProblem::code
  DataProblem::Severity severity = DataProblem::Severity::kBlocking;
  int64_t count = 0;
};

struct ConsistencyReport {
  // The problems listed case by case: every problem, or after KeepVisible
  // only those of the cases the reader may see. By organisme, reference,
  // then code.
  std::vector<DataProblem> problems;
  int64_t cases_checked = 0;
  // Problems of cases the reader may not see (KeepVisible): counted in
  // Blocking() and Warnings(), never listed.
  int64_t hidden_blocking = 0;
  int64_t hidden_warnings = 0;
  std::vector<ProblemCount> hidden_by_code;  // the hidden ones by kind

  // Every problem, listed or hidden (the report is refused on these).
  int64_t Blocking() const;
  int64_t Warnings() const;
  int64_t Hidden() const { return hidden_blocking + hidden_warnings; }
  // Counts per kind of problem, listed and hidden ones together, in the
  // order of ProblemCodes(); kinds without a problem are left out.
  std::vector<ProblemCount> CountsByCode() const;
  // True when the report may be produced without --allow-incomplete.
  bool Acceptable(bool strict) const { return Blocking() == 0 && (!strict || Warnings() == 0); }
};

// The codes of DataProblem, in the order of the annex.
const std::vector<std::string>& ProblemCodes();
// The French label of a kind of problem ("clos sans date de réponse"); the
// code itself when unknown.
std::string ProblemLabel(std::string_view code);

// Appends the problems of one case for `year` (none when the case is neither
// received nor closed in that year).
void CheckCase(const Case& c, int year, std::vector<DataProblem>* out);

// Pure: checks every case of `cases` (callers filter by fund).
ConsistencyReport CheckCases(std::span<const Case> cases, int year);

// Streams the cases of the funds (empty = all) received or closed in `year`
// from the store and checks them.
Result<ConsistencyReport> CheckConsistency(Store& store, const std::vector<std::string>& organismes,
                                           int year);

// Keeps in r->problems only those of the cases `reader` may see, asking the
// store with the reader (store.h, Authorization: a mediator recused from a
// case does not find it, a statistics reader finds none); the others move
// to the hidden counts. The counts of the report do not change. Reads the
// cases of the problems' funds received between the earliest and the latest
// reception date of the problems (one query; none when nothing is listed).
// Store errors as they come (r unchanged then).
Status KeepVisible(CaseStore& store, const Actor& reader, ConsistencyReport* r);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_CONSISTENCY_H_
