// Assembly of the annual report from the figures (pure: no store, no I/O).
//
// The sections follow the reference report: mediator's editorial and
// highlights, key figures with trend marks, requests and their evolution,
// admissibility, origin, emitter, channel, causes, motives, benefits, delays
// with the comparison table and the quarterly indicator, household, activity,
// family quotient, response modes, resolutions, financial impact, online-form
// and fraud focuses, the mediator's findings and plan, then the method annex.
// No internal data-quality material (no case named, no warning counts): a
// report produced incomplete has only its cover banner and the blocking
// problems per kind ("Données incomplètes"). Every figure comes from YearFigures; every share names
// its denominator; several-valued breakdowns say their shares exceed 100 %.
#ifndef AMIABLE_REPORT_ASSEMBLE_H_
#define AMIABLE_REPORT_ASSEMBLE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "figures/figures.h"
#include "figures/trend.h"
#include "report/consistency.h"
#include "report/model.h"
#include "report/register.h"
#include "report/report_store.h"
#include "store/report_data.h"

namespace amiable::report {

// One year of the multi-year series.
struct YearPoint {
  int year = 0;
  int64_t received = 0;
  int64_t inadmissible = 0;
  int64_t closed = 0;
};

// One column of the comparison table ("la météo"): a year's figures and
// where they come from.
struct ComparisonYear {
  YearFigures figures;
  // "calculés à partir de la base (3 Caf)", "fichier importé (export du
  // 31/01/2026)", "saisis le 02/12/2026".
  std::string origin;
  // The figures given (Aggregate::given); empty: every figure.
  std::set<std::string> given;
  bool Gives(std::string_view key) const { return given.empty() || given.count(std::string(key)); }
};

// A column pair of the comparison table.
struct ComparisonSource {
  std::string label;  // "Cnaf", "Ensemble des Caf"
  std::optional<ComparisonYear> current;
  std::optional<ComparisonYear> previous;
};

// A signature line under an editorial: the name (bold) and the title,
// right-aligned. Stored as "name\ntitle" (report/texts.h).
struct Signature {
  std::string name;   // "Claire Martin"
  std::string title;  // "Directrice de la Caf du Puy-de-Dôme"
  bool empty() const { return name.empty() && title.empty(); }
};

// The mediator's words as stored (report/texts.h ReadMediatorTexts); every
// text in the light markup of report/markup.h. An empty text is left out of
// the report, except the introduction pages, which print their default text
// (report/texts.h DefaultText).
struct MediatorTexts {
  std::string director_editorial;
  Signature director_signature;
  std::string editorial;  // the mediator's word
  Signature mediator_signature;
  std::vector<Highlight> highlights;
  std::string intro_mediation;
  std::string intro_who;
  std::string intro_not;
  std::string intro_conflict;
  // Figures section id ("requests", "channel"...) -> its commentary,
  // printed at the end of that section (after its charts).
  std::map<std::string, std::string> commentaries;
  std::string fraud_focus;  // printed at the end of the fraud focus
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
  // The fund's own columns when they do not come from its cases: a year
  // before the fund used amiable, typed or imported (`aggregate set --scope
  // fund`); nullopt: computed (current/previous above).
  std::optional<ComparisonYear> own_previous;
  // Where the fund's own computed columns come from ("calculés à partir de
  // la base").
  std::string own_origin = "calculés à partir des dossiers de la base";
  // The context figures typed for the year and the year before
  // (report/context_figures.h), printed in the requests chapter.
  std::optional<ContextFigures> context;
  std::optional<ContextFigures> previous_context;
  MediatorTexts texts;
  ConsistencyReport quality;
  bool incomplete = false;  // produced despite blocking problems
  TrendSettings trend;
  Date generated_on;
  // The register of findings and recommendations (report/register.h): the
  // year's items and the follow-up of earlier ones, printed in the findings
  // chapter (assemble_register.cc).
  RegisterInputs register_items;
};

ReportModel AssembleReport(const ReportInputs& in);

// The light markup of mediator texts (report/markup.h) as blocks of the
// model: blank lines separate paragraphs; "# " or "## " starts a subheading;
// "- ", "* " or "• " a bullet; "> " a right-aligned signature line; **text**
// is bold (kept in the block's text, rendered by the writers).
std::vector<Block> ParseLightMarkup(std::string_view text);

// "Caf du Puy-de-Dôme (631)", "Caf 631, 671 et 974", "Ensemble des Caf de la base (3)".
std::string FundLabel(const std::vector<Organisme>& funds, bool all_funds);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_ASSEMBLE_H_
