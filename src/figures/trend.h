// Year-over-year trend marks (domain.md §5): ↑ ↓ ↔.
//
// Rule (thresholds are settings):
// - rates (fractions): ↔ when |current − previous| is under 2 percentage points;
// - counts, amounts and averages (days): ↔ when the change relative to the
//   previous value is under 5% (previous 0: ↔ only when current is 0 too);
// - otherwise ↑ or ↓ by the sign of the change.
// A mark needs both values: when either is null (empty denominator) there is
// no trend (std::nullopt). Marks say which way a figure moved, not whether
// that is good (a rising delay is ↑).
#ifndef AMIABLE_FIGURES_TREND_H_
#define AMIABLE_FIGURES_TREND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "figures/figures.h"

namespace amiable {

enum class Trend { kUp, kDown, kSteady };

// "↑", "↓", "↔" (UTF-8).
std::string_view TrendMark(Trend t);
// "hausse", "baisse", "stable".
std::string_view TrendLabel(Trend t);

struct TrendSettings {
  double rate_steady_points = 0.02;        // absolute change of a fraction
  double quantity_steady_relative = 0.05;  // relative change of a count, amount or average
};

// What kind of number a figure is, which picks the rule.
enum class FigureKind {
  kCount,    // a number of cases or lines
  kAmount,   // euro cents
  kAverage,  // an average delay in days
  kRate,     // a fraction in [0, 1]
};

std::optional<Trend> RateTrend(std::optional<double> current, std::optional<double> previous,
                               const TrendSettings& s = {});
// Counts, amounts and averages.
std::optional<Trend> QuantityTrend(std::optional<double> current, std::optional<double> previous,
                                   const TrendSettings& s = {});
std::optional<Trend> TrendOf(FigureKind kind, std::optional<double> current,
                             std::optional<double> previous, const TrendSettings& s = {});

// One figure of the year beside the same figure of the previous year.
struct ComparedFigure {
  // The figure's path in the JSON of domain.md §8, dot-separated:
  // "received", "inadmissible_rate", "by_channel.courriel",
  // "delays.answer_working_days_avg", "quarterly_take_charge.2.rate",
  // "financial.rappel.amount_cents", "teleprocedure.closed". The share of a
  // breakdown code (not in the JSON) is "by_channel.courriel.share".
  std::string key;
  FigureKind kind = FigureKind::kCount;
  std::optional<double> current;  // counts and cents are exact below 2^53
  std::optional<double> previous;
  std::optional<Trend> trend;  // nullopt when either value is null
};

// Every figure of `current` compared with `previous` (normally year − 1 of
// the same funds), in §8 order: received, monthly_received.1..12, inadmissible,
// inadmissible_rate, by_inadmissibility_reason codes (+ unknown) and shares,
// closed, each closed-case breakdown's codes (+ unknown) and shares, delays,
// quarterly met/missed/pending/rate, financial counts and amounts,
// fraud_rate, revision_rate, teleprocedure figures, internal_requests (sent, answered,
// answer_working_days_avg).
struct YearComparison {
  int year = 0;           // current.year
  int previous_year = 0;  // previous.year
  std::vector<ComparedFigure> figures;

  // The figure at `key`, nullptr when there is none.
  const ComparedFigure* Find(std::string_view key) const;
};

YearComparison CompareYears(const YearFigures& current, const YearFigures& previous,
                            const TrendSettings& s = {});

}  // namespace amiable

#endif  // AMIABLE_FIGURES_TREND_H_
