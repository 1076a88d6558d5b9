// The figures of a year (domain.md §5) and their JSON form (domain.md §8).
//
// ComputeFigures(span<const Case>, ...) is the ONE place where every figure is
// defined; the Store overload only gathers the cases and the fund calendars
// and calls it. docs/figures.md states each definition, its denominator and
// how unknown values are treated.
//
// Conventions:
// - Counts are int64_t; money is int64_t cents, never floating point.
// - A rate or an average whose denominator is empty is std::nullopt (JSON null).
// - Rates are unrounded fractions (0.357, not 35.7).
// - Breakdowns list every code of their nomenclature, in nomenclature order,
//   even with a 0 count, plus an `unknown` count.
#ifndef AMIABLE_FIGURES_FIGURES_H_
#define AMIABLE_FIGURES_FIGURES_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calendar/calendar.h"
#include "core/case.h"
#include "core/date.h"
#include "core/error.h"

namespace amiable {

class Store;

// A rate as the exact counts it is the quotient of, for display without
// floating point (fr::Percent(r.num, r.den)); den == 0 exactly where the
// rate is nullopt.
struct CountRatio {
  int64_t num = 0;
  int64_t den = 0;
};

// Counts of one nomenclature over a population (|S| for the closed-case
// breakdowns, the inadmissible cases for by_inadmissibility_reason).
struct Breakdown {
  std::string name;  // nomenclature name: "channel", "motive", ...; JSON key is "by_" + name
  std::vector<std::pair<std::string, int64_t>> counts;  // every code, nomenclature order
  int64_t unknown = 0;     // cases of the population with no value (null, or empty list)
  int64_t population = 0;  // number of cases the breakdown is over

  // Count of a code; 0 for a code absent from the nomenclature.
  int64_t Count(std::string_view code) const;
  // Cases with a value: population - unknown. The denominator of every share.
  int64_t Known() const { return population - unknown; }
  // Count(code) / Known(); nullopt when Known() == 0. For several-valued
  // fields (motive, benefit, response_mode) shares may sum over 1.
  std::optional<double> Share(std::string_view code) const;
  // Share(code) as counts: {Count(code), Known()}.
  CountRatio ShareRatio(std::string_view code) const { return {Count(code), Known()}; }
};

struct DelayFigures {
  // Over cases of S with a taking-in-charge date: working days from reception.
  std::optional<double> take_charge_working_days_avg;
  // Over cases of S with an answer date: working / calendar days from reception.
  std::optional<double> answer_working_days_avg;
  std::optional<double> answer_calendar_days_avg;
  // Over cases of S with a taking-in-charge date: share taken within 8 working days.
  std::optional<double> take_charge_within_target_rate;
  // The denominators.
  int64_t with_take_charge = 0;  // cases of S with a (usable) taking-in-charge date
  int64_t with_answer = 0;       // cases of S with a (usable) answer date
  int64_t within_target = 0;     // numerator of take_charge_within_target_rate

  CountRatio WithinTargetRatio() const { return {within_target, with_take_charge}; }
};

// Quarterly indicator "taken in charge within 8 working days" over admissible
// cases received in the quarter.
struct QuarterFigures {
  int quarter = 1;  // 1-4
  int64_t met = 0;
  int64_t missed = 0;
  int64_t pending = 0;         // left out of the rate
  std::optional<double> rate;  // met / (met + missed)
  CountRatio Ratio() const { return {met, met + missed}; }
};

struct FinancialFigures {
  std::string kind;          // code of nomenclature::FinancialKind()
  int64_t count = 0;         // number of financial lines of cases of S
  int64_t amount_cents = 0;  // their total
};

// Online-form focus (channel == "teleprocedure").
struct TeleprocedureFigures {
  int64_t received = 0;                     // received in Y through the form
  int64_t inadmissible = 0;                 // of those, irrecevable
  std::optional<double> inadmissible_rate;  // inadmissible / received
  int64_t closed = 0;                       // cases of S through the form
  std::optional<double> share_of_closed;    // closed / |S|
  int64_t revised = 0;                      // of those, resolution revisee
  int64_t with_resolution = 0;              // of those, with a known resolution
  std::optional<double> revision_rate;      // revised / with_resolution
  int64_t with_take_charge = 0;             // of those, with a taking-in-charge date
  std::optional<double> take_charge_working_days_avg;
  // The reasons of the `inadmissible` requests received in Y through the
  // form (population == inadmissible): the same nomenclature and counting as
  // YearFigures::by_inadmissibility_reason, restricted to the channel.
  Breakdown by_inadmissibility_reason;

