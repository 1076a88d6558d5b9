// The météo's columns and the context figures of a report, gathered for
// BuildReport (report.cc). Internal to the report library.
//
// Where each column comes from (docs/report.md "La météo"):
// - the fund: its cases; a year with no case at all may come from an
//   aggregate of scope fund (typed or imported);
// - all funds: computed from the database's cases only when the deployment
//   is declared national (setting deployment.national = "1"; the national
//   pole fund, when set, left out); otherwise an aggregate of scope
//   all_funds, typed or imported; absent: n.d.;
// - the national pole (Cnaf): computed from the cases of the fund named by
//   the setting deployment.national_pole when the database has it; otherwise
//   an aggregate of scope national_pole.
// The settings and the context figures are read through ReportDataOf(store)
// (no role: none, nothing computed from settings).
#ifndef AMIABLE_REPORT_COMPARISON_H_
#define AMIABLE_REPORT_COMPARISON_H_

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/error.h"
#include "figures/figures.h"
#include "report/assemble.h"
#include "report/report_store.h"

namespace amiable {
class Store;
}

namespace amiable::report::comparison_internal {

// The figures of `year` for the funds over `cases` (frozen years served
// frozen), as BuildReport computes them.
using FiguresOf = std::function<Result<YearFigures>(std::span<const Case> cases,
                                                    const std::vector<std::string>& funds,
                                                    int year)>;

struct ComparisonRequest {
  int year = 0;
  std::vector<std::string> codes;      // the report's funds
  std::vector<std::string> all_codes;  // every fund of the database
  bool all_funds = false;              // the report covers every fund
  std::string data_token;              // cache key of computed figures ("" : no cache)
};

// Fills in->national_pole, in->all_funds_comparison, in->own_previous.
Status GatherComparison(Store& store, AggregateStore& aggregates, const ComparisonRequest& r,
                        const FiguresOf& figures_of, ReportInputs* in);

// Fills in->context and in->previous_context (fund set key, year).
Status GatherContext(Store& store, const std::string& fund_set, int year, ReportInputs* in);

}  // namespace amiable::report::comparison_internal

#endif  // AMIABLE_REPORT_COMPARISON_H_
