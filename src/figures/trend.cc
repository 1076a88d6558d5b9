#include "figures/trend.h"

#include <cmath>

namespace amiable {

namespace {

// Rates and relative changes are computed in floating point: a change that
// is exactly on the threshold in decimal (0.30 − 0.28) must not fall under it
// by a rounding error, so comparisons allow this much slack.
constexpr double kSlack = 1e-9;

Trend BySign(double change) { return change > 0 ? Trend::kUp : Trend::kDown; }

}  // namespace

std::string_view TrendMark(Trend t) {
  switch (t) {
    case Trend::kUp:
      return "↑";
    case Trend::kDown:
      return "↓";
    case Trend::kSteady:
      break;
  }
  return "↔";
}

std::string_view TrendLabel(Trend t) {
  switch (t) {
    case Trend::kUp:
      return "hausse";
    case Trend::kDown:
      return "baisse";
    case Trend::kSteady:
      break;
  }
  return "stable";
}

std::optional<Trend> RateTrend(std::optional<double> current, std::optional<double> previous,
                               const TrendSettings& s) {
  if (!current || !previous) return std::nullopt;
  const double change = *current - *previous;
  if (std::fabs(change) < s.rate_steady_points - kSlack) return Trend::kSteady;
  if (change == 0) return Trend::kSteady;  // a threshold of 0 still needs a change
  return BySign(change);
}

std::optional<Trend> QuantityTrend(std::optional<double> current, std::optional<double> previous,
                                   const TrendSettings& s) {
  if (!current || !previous) return std::nullopt;
  const double change = *current - *previous;
  if (change == 0) return Trend::kSteady;
  if (*previous == 0) return BySign(change);  // from nothing: any change is a move
  const double relative = std::fabs(change) / std::fabs(*previous);
  if (relative < s.quantity_steady_relative - kSlack) return Trend::kSteady;
  return BySign(change);
}

std::optional<Trend> TrendOf(FigureKind kind, std::optional<double> current,
                             std::optional<double> previous, const TrendSettings& s) {
  return kind == FigureKind::kRate ? RateTrend(current, previous, s)
                                   : QuantityTrend(current, previous, s);
}

const ComparedFigure* YearComparison::Find(std::string_view key) const {
  for (const ComparedFigure& f : figures) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

YearComparison CompareYears(const YearFigures& cur, const YearFigures& prev,
                            const TrendSettings& s) {
  YearComparison out;
  out.year = cur.year;
  out.previous_year = prev.year;
  auto add = [&](std::string key, FigureKind kind, std::optional<double> c,
                 std::optional<double> p) {
    out.figures.push_back({std::move(key), kind, c, p, TrendOf(kind, c, p, s)});
  };
  auto count = [&](std::string key, int64_t c, int64_t p) {
    add(std::move(key), FigureKind::kCount, static_cast<double>(c), static_cast<double>(p));
  };
  auto breakdown = [&](const Breakdown& c, const Breakdown& p) {
    const std::string base = "by_" + c.name;
    for (const auto& [code, n] : c.counts) count(base + "." + code, n, p.Count(code));
    count(base + ".unknown", c.unknown, p.unknown);
    for (const auto& [code, n] : c.counts) {
      add(base + "." + code + ".share", FigureKind::kRate, c.Share(code), p.Share(code));
    }
  };

  count("received", cur.received, prev.received);
  for (size_t m = 0; m < 12; ++m) {
    count("monthly_received." + std::to_string(m + 1), cur.monthly_received[m],
          prev.monthly_received[m]);
  }
  count("inadmissible", cur.inadmissible, prev.inadmissible);
  add("inadmissible_rate", FigureKind::kRate, cur.inadmissible_rate, prev.inadmissible_rate);
  breakdown(cur.by_inadmissibility_reason, prev.by_inadmissibility_reason);
  count("closed", cur.closed, prev.closed);
  const auto cb = cur.ClosedBreakdowns();
  const auto pb = prev.ClosedBreakdowns();
  for (size_t i = 0; i < cb.size(); ++i) breakdown(*cb[i], *pb[i]);

  add("delays.take_charge_working_days_avg", FigureKind::kAverage,
      cur.delays.take_charge_working_days_avg, prev.delays.take_charge_working_days_avg);
  add("delays.answer_working_days_avg", FigureKind::kAverage, cur.delays.answer_working_days_avg,
      prev.delays.answer_working_days_avg);
  add("delays.answer_calendar_days_avg", FigureKind::kAverage, cur.delays.answer_calendar_days_avg,
      prev.delays.answer_calendar_days_avg);
  add("delays.take_charge_within_target_rate", FigureKind::kRate,
      cur.delays.take_charge_within_target_rate, prev.delays.take_charge_within_target_rate);

  for (size_t q = 0; q < 4; ++q) {
    const QuarterFigures& c = cur.quarterly_take_charge[q];
    const QuarterFigures& p = prev.quarterly_take_charge[q];
    const std::string base = "quarterly_take_charge." + std::to_string(q + 1);
    count(base + ".met", c.met, p.met);
    count(base + ".missed", c.missed, p.missed);
    count(base + ".pending", c.pending, p.pending);
    add(base + ".rate", FigureKind::kRate, c.rate, p.rate);
  }

  for (const FinancialFigures& c : cur.financial) {
    const FinancialFigures p = prev.Financial(c.kind);
    count("financial." + c.kind + ".count", c.count, p.count);
    add("financial." + c.kind + ".amount_cents", FigureKind::kAmount,
        static_cast<double>(c.amount_cents), static_cast<double>(p.amount_cents));
  }

  add("fraud_rate", FigureKind::kRate, cur.fraud_rate, prev.fraud_rate);
  add("revision_rate", FigureKind::kRate, cur.revision_rate, prev.revision_rate);

  const TeleprocedureFigures& ct = cur.teleprocedure;
  const TeleprocedureFigures& pt = prev.teleprocedure;
  count("teleprocedure.received", ct.received, pt.received);
  add("teleprocedure.inadmissible_rate", FigureKind::kRate, ct.inadmissible_rate,
      pt.inadmissible_rate);
  count("teleprocedure.closed", ct.closed, pt.closed);
  add("teleprocedure.share_of_closed", FigureKind::kRate, ct.share_of_closed, pt.share_of_closed);
  add("teleprocedure.revision_rate", FigureKind::kRate, ct.revision_rate, pt.revision_rate);
  add("teleprocedure.take_charge_working_days_avg", FigureKind::kAverage,
      ct.take_charge_working_days_avg, pt.take_charge_working_days_avg);

  count("internal_requests.sent", cur.internal_requests.sent, prev.internal_requests.sent);
  count("internal_requests.answered", cur.internal_requests.answered,
        prev.internal_requests.answered);
  add("internal_requests.answer_working_days_avg", FigureKind::kAverage,
      cur.internal_requests.answer_working_days_avg, prev.internal_requests.answer_working_days_avg);
  return out;
}

}  // namespace amiable
