// The years of the database (issue 10, part 7): which calendar years a set of
// funds has figures for, so that the years side by side (the page
// /chiffres/annees and its workbook) and the report's multi-year series show
// every one of them. The figures of each year are ComputeFigures's
// (figures.h): nothing here computes a figure.
#ifndef AMIABLE_FIGURES_YEARS_H_
#define AMIABLE_FIGURES_YEARS_H_

#include <span>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/date.h"
#include "core/error.h"
#include "figures/figures.h"

namespace amiable {

class Store;

// The years with at least one of `cases` received or closed in them (an
// internal request alone does not make a year), ascending, without
// duplicates; limited to the calendar's years (kFirstCalendarYear to
// kLastCalendarYear).
std::vector<int> YearsOfCases(std::span<const Case> cases);

// The same for the cases of the funds `organismes` in the store (empty = every
// fund of the database), read with ForEachCaseDatesInPeriod (dates only, no
// case kept), plus the years with frozen figures of those funds (a year whose
// cases were all purged: figures/frozen.h). Takes no actor, like the
// figures: callers pass only the funds the reader sees. Store errors as they
// come.
Result<std::vector<int>> YearsWithCases(Store& store, std::span<const std::string> organismes);

// The figures of each year of YearsWithCases for the funds, one
// ComputeFigures(store, organismes, year, as_of) each (frozen years served
// frozen), ascending. Errors as ComputeFigures's.
Result<std::vector<YearFigures>> FiguresOfEveryYear(Store& store,
                                                    std::vector<std::string> organismes,
                                                    Date as_of);

}  // namespace amiable

#endif  // AMIABLE_FIGURES_YEARS_H_
