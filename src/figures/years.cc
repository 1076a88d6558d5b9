#include "figures/years.h"

#include <algorithm>
#include <set>

#include "calendar/calendar.h"
#include "store/privacy_store.h"
#include "store/store.h"

namespace amiable {

namespace {

void AddYearsOf(const Case& c, std::set<int>& years) {
  auto add = [&](Date d) {
    const int y = d.year();
    if (y >= kFirstCalendarYear && y <= kLastCalendarYear) years.insert(y);
  };
  add(c.received_on);
  if (c.closed_on) add(*c.closed_on);
}

}  // namespace

std::vector<int> YearsOfCases(std::span<const Case> cases) {
  std::set<int> years;
  for (const Case& c : cases) AddYearsOf(c, years);
  return {years.begin(), years.end()};
}

Result<std::vector<int>> YearsWithCases(Store& store, std::span<const std::string> organismes) {
  std::set<int> years;
  const Status st = store.ForEachCaseDatesInPeriod(
      organismes, Date::FromCivil(kFirstCalendarYear, 1, 1),
      Date::FromCivil(kLastCalendarYear, 12, 31), [&](Case& c) { AddYearsOf(c, years); });
  if (!st) return Fail(st.error());
  // Years whose cases were all purged keep their frozen figures (frozen.h).
  if (PrivacyStore* p = PrivacyOf(store)) {
    auto frozen = p->FrozenFundYears();
    if (!frozen) return Fail(frozen.error());
    for (const auto& [fund, year] : *frozen) {
      if (organismes.empty() ||
          std::find(organismes.begin(), organismes.end(), fund) != organismes.end()) {
        years.insert(year);
      }
    }
  }
  return std::vector<int>(years.begin(), years.end());
}

Result<std::vector<YearFigures>> FiguresOfEveryYear(Store& store,
                                                    std::vector<std::string> organismes,
                                                    Date as_of) {
  auto years = YearsWithCases(store, organismes);
  if (!years) return Fail(years.error());
  std::vector<YearFigures> out;
  out.reserve(years->size());
  for (int y : *years) {
    auto f = ComputeFigures(store, organismes, y, as_of);
    if (!f) return Fail(f.error());
    out.push_back(std::move(*f));
  }
  return out;
}

}  // namespace amiable
