// The national report: the pole, the funds' figures in one read of the
// cases, the spread of the delays, the register (report/national.h). The
// model is assembled in national_assemble.cc.
#include "report/national.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "calendar/calendar.h"
#include "core/messages.h"
#include "figures/frozen.h"
#include "store/store.h"

namespace amiable::report {

Result<std::optional<std::string>> NationalPole(Store& store) {
  ReportDataStore* data = ReportDataOf(store);
  if (data == nullptr) return std::optional<std::string>();
  auto v = data->GetSetting(kSettingNationalPole);
  if (!v) return Fail(v.error());
  if (!*v || (*v)->empty()) return std::optional<std::string>();
  return *v;
}

Result<std::vector<std::string>> AllFundsExceptNationalPole(Store& store) {
  auto pole = NationalPole(store);
  if (!pole) return Fail(pole.error());
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  std::vector<std::string> codes;
  for (const Organisme& o : *orgs) {
    if (!*pole || o.code != **pole) codes.push_back(o.code);
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

bool MayReadNationalReport(const Actor& actor) {
  return actor.role == Role::kNational || actor.role == Role::kAdministrator;
}

double Quantile(const std::vector<double>& sorted, double p) {
  const double pos = static_cast<double>(sorted.size() - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

Spread SpreadOf(std::string label, ValueKind kind, std::vector<double> values) {
  Spread s;
  s.label = std::move(label);
  s.kind = kind;
  s.funds = static_cast<int64_t>(values.size());
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  for (int k = 1; k <= 9; ++k) s.deciles.push_back(Quantile(values, k / 10.0));
  s.d1 = s.deciles[0];
  s.d9 = s.deciles[8];
  s.median = s.deciles[4];
  s.q1 = Quantile(values, 0.25);
  s.q3 = Quantile(values, 0.75);
  return s;
}

CountRatio YearlyTakeCharge(const YearFigures& f) {
  CountRatio r;
  for (const QuarterFigures& q : f.quarterly_take_charge) {
    r.num += q.met;
    r.den += q.met + q.missed;
  }
  return r;
}

Result<NationalInputs> GatherNational(Store& store, int year, Date as_of, Date generated_on,
                                      const Actor& reader) {
  if (year <= kFirstCalendarYear || year > kLastCalendarYear) {
    return Fail(msg::Invalid("report.year_invalid", "year"));
  }
  NationalInputs in;
  in.year = year;
  in.as_of = as_of;
  in.generated_on = generated_on;

  auto pole = NationalPole(store);
  if (!pole) return Fail(pole.error());
  auto orgs = store.ListOrganismes();
  if (!orgs) return Fail(orgs.error());
  std::map<std::string, WorkCalendar> calendars;
  std::unordered_map<std::string, size_t> slot;  // fund -> index in `buckets`
  std::vector<Organisme> funds = *orgs;
  std::sort(funds.begin(), funds.end(),
            [](const Organisme& a, const Organisme& b) { return a.code < b.code; });
  for (const Organisme& o : funds) {
    WorkCalendar cal;
    if (auto z = ZoneFromCode(o.zone)) cal.zone = *z;
    cal.whit_monday_worked = o.whit_monday_worked;
    calendars[o.code] = cal;
    slot.emplace(o.code, slot.size());
  }

  // One read of the cases of every fund for both years, put in a bucket
  // per fund (the store orders them by nothing in particular).
  std::vector<std::vector<Case>> buckets(funds.size());
  auto st = store.ForEachCaseInPeriod({}, Date::FromCivil(year - 1, 1, 1),
                                      Date::FromCivil(year, 12, 31), [&](Case& c) {
                                        auto it = slot.find(c.organisme);
                                        if (it != slot.end()) {
                                          buckets[it->second].push_back(std::move(c));
                                        }
                                      });
  if (!st) return Fail(st.error());
  auto frozen_cur = FrozenRowsOf(store, year);
  if (!frozen_cur) return Fail(frozen_cur.error());
  auto frozen_prev = FrozenRowsOf(store, year - 1);
  if (!frozen_prev) return Fail(frozen_prev.error());

  // The mediators of each fund.
  std::map<std::string, int> mediators;
  std::set<std::string> network_mediators;
  if (auto users = store.ListUsers()) {
    for (const User& u : *users) {
      if (u.role != Role::kMediator || u.disabled) continue;
      bool counted = false;
      for (const std::string& o : u.organismes) {
        ++mediators[o];
        if (!*pole || o != **pole) counted = true;
      }
      if (counted) network_mediators.insert(u.name);
    }
  } else {
    return Fail(users.error());
  }
  in.mediators = static_cast<int>(network_mediators.size());

  std::vector<YearFigures> parts_cur, parts_prev;
  std::vector<std::string> codes;
  for (size_t i = 0; i < funds.size(); ++i) {
    FundYear fy;
    fy.fund = funds[i];
    auto cur = FiguresWithFrozen(buckets[i], calendars, *frozen_cur, {funds[i].code}, year, as_of);
    if (!cur) return Fail(cur.error());
    auto prev =
        FiguresWithFrozen(buckets[i], calendars, *frozen_prev, {funds[i].code}, year - 1, as_of);
    if (!prev) return Fail(prev.error());
    fy.current = std::move(*cur);
    fy.previous = std::move(*prev);
    fy.mediators = mediators.count(funds[i].code) ? mediators[funds[i].code] : 0;
    buckets[i] = {};
    if (*pole && funds[i].code == **pole) {
      in.pole = std::move(fy);
      continue;
    }
    codes.push_back(funds[i].code);
    parts_cur.push_back(fy.current);
    parts_prev.push_back(fy.previous);
    in.funds.push_back(std::move(fy));
  }
  // MergeFigures of one part keeps it; of none, an empty year.
  in.all_funds = MergeFigures(parts_cur, codes, year, as_of);
  in.all_funds_previous = MergeFigures(parts_prev, codes, year - 1, as_of);
  if (parts_cur.empty()) {
    in.all_funds = ComputeFigures({}, calendars, {}, year, as_of);
    in.all_funds.organismes.clear();
    in.all_funds_previous = ComputeFigures({}, calendars, {}, year - 1, as_of);
    in.all_funds_previous.organismes.clear();
  }

  // The register: the items of the year of every fund, and the themes.
  if (ReportDataStore* data = ReportDataOf(store)) {
    auto themes = data->RecommendationThemes();
    RecommendationFilter filter;
    filter.year_from = year;
    filter.year_to = year;
    auto items = themes ? data->Recommendations(reader, filter)
                        : Result<std::vector<Recommendation>>(Fail(themes.error()));
    if (themes && items) {
      in.themes = std::move(*themes);
      in.recommendations = std::move(*items);
    } else {
      const Error& e = themes ? items.error() : themes.error();
      in.register_error = msg::Find("report.national_register_unreadable");
      in.register_detail = e.message;
    }
  }
  return in;
}

Result<ReportModel> BuildNationalReport(Store& store, int year, Date as_of, Date generated_on,
                                        const Actor& reader) {
  auto in = GatherNational(store, year, as_of, generated_on, reader);
  if (!in) return Fail(in.error());
  return AssembleNationalReport(*in);
}

}  // namespace amiable::report
