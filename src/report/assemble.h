// Assembly of the annual report from the figures (pure: no store, no I/O).
//
// The sections follow the reference report: mediator's editorial and
// highlights, key figures with trend marks, requests and their evolution,
// admissibility, origin, emitter, channel, causes, motives, benefits, delays
// with the comparison table and the quarterly indicator, household, activity,
// family quotient, response modes, resolutions, financial impact, online-form
// and fraud focuses, the mediator's findings and plan, then the method and the
// data-quality annex. Every figure comes from YearFigures; every share names
// its denominator; several-valued breakdowns say their shares exceed 100 %.
#ifndef AMIABLE_REPORT_ASSEMBLE_H_
#define AMIABLE_REPORT_ASSEMBLE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "figures/figures.h"
#include "figures/trend.h"
#include "report/consistency.h"
#include "report/model.h"
#include "report/report_store.h"

namespace amiable::report {

// One year of the multi-year series.
struct YearPoint {
  int year = 0;
  int64_t received = 0;
  int64_t inadmissible = 0;
  int64_t closed = 0;
};

// A column pair of the comparison table ("la météo").
struct ComparisonSource {
  std::string label;   // "Ensemble des Caf", "Pôle national (Cnaf)"
  std::string origin;  // "base de données (3 Caf)", "fichier importé (export du 31/01/2026)"
  std::optional<YearFigures> current;
  std::optional<YearFigures> previous;
};

struct MediatorTexts {
  std::string editorial;  // light markup (docs/report.md)
  std::vector<Highlight> highlights;
  std::string findings;
  std::string plan;
};

struct ReportInputs {
  std::vector<Organisme> funds;  // the funds the report covers (names for the cover)
  bool all_funds = false;        // the report covers every fund of the database
  YearFigures current;
  YearFigures previous;            // same funds, year - 1
  std::vector<YearPoint> history;  // ascending years, ending with the current year
  // The figures of the same years as `history` (the XLSX sheet « Années »,
  // report/years.h); empty: no such sheet.
  std::vector<YearFigures> years;
  std::optional<ComparisonSource> all_funds_comparison;
  std::optional<ComparisonSource> national_pole;
  MediatorTexts texts;
  ConsistencyReport quality;
  bool incomplete = false;  // produced despite blocking problems
  TrendSettings trend;
  Date generated_on;
};

ReportModel AssembleReport(const ReportInputs& in);

// The light markup of mediator texts as blocks: blank lines separate
// paragraphs; "# " or "## " starts a subheading; "- ", "* " or "• " a bullet;
// "> " a right-aligned signature line; **text** is bold.
std::vector<Block> ParseLightMarkup(std::string_view text);

// "Caf du Puy-de-Dôme (631)", "Caf 631, 671 et 974", "Ensemble des Caf de la base (3)".
std::string FundLabel(const std::vector<Organisme>& funds, bool all_funds);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_ASSEMBLE_H_
