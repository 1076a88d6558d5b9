// French display formats (CLDR "fr", design.md "Conventions users expect"),
// the ONE module the pages, the CLI and the annual report print numbers,
// money, percentages and dates with, so that a figure reads the same
// everywhere (issue 7, item 6).
//
// - Thousands are grouped with a narrow no-break space (U+202F): "1 234".
// - The decimal separator is a comma: "1,65".
// - Percentages take one decimal by default and U+202F before the sign:
//   "12,4 %". A percentage of counts is computed from the exact ratio
//   (Percent(num, den)), never from a double: 247 / 2000 = 12,35 % exactly
//   and prints "12,4 %" (half up), where 0.1235 as a double is 0.12349999…
// - Amounts are integer cents, two decimals and a no-break space (U+00A0)
//   before the euro sign: "128 120,06 €". No floating point.
// - Dates are "26/11/2026"; long dates "1er décembre 2026".
// - A value that cannot be computed (empty denominator, unknown) is "n.d.".
//
// Rounding: half away from zero on the exact value (for the non-negative
// ratios of counts, this is "half up"). The double overloads
// (PercentOfFraction, Decimal, Days, Change) nudge by a relative 1e-12 so
// that a double that was meant to be a half (0.1235 stored as 0.12349999…)
// rounds up; for a quotient num / den of counts with den < 5·10^8 they agree
// with the exact functions at one decimal. Prefer the exact functions for
// count ratios.
//
// Pure functions, no locale or global state: thread-safe.
#ifndef AMIABLE_CORE_FRENCH_FORMAT_H_
#define AMIABLE_CORE_FRENCH_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace amiable::fr {

inline constexpr std::string_view kNarrowNbsp = "\u202F";  // thousands, before % and :
inline constexpr std::string_view kNbsp = "\u00A0";        // before € and units
// Shown in place of a figure whose denominator is empty or that is unknown.
inline constexpr std::string_view kNotAvailable = "n.d.";

// "1 234", "-56".
std::string Count(int64_t n);
// `decimals` (0-9) fixed decimals with a comma, integer part grouped:
// 24579.8 -> "24 579,80".
std::string Decimal(double v, int decimals);

// num / den as a percentage with `decimals` decimals (0-6), rounded half away
// from zero on the exact value: (247, 2000) -> "12,4 %", (1, 8, 0) -> "13 %";
// den == 0 -> "n.d.". Exact for every int64_t num and den (128-bit arithmetic).
std::string Percent(int64_t num, int64_t den, int decimals = 1);
// A fraction as a percentage: 0.3566 -> "35,7 %"; nullopt or not finite ->
// "n.d.". For values that are not a ratio of counts (targets, chart shares).
std::string PercentOfFraction(std::optional<double> fraction, int decimals = 1);
// A signed relative change: +0.2364 -> "+23,6 %"; nullopt -> "n.d.".
std::string Change(std::optional<double> fraction);
// A signed change in percentage points: +0.051 -> "+5,1 pts"; nullopt -> "n.d.".
std::string PointChange(std::optional<double> fraction_delta);

// Euros from cents: 12812006 -> "128 120,06 €", -5 -> "-0,05 €".
std::string Euros(int64_t cents);
// An amount typed in euros to cents: "1 234,56", "1234.5", "12", "12 €"
// (spaces, no-break spaces and the euro sign ignored; at most 2 decimals,
// ',' or '.'); nullopt when it is not a positive amount (0 included).
std::optional<int64_t> ParseEuros(std::string_view text);
// Days with two decimals: 1.65 -> "1,65 j"; nullopt -> "n.d.".
std::string Days(std::optional<double> days);

// "26/11/2026".
std::string ShortDate(Date d);
// "26 novembre 2026", "1er décembre 2026".
std::string LongDate(Date d);
// "janvier" ... "décembre"; month 1-12 ("" otherwise).
std::string_view MonthName(int month);
// "Janvier" ... "Décembre".
std::string CapitalizedMonthName(int month);

// French typography for display: the spaces inside « » and before : ; ! ?
// become no-break spaces, so that a line never starts with "»" or ":".
std::string Spaces(std::string_view text);

// num / den × 10^scale rounded half away from zero (exact). E.g.
// RoundRatio(247, 2000, 3) = 124 (12,4 % in tenths of a percent).
// Requires den != 0 and scale 0-18; the result must fit in int64_t.
int64_t RoundRatio(int64_t num, int64_t den, int scale);
// v × 10^decimals rounded half away from zero, with the relative nudge
// above (0.3566 at 3 decimals -> 357).
int64_t RoundScaled(double v, int decimals);
// A scaled integer with `decimals` decimals, grouped: (-123456, 2) -> "-1 234,56".
std::string FixedFromScaled(int64_t scaled, int decimals);

}  // namespace amiable::fr

#endif  // AMIABLE_CORE_FRENCH_FORMAT_H_
