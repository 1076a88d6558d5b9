// Numbers as people type them in French forms and on the command line
// (the reading side of core/french_format.h): a comma or a point as the
// decimal separator, spaces (ASCII, U+00A0, U+202F) as thousands
// separators, percentages with or without their sign.
//
// Pure functions, no locale: "5,12" and "5.12" are the same number
// everywhere. A value that is not a plain non-negative number ("1.234,5",
// "5e3", "-2", "", "abc") is nullopt: the caller names the field.
#ifndef AMIABLE_CORE_FRENCH_PARSE_H_
#define AMIABLE_CORE_FRENCH_PARSE_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace amiable::fr {

// "5,12", "5.12", "24 579", "24 579,5", " 7 " -> a finite number >= 0;
// at most one separator, digits on at least one side of it.
std::optional<double> ParseDecimal(std::string_view s);

// "24 579", "24579" -> a count >= 0 (no separator, no sign).
std::optional<int64_t> ParseCount(std::string_view s);

// "87,5", "87,5 %", "87.5%", "100" -> the fraction 0.875, 1.0; a percentage
// in [0, 100].
std::optional<double> ParsePercent(std::string_view s);

}  // namespace amiable::fr

#endif  // AMIABLE_CORE_FRENCH_PARSE_H_
