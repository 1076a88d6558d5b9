#include "report/consistency.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/french_format.h"
#include "store/store.h"

namespace amiable::report {
namespace {

using Severity = DataProblem::Severity;

void Add(const Case& c, Severity s, std::string code, std::string message,
         std::vector<DataProblem>* out) {
  out->push_back({s, c.reference, c.organisme, c.received_on, std::move(code), std::move(message)});
}

bool InYear(const std::optional<Date>& d, int year) { return d && d->year() == year; }

// "réponse (03/02/2025) avant la prise en charge (05/02/2025)"
std::string Before(const char* what, Date a, const char* other, Date b) {
  return std::string(what) + " (" + fr::ShortDate(a) + ") antérieure à " + other + " (" +
         fr::ShortDate(b) + ")";
}

}  // namespace

int64_t ConsistencyReport::Blocking() const {
  return hidden_blocking +
         std::count_if(problems.begin(), problems.end(),
                       [](const DataProblem& p) { return p.severity == Severity::kBlocking; });
}

int64_t ConsistencyReport::Warnings() const {
  return hidden_warnings + static_cast<int64_t>(problems.size()) -
         (Blocking() - hidden_blocking);
}

namespace {

struct KindOfProblem {
  const char* code;
  const char* label;
};
// The order of the annex: blocking kinds first.
constexpr KindOfProblem kKinds[] = {
    {"missing_admissibility", "clos sans décision de recevabilité"},
    {"missing_take_charge_date", "clos sans date de prise en charge"},
    {"missing_answer_date", "clos sans date de réponse"},
    {"dates_out_of_order", "dates dans le désordre"},
    {"missing_resolution", "clos sans mode de résolution"},
    {"missing_cause", "clos sans cause (point de vue de la Caf)"},
    {"missing_inadmissibility_reason", "irrecevable sans motif d'irrecevabilité"},
};

}  // namespace

const std::vector<std::string>& ProblemCodes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> v;
    for (const KindOfProblem& k : kKinds) v.emplace_back(k.code);
    return v;
  }();
  return codes;
}

std::string ProblemLabel(std::string_view code) {
  for (const KindOfProblem& k : kKinds) {
    if (code == k.code) return k.label;
  }
  return std::string(code);
}

std::vector<ProblemCount> ConsistencyReport::CountsByCode() const {
  std::map<std::string, ProblemCount> by;
  for (const DataProblem& p : problems) {
    ProblemCount& c = by[p.code];
    c.code = p.code;
    c.severity = p.severity;
    ++c.count;
  }
  for (const ProblemCount& h : hidden_by_code) {
    ProblemCount& c = by[h.code];
    c.code = h.code;
    c.severity = h.severity;
    c.count += h.count;
  }
  std::vector<ProblemCount> out;
  for (const std::string& code : ProblemCodes()) {
    if (auto it = by.find(code); it != by.end()) {
      out.push_back(it->second);
      by.erase(it);
    }
  }
  for (auto& [code, c] : by) out.push_back(c);  // a kind without a label (none today)
  return out;
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

Status KeepVisible(CaseStore& store, const Actor& reader, ConsistencyReport* r) {
  if (r->problems.empty()) return {};
  CaseFilter f;
  f.limit = 0;
  f.with_financial = false;
  std::set<std::string> funds;
  Date from = r->problems.front().received_on;
  Date to = from;
  for (const DataProblem& p : r->problems) {
    funds.insert(p.organisme);
    from = std::min(from, p.received_on);
    to = std::max(to, p.received_on);
  }
  f.organismes.assign(funds.begin(), funds.end());
  f.received_from = from;
  f.received_to = to;
  std::set<std::string> visible;
  // A statistics reader sees no case: the store answers an empty list.
  auto cases = store.ListCases(reader, f, nullptr);
  if (!cases) return Fail(cases.error());
  for (const Case& c : *cases) visible.insert(c.reference);
  std::vector<DataProblem> kept;
  std::map<std::string, ProblemCount> hidden;
  for (const ProblemCount& h : r->hidden_by_code) hidden[h.code] = h;
  for (DataProblem& p : r->problems) {
    if (visible.count(p.reference)) {
      kept.push_back(std::move(p));
      continue;
    }
    ProblemCount& h = hidden[p.code];
    h.code = p.code;
    h.severity = p.severity;
    ++h.count;
    ++(p.severity == Severity::kBlocking ? r->hidden_blocking : r->hidden_warnings);
  }
  r->problems = std::move(kept);
  r->hidden_by_code.clear();
  for (auto& [code, h] : hidden) r->hidden_by_code.push_back(h);
  return {};
}

}  // namespace amiable::report
