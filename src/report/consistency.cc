#include "report/consistency.h"

#include <algorithm>
#include <tuple>

#include "core/french_format.h"
#include "store/store.h"

namespace amiable::report {
namespace {

using Severity = DataProblem::Severity;

void Add(const Case& c, Severity s, std::string code, std::string message,
         std::vector<DataProblem>* out) {
  out->push_back({s, c.reference, c.organisme, std::move(code), std::move(message)});
}

bool InYear(const std::optional<Date>& d, int year) { return d && d->year() == year; }

// "réponse (03/02/2025) avant la prise en charge (05/02/2025)"
std::string Before(const char* what, Date a, const char* other, Date b) {
  return std::string(what) + " (" + fr::ShortDate(a) + ") antérieure à " + other + " (" +
         fr::ShortDate(b) + ")";
}

}  // namespace

int64_t ConsistencyReport::Blocking() const {
  return std::count_if(problems.begin(), problems.end(),
                       [](const DataProblem& p) { return p.severity == Severity::kBlocking; });
}

int64_t ConsistencyReport::Warnings() const {
  return static_cast<int64_t>(problems.size()) - Blocking();
}

void CheckCase(const Case& c, int year, std::vector<DataProblem>* out) {
  if (c.received_on.year() != year && !InYear(c.closed_on, year)) return;
  const bool closed = c.closed_on.has_value();
  const bool admissible = c.admissibility == "recevable";
  if (closed && c.admissibility.empty()) {
    Add(c, Severity::kBlocking, "missing_admissibility", "clos sans décision de recevabilité", out);
  }
  if (closed && admissible) {
    if (!c.taken_in_charge_on) {
      Add(c, Severity::kBlocking, "missing_take_charge_date", "clos sans date de prise en charge",
          out);
    }
    if (!c.answered_on) {
      Add(c, Severity::kBlocking, "missing_answer_date", "clos sans date de réponse", out);
    }
    if (!c.resolution) {
      Add(c, Severity::kWarning, "missing_resolution", "clos sans mode de résolution", out);
    }
    if (!c.cause) {
      Add(c, Severity::kWarning, "missing_cause", "clos sans cause (point de vue de la Caf)", out);
    }
  }
  if (c.admissibility == "irrecevable" && !c.inadmissibility_reason) {
    Add(c, Severity::kWarning, "missing_inadmissibility_reason",
        "irrecevable sans motif d'irrecevabilité", out);
  }
  // Dates out of order.
  const Date r = c.received_on;
  std::vector<std::string> order;
  if (c.prior_step_on && *c.prior_step_on > r) {
    order.push_back("démarche préalable (" + fr::ShortDate(*c.prior_step_on) +
                    ") postérieure à la réception (" + fr::ShortDate(r) + ")");
  }
  if (c.taken_in_charge_on && *c.taken_in_charge_on < r) {
    order.push_back(Before("prise en charge", *c.taken_in_charge_on, "la réception", r));
  }
  if (c.answered_on && *c.answered_on < r) {
    order.push_back(Before("réponse", *c.answered_on, "la réception", r));
  }
  if (c.closed_on && *c.closed_on < r) {
    order.push_back(Before("clôture", *c.closed_on, "la réception", r));
  }
  if (c.answered_on && c.taken_in_charge_on && *c.answered_on < *c.taken_in_charge_on) {
    order.push_back(Before("réponse", *c.answered_on, "la prise en charge", *c.taken_in_charge_on));
  }
  if (c.closed_on && c.answered_on && *c.closed_on < *c.answered_on) {
    order.push_back(Before("clôture", *c.closed_on, "la réponse", *c.answered_on));
  }
  if (c.closed_on && c.taken_in_charge_on && *c.closed_on < *c.taken_in_charge_on) {
    order.push_back(Before("clôture", *c.closed_on, "la prise en charge", *c.taken_in_charge_on));
  }
  if (!order.empty()) {
    std::string msg = "dates dans le désordre : ";
    for (size_t i = 0; i < order.size(); ++i) {
      if (i > 0) msg += " ; ";
      msg += order[i];
    }
    Add(c, Severity::kBlocking, "dates_out_of_order", std::move(msg), out);
  }
}

namespace {
void SortProblems(std::vector<DataProblem>* v) {
  std::stable_sort(v->begin(), v->end(), [](const DataProblem& a, const DataProblem& b) {
    return std::tie(a.organisme, a.reference) < std::tie(b.organisme, b.reference);
  });
}
}  // namespace

ConsistencyReport CheckCases(std::span<const Case> cases, int year) {
  ConsistencyReport r;
  for (const Case& c : cases) {
    if (c.received_on.year() != year && !InYear(c.closed_on, year)) continue;
    ++r.cases_checked;
    CheckCase(c, year, &r.problems);
  }
  SortProblems(&r.problems);
  return r;
}

Result<ConsistencyReport> CheckConsistency(Store& store, const std::vector<std::string>& organismes,
                                           int year) {
  if (year < 1900 || year > 2199) return Fail(Error::Invalid("year out of range", "year"));
  ConsistencyReport r;
  auto s = store.ForEachCaseInPeriod(
      organismes, Date::FromCivil(year, 1, 1), Date::FromCivil(year, 12, 31), [&](const Case& c) {
        if (c.received_on.year() != year && !InYear(c.closed_on, year)) {
          return;
        }
        ++r.cases_checked;
        CheckCase(c, year, &r.problems);
      });
  if (!s) return Fail(s.error());
  SortProblems(&r.problems);
  return r;
}

}  // namespace amiable::report
