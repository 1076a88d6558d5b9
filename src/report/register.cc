#include "report/register.h"

#include <algorithm>
#include <utility>

#include "core/messages.h"
#include "store/store.h"

namespace amiable::report {

std::string_view StatusLabel(std::string_view status) {
  return recommendation::Statuses().Label(status);
}

std::string_view KindLabel(std::string_view kind) { return recommendation::Kinds().Label(kind); }

std::string KindTitle(std::string_view kind) {
  return kind == "constat" ? "Constat" : kind == "preconisation" ? "Préconisation"
                                                                 : std::string(kind);
}

std::string ThemeLabel(const std::vector<RecommendationTheme>& themes, std::string_view code) {
  for (const RecommendationTheme& t : themes) {
    if (t.code == code) return t.label;
  }
  return std::string(code);
}

std::string StatusAt(const Recommendation& r, int year) {
  if (r.follow_ups.empty()) return r.status;
  int last_year = 0;
  for (const RecommendationFollowUp& f : r.follow_ups) last_year = std::max(last_year, f.year);
  if (year >= last_year) return r.status;
  std::string at = "proposee";
  for (const RecommendationFollowUp& f : r.follow_ups) {  // oldest first
    if (f.year <= year) at = f.status;
  }
  return at;
}

RegisterInputs SelectForReport(std::vector<RecommendationTheme> themes,
                               std::vector<Recommendation> all, int year) {
  RegisterInputs out;
  out.year = year;
  out.themes = std::move(themes);
  for (Recommendation& r : all) {
    if (r.year > year) continue;
    bool reviewed_this_year = false;
    for (const RecommendationFollowUp& f : r.follow_ups) reviewed_this_year |= f.year == year;
    const bool open_before = !recommendation::IsClosed(StatusAt(r, year - 1));
    if (r.year < year && !open_before && !reviewed_this_year) continue;
    r.status = StatusAt(r, year);
    std::erase_if(r.follow_ups, [&](const RecommendationFollowUp& f) { return f.year > year; });
    (r.year == year ? out.items : out.earlier).push_back(std::move(r));
  }
  return out;
}

Result<RegisterInputs> LoadRegister(Store& store, const Actor& reader,
                                    const std::vector<std::string>& organismes, int year) {
  ReportDataStore* rd = ReportDataOf(store);
  if (rd == nullptr) return RegisterInputs{year, {}, {}, {}};
  auto themes = rd->RecommendationThemes();
  if (!themes) return Fail(themes.error());
  RecommendationFilter f;
  f.organismes = organismes;
  f.year_to = year;
  auto items = rd->Recommendations(reader, f);
  if (!items) return Fail(items.error());
  return SelectForReport(std::move(*themes), std::move(*items), year);
}

Status MoveRecommendation(Store& store, const Actor& actor, int64_t id, int delta) {
  ReportDataStore* rd = ReportDataOf(store);
  if (rd == nullptr) return Fail(Error::Internal("register: no report data store"));
  return store.InTransaction([&]() -> Status {
    auto all = rd->Recommendations(actor, {});
    if (!all) return Fail(all.error());
    auto it = std::find_if(all->begin(), all->end(),
                           [&](const Recommendation& r) { return r.id == id; });
    if (it == all->end()) return Fail(msg::NotFound("register.item_unknown", {std::to_string(id)}));
    std::vector<Recommendation> same;  // in the store's order: position, id
    for (const Recommendation& r : *all) {
      if (r.organisme == it->organisme && r.year == it->year) same.push_back(r);
    }
    const std::string theme = it->theme;
    const long n = static_cast<long>(same.size());
    long i = 0;
    while (i < n && same[static_cast<size_t>(i)].id != id) ++i;
    // The neighbour of the same theme (the order pages and report show).
    const long step = delta < 0 ? -1 : delta > 0 ? 1 : 0;
    if (step == 0) return {};
    long j = i + step;
    while (j >= 0 && j < n && same[static_cast<size_t>(j)].theme != theme) j += step;
    if (j < 0 || j >= n) return {};
    std::swap(same[static_cast<size_t>(i)], same[static_cast<size_t>(j)]);
    for (size_t k = 0; k < same.size(); ++k) {
      if (same[k].position == static_cast<int>(k) + 1) continue;
      same[k].position = static_cast<int>(k) + 1;
      if (auto s = rd->UpdateRecommendation(actor, same[k]); !s) return s;
    }
    return {};
  });
}

}  // namespace amiable::report
