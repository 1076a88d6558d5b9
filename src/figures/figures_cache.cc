#include "figures/figures_cache.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <utility>

#include "figures/frozen.h"
#include "store/figures_cache_store.h"
#include "store/store.h"

namespace amiable {

Result<YearFigures> ComputeFigures(Store& store, std::vector<std::string> organismes, int year,
                                   Date as_of) {
  return CachedFigures(store, std::move(organismes), year, as_of, nullptr);
}

Result<YearFigures> CachedFigures(Store& store, std::vector<std::string> organismes, int year,
                                  Date as_of, FiguresCacheUse* use) {
  FiguresCacheUse local;
  FiguresCacheUse& u = use ? *use : local;
  u = {};
  FiguresCacheStore* cache = FiguresCacheOf(store);
  if (cache == nullptr) return RecomputeFigures(store, std::move(organismes), year, as_of);
  // The versions first: what is read after them is at least as new, so a
  // part is never stored under a version newer than its data.
  auto versions = cache->FundDataVersions();
  if (!versions) return Fail(versions.error());
  auto req = PrepareFigures(store, std::move(organismes), year, as_of);
  if (!req) return Fail(req.error());
  if (req->organismes.empty()) return RecomputeFigures(store, {}, year, as_of);
  u.cached = true;

  const std::string day = as_of.ToString();
  const auto version_of = [&](const std::string& o) {
    auto it = versions->find(o);
    return it == versions->end() ? std::string("0") : it->second;
  };
  // Every fund of the database is asked for when all are: one read of the year.
  const bool all = req->organismes.size() == req->calendars.size();
  auto rows = cache->CachedFundFiguresOf(all ? std::span<const std::string>()
                                             : std::span<const std::string>(req->organismes),
                                         year, day);
  if (!rows) return Fail(rows.error());
  std::unordered_map<std::string, const CachedFundFigures*> row_of;
  for (const CachedFundFigures& r : *rows) row_of[r.organisme] = &r;

  std::map<std::string, YearFigures> parts;
  std::vector<std::string> missing;
  for (const std::string& o : req->organismes) {
    auto it = row_of.find(o);
    if (it != row_of.end() && it->second->version == version_of(o)) {
      if (auto f = FrozenStateFromJson(it->second->state_json)) {
        parts.emplace(o, std::move(*f));
        ++u.hits;
        continue;
      }
    }
    missing.push_back(o);
  }

  if (!missing.empty()) {
    u.misses = static_cast<int64_t>(missing.size());
    std::unordered_map<std::string, std::vector<Case>> cases_of;
    const Status st = store.ForEachCaseInPeriod(
        missing, Date::FromCivil(year, 1, 1), Date::FromCivil(year, 12, 31),
        [&cases_of](Case& c) { cases_of[c.organisme].push_back(std::move(c)); });
    if (!st) return Fail(st.error());
    auto frozen = FrozenRowsOf(store, year);
    if (!frozen) return Fail(frozen.error());
    std::vector<CachedFundFigures> fresh;
    fresh.reserve(missing.size());
    static const std::vector<Case> kNone;
    for (const std::string& o : missing) {
      auto it = cases_of.find(o);
      const std::vector<Case>& cases = it == cases_of.end() ? kNone : it->second;
      auto part = FiguresWithFrozen(cases, req->calendars, *frozen, {o}, year, as_of);
      if (!part) return Fail(part.error());
      fresh.push_back({o, year, day, version_of(o), FrozenStateToJson(*part)});
      parts.emplace(o, std::move(*part));
    }
    cache->PutCachedFundFigures(fresh);
  }

  std::vector<YearFigures> ordered;
  ordered.reserve(req->organismes.size());
  for (const std::string& o : req->organismes) ordered.push_back(std::move(parts.at(o)));
  return MergeFigures(ordered, std::move(req->organismes), year, as_of);
}

namespace {

// The first difference between two JSON values, as "path : a / b".
std::optional<std::string> FirstDifference(const nlohmann::json& a, const nlohmann::json& b,
                                           const std::string& path) {
  if (a.type() == b.type() && (a.is_object() || a.is_array()) && a.size() == b.size()) {
    if (a.is_object()) {
      for (auto it = a.begin(); it != a.end(); ++it) {
        if (!b.contains(it.key())) return path + it.key();
        if (auto d = FirstDifference(it.value(), b.at(it.key()), path + it.key() + "."))
          return d;
      }
    } else {
      for (size_t i = 0; i < a.size(); ++i) {
        if (auto d = FirstDifference(a[i], b[i], path + std::to_string(i) + ".")) return d;
      }
    }
    return std::nullopt;
  }
  if (a == b) return std::nullopt;
  std::string p = path;
  if (!p.empty() && p.back() == '.') p.pop_back();
  return p + " : " + a.dump() + " / " + b.dump();
}

}  // namespace

Result<std::optional<std::string>> VerifyFigures(Store& store, std::vector<std::string> organismes,
                                                 int year, Date as_of, FiguresCacheUse* use) {
  auto cached = CachedFigures(store, organismes, year, as_of, use);
  if (!cached) return Fail(cached.error());
  auto full = RecomputeFigures(store, std::move(organismes), year, as_of);
  if (!full) return Fail(full.error());
  const std::string a = FrozenStateToJson(*cached), b = FrozenStateToJson(*full);
  if (a == b) return std::optional<std::string>();
  auto d = FirstDifference(nlohmann::json::parse(a), nlohmann::json::parse(b), "");
  return std::optional<std::string>(d.value_or("?"));
}

}  // namespace amiable
