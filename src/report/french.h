// French number, money, percentage and date formats for the annual report
// (design.md "Conventions users expect", CLDR "fr").
//
// - Thousands are grouped with a narrow no-break space (U+202F): "1 234".
// - The decimal separator is a comma: "1,65".
// - Percentages take one decimal and U+202F before the sign: "35,7 %".
// - Amounts are integer cents, shown with two decimals and a no-break space
//   (U+00A0) before the euro sign: "128 120,06 €". No floating point.
// - Dates are "26/11/2026".
// Values are rounded half away from zero. Pure functions, thread-safe.
#ifndef AMIABLE_REPORT_FRENCH_H_
#define AMIABLE_REPORT_FRENCH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace amiable::report {

inline constexpr std::string_view kNarrowNbsp = "\u202F";  // thousands, before % and :
inline constexpr std::string_view kNbsp = "\u00A0";        // before € and units
// Shown in place of a figure whose denominator is empty or that is unknown.
inline constexpr std::string_view kNotAvailable = "n.d.";

// "1 234", "-56".
std::string FormatCount(int64_t n);
// `decimals` fixed decimals with a comma, integer part grouped: "24 579,80".
std::string FormatDecimal(double v, int decimals);
// A fraction as a percentage: 0.3566 -> "35,7 %"; nullopt -> "n.d.".
std::string FormatPercent(std::optional<double> fraction, int decimals = 1);
// Euros from cents: 12812006 -> "128 120,06 €".
std::string FormatEuros(int64_t cents);
// Working or calendar days with two decimals: 1.65 -> "1,65 j"; nullopt -> "n.d.".
std::string FormatDays(std::optional<double> days);
// A signed relative change as a percentage: +0.2364 -> "+23,6 %"; nullopt -> "n.d.".
std::string FormatChange(std::optional<double> fraction);
// A signed change in percentage points: +0.051 -> "+5,1 pts".
std::string FormatPointChange(std::optional<double> fraction_delta);
// "26/11/2026".
std::string FormatDate(Date d);
// "26 novembre 2026".
std::string FormatLongDate(Date d);
// "janvier" ... "décembre"; month 1-12.
std::string_view MonthName(int month);
// "Janvier" ... "Décembre".
std::string CapitalizedMonthName(int month);

// French typography for display: the spaces inside « » and before : ; ! ?
// become no-break spaces, so that a line never starts with "»" or ":".
std::string FrenchSpaces(std::string_view text);

// Rounds half away from zero to `decimals` decimals, returning the scaled
// integer (e.g. 0.3566 at 3 decimals -> 357).
int64_t RoundScaled(double v, int decimals);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_FRENCH_H_