  CountRatio InadmissibleRatio() const { return {inadmissible, received}; }
  CountRatio RevisionRatio() const { return {revised, with_resolution}; }
};

// Internal requests (G@ci: questions the mediator puts to the fund's own
// services) sent in Y on cases of the funds, whatever the cases' dates.
struct InternalRequestFigures {
  int64_t sent = 0;      // sent in Y
  int64_t answered = 0;  // of those, answered on or before the day of computation
  // Of the answered, those whose delay could be measured (the denominator of
  // the average; equal to `answered` unless a date is beyond the calendar).
  int64_t with_delay = 0;
  // Mean of working_days(sent, answered) in the case's fund's zone.
  std::optional<double> answer_working_days_avg;
};

struct YearFigures {
  std::vector<std::string> organismes;  // funds aggregated, sorted
  int year = 0;
  Date as_of;  // day of computation (matters only for pending/missed)

  int64_t received = 0;  // reception date in Y
  std::array<int64_t, 12> monthly_received{};
  int64_t inadmissible = 0;                 // received in Y and irrecevable
  std::optional<double> inadmissible_rate;  // inadmissible / received
  Breakdown by_inadmissibility_reason;      // over the inadmissible cases

  int64_t closed = 0;  // |S|: recevable cases with a closing date in Y
  // Breakdowns over S.
  Breakdown by_channel;
  Breakdown by_emitter;
  Breakdown by_prior_step;
  Breakdown by_cause;
  Breakdown by_household;
  Breakdown by_activity;
  Breakdown by_qf_bracket;
  Breakdown by_resolution;
  Breakdown by_motive;         // several per case
  Breakdown by_benefit;        // several per case
  Breakdown by_response_mode;  // several per case

  DelayFigures delays;
  std::array<QuarterFigures, 4> quarterly_take_charge{};
  std::array<FinancialFigures, 4> financial{};  // FinancialKind() order

  int64_t fraud_cases = 0;           // cases of S with fraud == true
  std::optional<double> fraud_rate;  // fraud_cases / |S|
  // Share of "revisee" in by_resolution (denominator: |S| - unknown resolutions).
  std::optional<double> revision_rate;

  TeleprocedureFigures teleprocedure;
  InternalRequestFigures internal_requests;

  // The rates above as counts (CountRatio), for display.
  CountRatio InadmissibleRatio() const { return {inadmissible, received}; }
  CountRatio FraudRatio() const { return {fraud_cases, closed}; }
  CountRatio RevisionRatio() const { return by_resolution.ShareRatio("revisee"); }
  // teleprocedure.share_of_closed: teleprocedure.closed / |S|.
  CountRatio TeleprocedureShareOfClosedRatio() const { return {teleprocedure.closed, closed}; }

  // The breakdowns over S in the order of domain.md §8.
  std::array<const Breakdown*, 11> ClosedBreakdowns() const;
  // Any breakdown by nomenclature name ("inadmissibility_reason", "channel", ...);
  // nullptr when unknown.
  const Breakdown* FindBreakdown(std::string_view name) const;
  // The financial figures of a kind ({kind, 0, 0} when unknown).
  FinancialFigures Financial(std::string_view kind) const;
};

// Computes the figures of `year` for the funds `organismes` (empty = every
// fund of `calendar_of_fund`). Pure and in memory. Cases of other funds, of
// funds missing from `calendar_of_fund`, or with no date in `year`, are
// ignored, so callers may pass a superset. Each case is measured with its own
// fund's calendar. Working-day delays whose end date is before the reception
// date (a data error) are left out as if the date were unknown.
YearFigures ComputeFigures(std::span<const Case> cases,
                           const std::map<std::string, WorkCalendar>& calendar_of_fund,
                           std::vector<std::string> organismes, int year, Date as_of);

// The figures of `year` for the funds (empty = all funds of the database),
// each fund's part served from the per-fund cache when the fund's version
// has not moved since it was computed (figures/figures_cache.h), the others
// computed from their cases, then merged exactly (MergeFigures). Equal to
// RecomputeFigures, which `amiable stats --verify` and the tests check.
// Errors: kInvalid for a year outside the calendar's range, kNotFound for
// an unknown organisme (naming it), store errors as they come.
Result<YearFigures> ComputeFigures(Store& store, std::vector<std::string> organismes, int year,
                                   Date as_of);

// The full recomputation, without the cache: gathers the cases received or
// closed in `year` of the funds with Store::ForEachCaseInPeriod and their
// calendars with Store::ListOrganismes, then computes as above (with the
// frozen funds of figures/frozen.h). Same errors.
Result<YearFigures> RecomputeFigures(Store& store, std::vector<std::string> organismes, int year,
                                     Date as_of);

// The JSON of domain.md §8 (pretty-printed, keys in §8 order): every code of
// every nomenclature with 0 where none, plus "unknown"; null for empty
// denominators.
std::string FiguresToJson(const YearFigures& f);

}  // namespace amiable

#endif  // AMIABLE_FIGURES_FIGURES_H_
