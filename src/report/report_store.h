// Storage the annual report needs beside the cases: the sections the
// mediator writes per year, and the figures imported from elsewhere (the
// national pole's, all funds') for the comparison table.
//
// Two small interfaces so that the web workspace and the command line do not
// care where these live. FileReportStore keeps them as plain files under a
// directory; a database-backed implementation can replace it later without
// touching the report (see docs/report.md).
//
// Contracts:
// - Errors are values: kInvalid (bad argument: unknown section, bad year),
//   kInternal (I/O failure, message names the file).
// - Writes replace atomically (write to a temporary file, then rename).
// - Not thread-safe per object; separate objects may share a directory.
#ifndef AMIABLE_REPORT_REPORT_STORE_H_
#define AMIABLE_REPORT_REPORT_STORE_H_

#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "figures/figures.h"

namespace amiable::report {

// The sections written by the mediator, stored per (set of funds, year).
enum class TextSection {
  kEditorial,   // "editorial": the editorial(s), signed
  kHighlights,  // "highlights": the highlights of the year, a table (JSON, see Highlight)
  kFindings,    // "findings": findings and recommendations
  kPlan,        // "plan": review of the year and plan for next year
};
inline constexpr TextSection kAllTextSections[] = {
    TextSection::kEditorial, TextSection::kHighlights, TextSection::kFindings, TextSection::kPlan};
const char* TextSectionCode(TextSection s);
const char* TextSectionTitle(TextSection s);  // French
std::optional<TextSection> TextSectionFromCode(std::string_view code);

// The key of a set of funds: sorted, de-duplicated codes joined by "+"
// ("631", "631+671"); "all" for the empty set (every fund).
std::string FundSetKey(std::vector<std::string> organismes);

// One row of the highlights table. Stored as a JSON array of
// {"theme": ..., "period": ..., "actions": ...} objects.
struct Highlight {
  std::string theme;    // "Communication"
  std::string period;   // "mars", "avril-mai"...
  std::string actions;  // text in the light markup of docs/report.md
};
Result<std::vector<Highlight>> ParseHighlights(std::string_view json);
std::string HighlightsToJson(std::span<const Highlight> rows);

class ReportTextStore {
 public:
  virtual ~ReportTextStore() = default;
  // The stored text, "" when none was written.
  virtual Result<std::string> GetText(std::string_view fund_set, int year, TextSection s) = 0;
  // Replaces the text; an empty text removes it. kInvalid for highlights
  // that are not a valid Highlight array.
  virtual Status PutText(std::string_view fund_set, int year, TextSection s,
                         std::string_view text) = 0;
};

// Where comparison figures come from.
enum class AggregateScope {
  kFund,          // "fund": one fund or a set of funds
  kAllFunds,      // "all_funds": every fund together (published by the national body)
  kNationalPole,  // "national_pole": the national mediation pole's own cases
};
const char* AggregateScopeCode(AggregateScope s);
const char* AggregateScopeLabel(AggregateScope s);  // French: "Pôle national"...
// "fund", "all_funds", "national_pole" (or "cnaf").
std::optional<AggregateScope> AggregateScopeFromCode(std::string_view code);

// Figures of one year without any personal data (domain.md §8 counts,
// rates and averages only), as exchanged between installations.
struct Aggregate {
  AggregateScope scope = AggregateScope::kFund;
  YearFigures figures;      // figures.year is the year
  std::string exported_on;  // "YYYY-MM-DD", from the file
  // Where the figures come from: "imported" (an aggregate file) or "typed"
  // (`aggregate set`, the workspace form; only some figures given). Not in
  // the file: the store keeps it beside (store/report_data.h AggregateRow).
  std::string source = "imported";
  // The figures the source gave, by their key in the figures JSON of
  // domain.md §8 ("closed", "inadmissible", "delays" and its members as
  // "delays.answer_working_days_avg"...): a figure not listed was not given
  // (the report prints n.d.). Empty: every figure (computed, or a file
  // written by `aggregate export`). AggregateFromJson fills it from the keys
  // present; AggregateToJson writes only these.
  std::set<std::string> given;
  bool Gives(std::string_view key) const { return given.empty() || given.count(std::string(key)); }
};

class AggregateStore {
 public:
  virtual ~AggregateStore() = default;
  // Replaces any aggregate with the same scope, funds and year.
  virtual Status PutAggregate(const Aggregate& a) = 0;
  // The aggregate of a scope for a year; for kFund, `organismes` selects the
  // set (ignored otherwise). nullopt when none was imported.
  virtual Result<std::optional<Aggregate>> FindAggregate(
      AggregateScope scope, int year, std::vector<std::string> organismes = {}) = 0;

  // A cache of figures the report computed from the database (the all-funds
  // comparison of a multi-fund database, the costliest part of a report).
  // `key` names the figures and must change whenever the cases may have
  // changed (see DataToken). Putting a key drops the other entries of the
  // same `slot`. nullopt when absent or unreadable (a cache miss is never
  // an error).
  virtual std::optional<YearFigures> GetCachedFigures(std::string_view slot,
                                                      std::string_view key) = 0;
  virtual void PutCachedFigures(std::string_view slot, std::string_view key,
                                const YearFigures& f) = 0;
};

// Both interfaces over plain files:
//   DIR/texts/<fund set>/<year>/<section>.txt
//   DIR/aggregates/<scope>-<fund set>-<year>.json   (the export format)
class FileReportStore final : public ReportTextStore, public AggregateStore {
 public:
  explicit FileReportStore(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }

  Result<std::string> GetText(std::string_view fund_set, int year, TextSection s) override;
  Status PutText(std::string_view fund_set, int year, TextSection s,
                 std::string_view text) override;
  Status PutAggregate(const Aggregate& a) override;
  Result<std::optional<Aggregate>> FindAggregate(AggregateScope scope, int year,
                                                 std::vector<std::string> organismes) override;
  std::optional<YearFigures> GetCachedFigures(std::string_view slot, std::string_view key) override;
  void PutCachedFigures(std::string_view slot, std::string_view key, const YearFigures& f) override;

 private:
  std::string dir_;
};

// An opaque token that changes whenever the database's content may have
// changed: for a SQLite file, the sizes and modification times of the file
// and its WAL; "" for PostgreSQL (no cache: a data version from the store is
// needed, see docs/report.md).
std::string DataToken(std::string_view db_url);

// The directory of the report files for a database URL: $AMIABLE_REPORT_DIR
// when set; "PATH.report" beside a SQLite file; "var/report" otherwise.
std::string DefaultReportDir(std::string_view db_url);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_REPORT_STORE_H_
