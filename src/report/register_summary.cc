#include "report/register_summary.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "report/register.h"
#include "store/store.h"

namespace amiable::report {

GatheredRegister GatherRegisterFrom(const std::vector<RecommendationTheme>& themes,
                                    const std::vector<Recommendation>& items,
                                    const std::vector<Organisme>& funds, int year) {
  GatheredRegister out;
  out.year = year;
  std::map<std::string, std::string, std::less<>> names;
  for (const Organisme& o : funds) names[o.code] = o.name;
  std::vector<const Recommendation*> of_year;
  std::set<std::string, std::less<>> used;
  for (const Recommendation& r : items) {
    if (r.year != year) continue;
    of_year.push_back(&r);
    used.insert(r.theme);
  }
  std::stable_sort(of_year.begin(), of_year.end(),
                   [](const Recommendation* a, const Recommendation* b) {
                     return std::tie(a->organisme, a->position, a->id) <
                            std::tie(b->organisme, b->position, b->id);
                   });
  std::map<std::string, size_t, std::less<>> index;
  for (const RecommendationTheme& t : themes) {
    if (!t.active && !used.count(t.code)) continue;
    index[t.code] = out.themes.size();
    out.themes.push_back({t.code, t.label, {}, 0, 0, {}});
  }
  for (const std::string& code : used) {  // a theme the list does not hold
    if (!index.count(code)) {
      index[code] = out.themes.size();
      out.themes.push_back({code, code, {}, 0, 0, {}});
    }
  }
  std::set<std::string> with_items;
  const Nomenclature& statuses = recommendation::Statuses();
  for (const Recommendation* r : of_year) {
    GatheredTheme& t = out.themes[index[r->theme]];
    const std::string status = StatusAt(*r, year);
    const int s = statuses.IndexOf(status);
    if (s >= 0 && s < static_cast<int>(out.by_status.size())) {
      ++t.by_status[s];
      ++out.by_status[s];
    }
    ++t.total;
    ++out.total;
    if (r->kind == "constat") ++t.constats;
    auto n = names.find(r->organisme);
    t.items.push_back({r->organisme, n != names.end() ? n->second : r->organisme, r->kind,
                       r->text, r->addressed_to, status});
    with_items.insert(r->organisme);
  }
  out.funds = static_cast<int64_t>(with_items.size());
  return out;
}

Result<GatheredRegister> GatherRegister(Store& store, const Actor& reader, int year) {
  ReportDataStore* rd = ReportDataOf(store);
  if (rd == nullptr) return GatheredRegister{year, {}, {}, 0, 0};
  auto themes = rd->RecommendationThemes();
  if (!themes) return Fail(themes.error());
  auto funds = store.ListOrganismes();
  if (!funds) return Fail(funds.error());
  RecommendationFilter f;
  f.year_from = year;
  f.year_to = year;
  auto items = rd->Recommendations(reader, f);
  if (!items) return Fail(items.error());
  return GatherRegisterFrom(*themes, *items, *funds, year);
}

}  // namespace amiable::report
