// The aggregate file: a year's figures of a fund (or of all funds, or of the
// national pole) without any personal data, as `amiable aggregate export`
// writes and `amiable aggregate import` reads them.
//
//   {"format": "amiable-aggregate", "version": 1, "scope": "fund",
//    "exported_on": "2026-01-31", "figures": { ...domain.md §8... }}
//
// Only counts, rates, averages and amounts travel: no case reference, no
// allocataire number, no name, no free text. Import is strict about the
// envelope and about the shape of every figure it reads (a count must be a
// non-negative integer, a rate a number in [0, 1] or null) and ignores keys
// of the figures it does not know (a newer version may add some).
#ifndef AMIABLE_REPORT_AGGREGATE_H_
#define AMIABLE_REPORT_AGGREGATE_H_

#include <string>
#include <string_view>

#include "core/error.h"
#include "figures/figures.h"
#include "report/report_store.h"

namespace amiable::report {

std::string AggregateToJson(const Aggregate& a);
// kInvalid with a message naming the offending key.
Result<Aggregate> AggregateFromJson(std::string_view json);

// Reads the figures JSON of domain.md §8 back into YearFigures (what the
// aggregate carries; denominators not in the JSON are derived where they can
// be: breakdown populations, and are left 0 otherwise).
Result<YearFigures> FiguresFromJson(std::string_view json);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_AGGREGATE_H_
