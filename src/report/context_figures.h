// The context figures of a year as people type them (`amiable context set`,
// the workspace's context form): the fund's beneficiaries and the national
// ones on 30 June, all funds' mediation requests, the fund's first-level
// complaints with their share handled within 10 days and their mean delay,
// and where these numbers come from. Stored by ReportDataStore
// (store/report_data.h ContextFigures); printed by the report's requests
// chapter (assemble_context.cc) with the shares derived from them.
//
// Contracts: kInvalid with a catalogue key ("report.typed_count",
// "report.typed_number", "report.typed_percent", "report.context_source")
// and `field` = the ContextText member. Pure.
#ifndef AMIABLE_REPORT_CONTEXT_FIGURES_H_
#define AMIABLE_REPORT_CONTEXT_FIGURES_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/report_data.h"

namespace amiable::report {

// Each member as typed; "" is not given. Counts with spaces between
// thousands, decimals with ',' or '.', the percentage as "87,5" or "87,5 %".
struct ContextText {
  std::string beneficiaries;
  std::string national_beneficiaries;
  std::string all_funds_requests;
  std::string complaints;
  std::string complaints_within_10_days;  // a percentage
  std::string complaints_mean_days;
  std::optional<std::string> source;  // nullopt: not given
};

inline constexpr size_t kMaxContextSource = 500;

// The French label of a member of ContextText.
std::string ContextFieldLabel(std::string_view member);

// `base` with the members of `t` applied. An empty member keeps base's
// value, or clears it when `empty_clears` (a form that shows every field).
Result<ContextFigures> ApplyContextText(ContextFigures base, const ContextText& t,
                                        bool empty_clears);

// The figures as a form shows them ("133 331", "94,34", "5,9"); "" when
// not given.
ContextText ContextTextOf(const ContextFigures& c);

// Whether any figure is given.
bool HasContextFigures(const ContextFigures& c);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_CONTEXT_FIGURES_H_
