// Storage the annual report needs beside the cases: the sections the
// mediator writes per year, and the figures imported from elsewhere (the
// national pole's, all funds') for the comparison table.
//
// Two small interfaces so that the web workspace and the command line do not
// care where these live. DbReportStore keeps them in the database
// (store/report_data.h: one backup holds them, several app servers share
// them); FileReportStore is the reader of the report directories of earlier
// versions, which ImportReportFiles() moves into the database once (see
// docs/report.md, "Storage").
//
// Contracts:
// - Errors are values: kInvalid (bad argument: unknown section, bad year),
//   kForbidden (DbReportStore: the actor may not write that fund set or the
//   national figures), kInternal (I/O failure, message names the file).
// - Writes replace atomically (a transaction; files: a temporary, then rename).
// - Not thread-safe per object; separate objects may share a database.
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
#include "store/actor.h"

namespace amiable {
class ReportDataStore;
class Store;
}  // namespace amiable

namespace amiable::report {

// The sections written by the mediator, stored per (set of funds, year).
// Codes are stable (they name the stored rows); every text is in the light
// markup of report/markup.h unless said otherwise. See report/texts.h for
// the structured ones and the default texts.
enum class TextSection {
  kEditorial,          // "editorial": the mediator's word ("Le mot de la médiation")
  kHighlights,         // "highlights": the highlights of the year, a table (JSON, see Highlight)
  kFindings,           // "findings": findings and recommendations
  kPlan,               // "plan": review of the year and plan for next year
  kDirectorEditorial,  // "editorial_director": the director's editorial
  kDirectorSignature,  // "signature_director": "name\ntitle" (plain text, texts.h Signature)
  kMediatorSignature,  // "signature_mediator": idem, under the mediator's word and the plan
  kIntroMediation,     // "intro_mediation": what mediation is (default text when empty)
  kIntroWho,           // "intro_who": who may ask, and how (default text when empty)
  kIntroNot,           // "intro_not": what mediation is not (default text when empty)
  kIntroConflict,      // "intro_conflict": conflict of interest and déport (default when empty)
  kCommentaries,       // "commentaries": JSON object, figures section id -> text (texts.h)
  kFraudFocus,         // "fraud_focus": the mediator's analysis of the fraud cases
};
inline constexpr TextSection kAllTextSections[] = {
    TextSection::kEditorial,         TextSection::kHighlights,        TextSection::kFindings,
    TextSection::kPlan,              TextSection::kDirectorEditorial, TextSection::kDirectorSignature,
    TextSection::kMediatorSignature, TextSection::kIntroMediation,    TextSection::kIntroWho,
    TextSection::kIntroNot,          TextSection::kIntroConflict,     TextSection::kCommentaries,
    TextSection::kFraudFocus};
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

// Whether `text` may be stored as section `s` (every implementation of
// ReportTextStore::PutText calls it before writing): kInvalid, with a French
// message naming the section, for highlights that are not a Highlight array,
// commentaries that are not an object of known figures sections, a
// signature of more than two lines, a text over kMaxTextBytes. Defined in
// texts.cc.
inline constexpr size_t kMaxTextBytes = 60000;
Status CheckText(TextSection s, std::string_view text);

class ReportTextStore {
 public:
  virtual ~ReportTextStore() = default;
  // The stored text, "" when none was written.
  virtual Result<std::string> GetText(std::string_view fund_set, int year, TextSection s) = 0;
  // Replaces the text; an empty text removes it. kInvalid when CheckText
  // refuses it.
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
  // changed (see DbReportStore::DataToken). Putting a key drops the other
  // entries of the same `slot`. nullopt when absent or unreadable (a cache
  // miss is never an error).
  virtual std::optional<YearFigures> GetCachedFigures(std::string_view slot,
                                                      std::string_view key) = 0;
  virtual void PutCachedFigures(std::string_view slot, std::string_view key,
                                const YearFigures& f) = 0;
};

// Both interfaces over the database, acting as `actor`: writes go through
// the store's authorization (a mediator writes the texts and fund
// aggregates of the funds she sees; the national figures — all_funds,
// national_pole — need the national role or an administrator). Aggregates
// are kept as the JSON of report/aggregate.h, Aggregate::source beside it.
// The figures cache is the database's (report_cache): `key` must contain
// DataToken(), which changes whenever a case may have changed, on SQLite
// and PostgreSQL alike.
class DbReportStore final : public ReportTextStore, public AggregateStore {
 public:
  DbReportStore(ReportDataStore& data, Actor actor) : data_(data), actor_(std::move(actor)) {}

  Result<std::string> GetText(std::string_view fund_set, int year, TextSection s) override;
  Status PutText(std::string_view fund_set, int year, TextSection s,
                 std::string_view text) override;
  Status PutAggregate(const Aggregate& a) override;
  Result<std::optional<Aggregate>> FindAggregate(AggregateScope scope, int year,
                                                 std::vector<std::string> organismes) override;
  // Every stored aggregate of `year` (0: every year), by year, scope, funds.
  Result<std::vector<Aggregate>> ListAggregates(int year);
  // Removes one aggregate (none stored: success).
  Status DeleteAggregate(AggregateScope scope, int year, std::vector<std::string> organismes = {});

  std::optional<YearFigures> GetCachedFigures(std::string_view slot, std::string_view key) override;
  void PutCachedFigures(std::string_view slot, std::string_view key, const YearFigures& f) override;
  // The data version of the database now (ReportRequest::data_token); ""
  // when it cannot be read (then nothing is cached).
  std::string DataToken();

 private:
  ReportDataStore& data_;
  Actor actor_;
};

// The legacy report directory of an installation of an earlier version:
//   DIR/texts/<fund set>/<year>/<section>.txt
//   DIR/aggregates/<scope>-<fund set>-<year>.json   (the export format)
//   DIR/cache/...                                   (ignored)
// Read by ImportReportFiles; its writes remain for tests of that import.
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

// What ImportReportFiles did.
struct ReportFilesImport {
  bool found = false;        // the directory existed
  int texts = 0;             // texts written into the database
  int aggregates = 0;        // aggregates written
  int kept = 0;              // files skipped: the database already had that row
  std::string renamed_to;    // DIR.imported[.N]; "" when the rename failed
  std::string rename_error;  // why, then (the import itself succeeded)
};

// Moves the texts and aggregates of a legacy report directory into the
// database, in one transaction, as `actor`; then renames DIR to
// DIR.imported (DIR.imported.2... if taken) so that it runs once. Idempotent:
// a row the database already holds is kept (the database is newer), so a
// second run over the same files changes nothing. No directory: found =
// false, nothing done. kInvalid naming the file for an unreadable text or
// aggregate (then nothing is written and DIR stays).
Result<ReportFilesImport> ImportReportFiles(Store& store, const Actor& actor,
                                            const std::string& dir);

// The legacy report directory of a database URL: $AMIABLE_REPORT_DIR when
// set; "PATH.report" beside a SQLite file; "var/report" otherwise.
std::string DefaultReportDir(std::string_view db_url);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_REPORT_STORE_H_
