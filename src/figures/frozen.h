// Frozen figures (issue 9, part 6): before a purge deletes anonymised cases,
// each fund's figures of the years those cases count in are kept, complete
// (every count and denominator, not only the JSON of domain.md §8), and from
// then on served from there. This file holds their complete form and how a
// year's figures combine the frozen funds with those computed from cases.
//
// Exactness: the complete form round-trips every field (doubles included);
// combining funds adds the counts and recovers each average's integer sum
// as llround(avg * n), so the figures of a set of funds are those that
// ComputeFigures gives over their cases, to the last bit.
#ifndef AMIABLE_FIGURES_FROZEN_H_
#define AMIABLE_FIGURES_FROZEN_H_

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "core/case.h"
#include "core/date.h"
#include "core/error.h"
#include "figures/figures.h"
#include "store/privacy_store.h"

namespace amiable {

class Store;

// Every field of `f` as JSON, and back (kInvalid on a malformed text).
std::string FrozenStateToJson(const YearFigures& f);
Result<YearFigures> FrozenStateFromJson(std::string_view json);

// The figures of several disjoint sets of funds for the same year, as one
// (counts added, rates and averages recomputed from the sums). `organismes`
// and `as_of` name the result.
YearFigures MergeFigures(std::span<const YearFigures> parts, std::vector<std::string> organismes,
                         int year, Date as_of);

// The frozen rows of `year` in the store (none for a store without the
// privacy role).
Result<std::vector<FrozenFiguresRow>> FrozenRowsOf(Store& store, int year);

// The figures of `year` for `organismes` (empty = every fund of
// `calendar_of_fund`): the funds with a row in `frozen` from it, the others
// computed from `cases` (ComputeFigures). Without a frozen fund among them,
// exactly ComputeFigures. The result's as_of is `as_of` (a frozen year's
// figures no longer move).
Result<YearFigures> FiguresWithFrozen(std::span<const Case> cases,
                                      const std::map<std::string, WorkCalendar>& calendar_of_fund,
                                      std::span<const FrozenFiguresRow> frozen,
                                      std::vector<std::string> organismes, int year, Date as_of);

}  // namespace amiable

#endif  // AMIABLE_FIGURES_FROZEN_H_
