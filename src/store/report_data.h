// Role: what the annual report stores beside the cases (issue 10; migration
// 20), in the database so that one backup holds it and several app servers
// share it: the mediator's texts per fund set and year, the comparison
// figures imported or typed (aggregates), the report's figures cache, each
// fund's logo and colour, the context figures of a year, the deployment's
// settings (national or not, which fund is the national pole), and the
// register of findings and recommendations with its yearly follow-up.
//
// The store keeps rows; their meaning lives above it: report/report_store.h
// (texts and aggregates behind ReportTextStore/AggregateStore,
// DbReportStore), report/register.h (the register's rules).
//
// Contracts:
// - Errors are values: kInvalid (field named), kNotFound, kForbidden (the
//   actor may not see or change that fund), store errors as they come.
// - Authorization is in the queries: reads of a fund's rows (branding,
//   register) keep the funds the actor sees (Actor::CanSee; the national
//   role and administrators see every fund); writes additionally need a
//   role that writes the report (mediator, manager, administrator) — the
//   national role writes only what is national: the all-funds and national
//   pole aggregates, the context figures, the themes; a fund's branding
//   is written by its managers and the administrators only.
// - A fund set is report::FundSetKey() ("631", "631+671", "all").
// - Writes are audited (action "report.*") in the caller's transaction
//   when one is open (InTransaction is reentrant).
// - Defaults answer kInternal "not supported" so that test fakes need not
//   implement them; ReportDataOf() finds the role on an opened store.
#ifndef AMIABLE_STORE_REPORT_DATA_H_
#define AMIABLE_STORE_REPORT_DATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

class Store;

// A text the mediator wrote for a report (section codes of
// report::TextSection, free otherwise: the store does not check them).
struct ReportTextRow {
  std::string fund_set;
  int year = 0;
  std::string section;
  std::string body;
  std::string updated_by;  // filled by the store on write
  std::string updated_at;  // ISO 8601 UTC, filled by the store on write
};

// Comparison figures of a year: scope "fund" | "all_funds" |
// "national_pole", body the aggregate JSON of report/aggregate.h, source
// "imported" (a file) | "typed" (`aggregate set`, the workspace form) |
// "computed" (never stored: the database's own).
struct AggregateRow {
  std::string scope;
  std::string fund_set;  // "all" for the scopes other than "fund"
  int year = 0;
  std::string source;
  std::string body;
  std::string updated_by;
  std::string updated_at;
};

// A fund's logo (PNG or JPEG bytes, at most kMaxLogoBytes) and colour
// ("#RRGGBB"; empty: the product's).
struct FundBranding {
  std::string organisme;
  std::string logo_type;  // "image/png" | "image/jpeg"; empty: no logo
  std::string logo;       // the bytes
  std::string colour;
  std::string updated_by;
  std::string updated_at;
};
inline constexpr size_t kMaxLogoBytes = 512 * 1024;

// The context figures of a year, typed from the national body's
// publications (nullopt: not given). Rates are fractions in [0, 1].
struct ContextFigures {
  std::string fund_set;
  int year = 0;
  std::optional<int64_t> beneficiaries;           // the fund's, on 30 June
  std::optional<int64_t> national_beneficiaries;  // all funds', on 30 June
  std::optional<int64_t> all_funds_requests;      // mediation requests of all funds
  std::optional<int64_t> complaints;              // first-level complaints of the fund
  std::optional<double> complaints_within_10_days_rate;
  std::optional<double> complaints_mean_days;
  std::string source;  // where they come from, printed under them
  std::string updated_by;
  std::string updated_at;
};

// Deployment settings (one row per key).
inline constexpr std::string_view kSettingNational = "deployment.national";  // "1" | absent
inline constexpr std::string_view kSettingNationalPole = "deployment.national_pole";  // a code

// The register of findings and recommendations.
struct RecommendationTheme {
  std::string code;  // lower-case ASCII, stable
  std::string label;  // French
  int position = 0;
  bool active = true;
};

// A status of a recommendation: "proposee" | "acceptee" | "mise_en_oeuvre" |
// "abandonnee"; a kind: "constat" | "preconisation".
struct RecommendationFollowUp {
  int64_t id = 0;
  int year = 0;           // the year the note reviews
  std::string on;         // YYYY-MM-DD
  std::string status;     // the status it sets
  std::string note;       // light markup
  std::string author;
  std::string at;         // ISO 8601 UTC
};

struct Recommendation {
  int64_t id = 0;
  std::string organisme;
  int year = 0;
  std::string kind = "preconisation";
  std::string theme;
  std::string text;          // light markup
  std::string addressed_to;  // free text
  std::string status = "proposee";
  int position = 0;  // order within (organisme, year)
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<RecommendationFollowUp> follow_ups;  // oldest first (filled by the lists)
};

