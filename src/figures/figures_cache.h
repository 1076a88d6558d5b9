// The figures of a year served per fund from a cache kept exact by the
// fund's version (store/figures_cache_store.h; the choice and its proof:
// docs/decisions/0012-figures-aggregates.md).
//
// ComputeFigures(Store&, ...) (figures.h) is CachedFigures: for each fund,
// its part of the year at `as_of` is taken from the cache when it was
// computed at the fund's current version, otherwise computed from the
// fund's cases (with its frozen figures) and stored; the parts are merged
// with MergeFigures, which adds counts and recovers each average's integer
// sum, so the result equals RecomputeFigures to the last bit.
#ifndef AMIABLE_FIGURES_FIGURES_CACHE_H_
#define AMIABLE_FIGURES_FIGURES_CACHE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "core/date.h"
#include "core/error.h"
#include "figures/figures.h"

namespace amiable {

class Store;

// The checked request: year and day in the calendar's range, every fund
// known, the funds sorted and unique (all funds of the database when none
// was named), and every fund's calendar.
struct FiguresRequest {
  std::map<std::string, WorkCalendar> calendars;
  std::vector<std::string> organismes;
};
Result<FiguresRequest> PrepareFigures(Store& store, std::vector<std::string> organismes, int year,
                                      Date as_of);

// How a computation used the cache.
struct FiguresCacheUse {
  int64_t hits = 0;    // funds served from the cache
  int64_t misses = 0;  // funds computed from their cases (then stored)
  bool cached = false; // false: the store has no cache, everything recomputed
};

// ComputeFigures(Store&, ...), telling how it used the cache.
Result<YearFigures> CachedFigures(Store& store, std::vector<std::string> organismes, int year,
                                  Date as_of, FiguresCacheUse* use = nullptr);

// Recomputes and compares with the cached path: nullopt when equal in every
// field (FrozenStateToJson, the complete form), otherwise the first field
// that differs with both values, e.g. "closed : 120 (cache) / 121 (recalcul)".
Result<std::optional<std::string>> VerifyFigures(Store& store, std::vector<std::string> organismes,
                                                 int year, Date as_of,
                                                 FiguresCacheUse* use = nullptr);

}  // namespace amiable

#endif  // AMIABLE_FIGURES_FIGURES_CACHE_H_
