// The national report (issue 10, part 5): the report of the national pole
// on every fund of the database — the network (funds, regions, mediators),
// the key figures of all funds, a table per region and per fund (each
// fund's quarterly 8-day indicator and its yearly rate against 75 %), the
// spread of the delays across funds, and the recommendations of all funds
// gathered by theme. Rendered by the writers of report/writers.h.
//
// The national pole (the Cnaf's own mediation) is a fund of the database
// named by the deployment setting kSettingNationalPole (store/report_data.h);
// it is left out of "all funds" here and wherever the figures of all funds
// are computed (AllFundsExceptNationalPole), and shown apart.
//
// Contracts:
// - Every figure of a fund is ComputeFigures of that fund alone, and the
//   figures of all funds are those of `amiable stats` over every fund but
//   the pole (exactly: MergeFigures of the funds, figures/frozen.h); the
//   cases are read once, for every fund and both years (no scan per fund).
// - Errors are values: kInvalid (year), store errors as they come. A
//   register that cannot be read does not stop the report: its section
//   says so (NationalInputs::register_error) and the CLI warns.
// - Who may read it: the national role and administrators (the pages and
//   the API check MayReadNationalReport); the command line acts as system.
//   It names no case and no person other than the mediators' count.
#ifndef AMIABLE_REPORT_NATIONAL_H_
#define AMIABLE_REPORT_NATIONAL_H_

#include <optional>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/date.h"
#include "core/error.h"
#include "figures/figures.h"
#include "report/model.h"
#include "store/actor.h"
#include "store/report_data.h"

namespace amiable {
class Store;
}

namespace amiable::report {

// The code of the national pole's fund (the setting), nullopt when none is
// set. A store without the report-data role has none.
Result<std::optional<std::string>> NationalPole(Store& store);

// The codes of every fund of the database but the national pole, sorted:
// the funds "all funds" means (the météo's all-funds column, the national
// report). Every fund when no pole is set.
Result<std::vector<std::string>> AllFundsExceptNationalPole(Store& store);

// The national role and administrators.
bool MayReadNationalReport(const Actor& actor);

// One fund of the network and its figures of the year and the year before.
struct FundYear {
  Organisme fund;
  YearFigures current;
  YearFigures previous;
  int mediators = 0;  // active accounts with role mediator naming the fund
};

// How the delays of the funds spread (over the funds where it is measured).
struct Spread {
  std::string label;  // "Délai moyen de prise en charge (jours ouvrés)"
  ValueKind kind = ValueKind::kDays;
  int64_t funds = 0;  // funds with a value
  // Minimum, deciles D1..D9 (D5 the median; quartiles Q1, Q3 beside) and
  // maximum; nullopt when no fund has a value. Linear interpolation between
  // ranks (the spreadsheets' PERCENTILE.INC).
  std::optional<double> min, d1, q1, median, q3, d9, max;
  std::vector<std::optional<double>> deciles;  // D1..D9 (9 values, or empty)
};

// The value at fraction p in [0, 1] of `sorted` (ascending, not empty),
// linear interpolation between ranks: v[(n-1)p].
double Quantile(const std::vector<double>& sorted, double p);
Spread SpreadOf(std::string label, ValueKind kind, std::vector<double> values);

// A fund's yearly 8-day indicator: the four quarters' counts added.
CountRatio YearlyTakeCharge(const YearFigures& f);

struct NationalInputs {
  int year = 0;
  Date as_of;
  Date generated_on;
  std::vector<FundYear> funds;     // every fund but the pole, by code
  std::optional<FundYear> pole;    // the national pole, when set and present
  YearFigures all_funds;           // the funds above together (year)
  YearFigures all_funds_previous;  // the same, year - 1
  int mediators = 0;               // distinct active mediators of those funds
  std::vector<RecommendationTheme> themes;
  std::vector<Recommendation> recommendations;  // of the year, every fund
  std::string register_error;   // French; set when the register could not be read
  std::string register_detail;  // the store's error then (logs, CLI warning)
};

// The figures of `year` and `year - 1` for every fund, in one read of the
// cases (both years, every fund), the pole apart; the register of the year.
// `reader` reads the register (the actor of the page; the CLI: system).
Result<NationalInputs> GatherNational(Store& store, int year, Date as_of, Date generated_on,
                                      const Actor& reader);

// The report model (pure).
ReportModel AssembleNationalReport(const NationalInputs& in);

// GatherNational then AssembleNationalReport.
Result<ReportModel> BuildNationalReport(Store& store, int year, Date as_of, Date generated_on,
                                        const Actor& reader);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_NATIONAL_H_
