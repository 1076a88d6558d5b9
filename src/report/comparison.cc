#include "report/comparison.h"

#include <algorithm>

#include "core/french_format.h"
#include "store/report_data.h"
#include "store/store.h"

namespace amiable::report::comparison_internal {
namespace {

Result<std::string> Setting(Store& store, std::string_view key) {
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) return std::string();
  auto v = data->GetSetting(key);
  if (!v) return Fail(v.error());
  return v->value_or("");
}

// "fichier importé (export du 31/01/2026)", "saisis le 02/12/2026".
std::string OriginOf(const Aggregate& a) {
  const auto d = Date::Parse(a.exported_on);
  if (a.source == "typed") {
    return d ? "saisis le " + fr::ShortDate(*d) : std::string("saisis");
  }
  return d ? "fichier importé (export du " + fr::ShortDate(*d) + ")"
           : std::string("fichier importé");
}

Result<std::optional<ComparisonYear>> Stored(AggregateStore& aggregates, AggregateScope scope,
                                             int year, const std::vector<std::string>& funds) {
  auto a = aggregates.FindAggregate(scope, year, funds);
  if (!a) return Fail(a.error());
  if (!*a) return std::optional<ComparisonYear>();
  ComparisonYear y;
  y.origin = OriginOf(**a);
  y.given = (*a)->given;
  y.figures = std::move((*a)->figures);
  return std::optional<ComparisonYear>(std::move(y));
}

// Both years of a scope from stored aggregates; nullopt when neither is.
Result<std::optional<ComparisonSource>> StoredSource(AggregateStore& aggregates,
                                                     AggregateScope scope, int year,
                                                     std::string label) {
  ComparisonSource src;
  src.label = std::move(label);
  auto cur = Stored(aggregates, scope, year, {});
  if (!cur) return Fail(cur.error());
  auto prev = Stored(aggregates, scope, year - 1, {});
  if (!prev) return Fail(prev.error());
  if (!*cur && !*prev) return std::optional<ComparisonSource>();
  src.current = std::move(*cur);
  src.previous = std::move(*prev);
  return std::optional<ComparisonSource>(std::move(src));
}

// Both years of `funds` computed from their cases (cached under `slot`).
Result<ComparisonSource> Computed(Store& store, AggregateStore& aggregates,
                                  const ComparisonRequest& r, const FiguresOf& figures_of,
                                  const std::vector<std::string>& funds, const std::string& slot,
                                  std::string label, std::string origin) {
  const int y = r.year;
  // Only the delays, closed and inadmissible counts are shown: they do not
  // depend on the day of computation, which stays out of the cache key.
  std::string key;
  if (!r.data_token.empty()) {
    key = r.data_token + "|" + std::to_string(y);
    for (const std::string& c : funds) key += "|" + c;
  }
  auto cur = aggregates.GetCachedFigures(slot + "_current", key);
  auto prev = aggregates.GetCachedFigures(slot + "_previous", key);
  if (!cur || !prev) {
    std::vector<Case> all;
    auto s = store.ForEachCaseDatesInPeriod(funds, Date::FromCivil(y - 1, 1, 1),
                                            Date::FromCivil(y, 12, 31),
                                            [&](Case& c) { all.push_back(std::move(c)); });
    if (!s) return Fail(s.error());
    auto c2 = figures_of(all, funds, y);
    if (!c2) return Fail(c2.error());
    auto p2 = figures_of(all, funds, y - 1);
    if (!p2) return Fail(p2.error());
    cur = std::move(*c2);
    prev = std::move(*p2);
    aggregates.PutCachedFigures(slot + "_current", key, *cur);
    aggregates.PutCachedFigures(slot + "_previous", key, *prev);
  }
  ComparisonSource src;
  src.label = std::move(label);
  src.current = ComparisonYear{std::move(*cur), origin, {}};
  src.previous = ComparisonYear{std::move(*prev), origin, {}};
  return src;
}

std::string Funds(size_t n) { return n == 1 ? "1 Caf" : std::to_string(n) + " Caf"; }

}  // namespace

Status GatherComparison(Store& store, AggregateStore& aggregates, const ComparisonRequest& r,
                        const FiguresOf& figures_of, ReportInputs* in) {
  auto national = Setting(store, kSettingNational);
  if (!national) return Fail(national.error());
  auto pole = Setting(store, kSettingNationalPole);
  if (!pole) return Fail(pole.error());
  const bool pole_in_base =
      !pole->empty() && std::find(r.all_codes.begin(), r.all_codes.end(), *pole) != r.all_codes.end();

  // The national pole.
  if (pole_in_base) {
    auto src = Computed(store, aggregates, r, figures_of, {*pole}, "national_pole", "Cnaf",
                        "calculés à partir des dossiers de la base (Caf " + *pole + ")");
    if (!src) return Fail(src.error());
    in->national_pole = std::move(*src);
  } else {
    auto src = StoredSource(aggregates, AggregateScope::kNationalPole, r.year, "Cnaf");
    if (!src) return Fail(src.error());
    in->national_pole = std::move(*src);
  }

  // All funds.
  std::vector<std::string> network;
  for (const std::string& c : r.all_codes) {
    if (!pole_in_base || c != *pole) network.push_back(c);
  }
  if (*national == "1" && !network.empty()) {
    const std::string origin = "calculés à partir des dossiers de la base (" +
                               Funds(network.size()) +
                               (pole_in_base ? ", hors pôle national" : "") + ")";
    if (r.all_funds && !pole_in_base) {
      // The report is already over every fund: the same figures.
      ComparisonSource src;
      src.label = "Ensemble des Caf";
      src.current = ComparisonYear{in->current, origin, {}};
      src.previous = ComparisonYear{in->previous, origin, {}};
      in->all_funds_comparison = std::move(src);
    } else {
      auto src = Computed(store, aggregates, r, figures_of, network, "all_funds",
                          "Ensemble des Caf", origin);
      if (!src) return Fail(src.error());
      in->all_funds_comparison = std::move(*src);
    }
  } else {
    auto src = StoredSource(aggregates, AggregateScope::kAllFunds, r.year, "Ensemble des Caf");
    if (!src) return Fail(src.error());
    in->all_funds_comparison = std::move(*src);
  }

  // The fund's year before, when its cases are not in the base.
  if (in->previous.received == 0 && in->previous.closed == 0 && !r.codes.empty()) {
    auto prev = Stored(aggregates, AggregateScope::kFund, r.year - 1, r.codes);
    if (!prev) return Fail(prev.error());
    in->own_previous = std::move(*prev);
  }
  return {};
}

Status GatherContext(Store& store, const std::string& fund_set, int year, ReportInputs* in) {
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) return {};
  auto cur = data->GetContextFigures(fund_set, year);
  if (!cur) return Fail(cur.error());
  auto prev = data->GetContextFigures(fund_set, year - 1);
  if (!prev) return Fail(prev.error());
  in->context = std::move(*cur);
  in->previous_context = std::move(*prev);
  return {};
}

}  // namespace amiable::report::comparison_internal
