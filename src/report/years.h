// The years side by side (issue 10, part 7): the key figures of domain.md §5
// of several years, one column per year, as a model table. The workspace page
// /chiffres/annees shows it, its download and the annual report's XLSX put it
// on a sheet « Années ». Every cell is read from a YearFigures (figures.h:
// the one definition of each figure); nothing here computes a figure.
#ifndef AMIABLE_REPORT_YEARS_H_
#define AMIABLE_REPORT_YEARS_H_

#include <span>
#include <string>
#include <vector>

#include "core/date.h"
#include "figures/figures.h"
#include "report/model.h"

namespace amiable::report {

// One row of the table: a stable code (the figure's key in the JSON of
// domain.md §8, dotted: "received", "delays.take_charge_working_days_avg",
// "by_resolution.revisee", "financial.rappel.amount_cents"...), its French
// label, and the group it belongs to ("Demandes", "Délais"...).
struct YearsRow {
  std::string code;
  std::string label;
  std::string group;
};

// The rows, in display order.
const std::vector<YearsRow>& YearsRows();

// The section "years" (« Les années côte à côte »): one table "years" whose
// header is "Indicateur" then each year of `years` (ascending as given), one
// row per YearsRows() entry, cells typed (counts, rates of counts, days,
// euros) so that each writer shows them its way; a note naming the
// denominators. An empty `years` gives a table without year columns.
Section YearsSection(std::span<const YearFigures> years);

// The same figures in long form (section "years", one point per row and
// year), for the workbook's « Données » sheet.
std::vector<DataPoint> YearsPoints(std::span<const YearFigures> years);

// A workbook of its own (the page's download): the cover sheet (title
// « Chiffres clés par année », the funds, the years covered, the day of
// computation), the sheet « Années » and the « Données » sheet.
ReportModel YearsWorkbook(std::span<const YearFigures> years, std::string fund_label,
                          std::vector<std::string> organismes, Date as_of);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_YEARS_H_