struct RecommendationFilter {
  std::vector<std::string> organismes;  // empty: every fund the actor sees
  std::optional<int> year_from;         // inclusive
  std::optional<int> year_to;           // inclusive
  std::string theme;                    // empty: every theme
};

class ReportDataStore {
 public:
  virtual ~ReportDataStore() = default;

  // ---- Texts (report_texts) ----
  virtual Result<std::optional<ReportTextRow>> GetReportText(std::string_view fund_set, int year,
                                                             std::string_view section) {
    return Unsupported();
  }
  // An empty body deletes the row.
  virtual Status PutReportText(const Actor& actor, const ReportTextRow& row) {
    return Unsupported();
  }
  // Every text of a fund set and year (any section), by section.
  virtual Result<std::vector<ReportTextRow>> ReportTexts(std::string_view fund_set, int year) {
    return Unsupported();
  }

  // ---- Aggregates (report_aggregates) ----
  // Replaces the row of the same (scope, fund_set, year).
  virtual Status PutAggregateRow(const Actor& actor, const AggregateRow& row) {
    return Unsupported();
  }
  virtual Result<std::optional<AggregateRow>> FindAggregateRow(std::string_view scope,
                                                               std::string_view fund_set,
                                                               int year) {
    return Unsupported();
  }
  // Every stored aggregate, by year, scope, fund set (year 0: all years).
  virtual Result<std::vector<AggregateRow>> AggregateRows(int year) { return Unsupported(); }
  virtual Status DeleteAggregateRow(const Actor& actor, std::string_view scope,
                                    std::string_view fund_set, int year) {
    return Unsupported();
  }

  // ---- Figures cache (report_cache; never an error: a miss is nullopt) ----
  virtual std::optional<std::string> GetCachedFiguresJson(std::string_view slot,
                                                          std::string_view key) {
    return std::nullopt;
  }
  // Replaces the slot's entry (one key per slot).
  virtual void PutCachedFiguresJson(std::string_view slot, std::string_view key,
                                    std::string_view body) {}
  // A number that changes whenever a case, its history or a financial line
  // may have changed (both engines; the cache key of computed figures).
  virtual Result<std::string> DataVersion() { return Unsupported(); }

  // ---- Branding (fund_branding) ----
  virtual Result<std::optional<FundBranding>> GetBranding(std::string_view organisme) {
    return Unsupported();
  }
  // kInvalid (field "logo": type or size; "colour": not #RRGGBB).
  virtual Status PutBranding(const Actor& actor, const FundBranding& b) { return Unsupported(); }

  // ---- Context figures (context_figures) ----
  virtual Result<std::optional<ContextFigures>> GetContextFigures(std::string_view fund_set,
                                                                  int year) {
    return Unsupported();
  }
  virtual Status PutContextFigures(const Actor& actor, const ContextFigures& c) {
    return Unsupported();
  }

  // ---- Deployment settings (deployment_settings) ----
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) {
    return Unsupported();
  }
  // An empty value deletes the key. Administrators only (kForbidden).
  virtual Status SetSetting(const Actor& actor, std::string_view key, std::string_view value) {
    return Unsupported();
  }

  // ---- Register (recommendation_themes, recommendations, recommendation_follow_ups) ----
  virtual Result<std::vector<RecommendationTheme>> RecommendationThemes() {
    return Unsupported();
  }
  // Creates or replaces (by code). Administrators and the national role.
  virtual Status UpsertRecommendationTheme(const Actor& actor, const RecommendationTheme& t) {
    return Unsupported();
  }
  // The new id. kInvalid: unknown theme, kind or status, empty text.
  virtual Result<int64_t> AddRecommendation(const Actor& actor, const Recommendation& r) {
    return Unsupported();
  }
  // Replaces theme, kind, text, addressed_to, status, position (by id).
  virtual Status UpdateRecommendation(const Actor& actor, const Recommendation& r) {
    return Unsupported();
  }
  virtual Status DeleteRecommendation(const Actor& actor, int64_t id) { return Unsupported(); }
  // Adds a follow-up and sets the item's status to the follow-up's.
  virtual Result<int64_t> AddRecommendationFollowUp(const Actor& actor, int64_t id,
                                                    const RecommendationFollowUp& f) {
    return Unsupported();
  }
  // By organisme, year, position, id; with their follow-ups. Only the funds
  // the actor sees.
  virtual Result<std::vector<Recommendation>> Recommendations(const Actor& actor,
                                                              const RecommendationFilter& f) {
    return Unsupported();
  }

 private:
  static std::unexpected<Error> Unsupported() {
    return Fail(Error::Internal("report data store: not supported"));
  }
};

// The role on an opened store (the SQL store has it); nullptr otherwise.
ReportDataStore* ReportDataOf(Store& store);

}  // namespace amiable

#endif  // AMIABLE_STORE_REPORT_DATA_H_
