// The fund's colour in the report (issue 10): what the writers derive from
// the "#RRGGBB" a manager picks on the branding page, so that any colour
// stays readable. PDF (pdf_brand.cc) and HTML (BrandStyles, writers.h) use
// the same four colours.
#ifndef AMIABLE_REPORT_BRAND_H_
#define AMIABLE_REPORT_BRAND_H_

#include <optional>
#include <string_view>

#include "report/charts.h"  // Rgb

namespace amiable::report {

// "#RRGGBB" (either case) -> colour; nullopt otherwise.
std::optional<Rgb> ParseHexColour(std::string_view hex);
// WCAG 2 contrast ratio of two colours (1..21).
double Contrast(Rgb a, Rgb b);
// `c` darkened until its contrast on white is at least `ratio`.
Rgb ReadableOnWhite(Rgb c, double ratio = 4.5);

struct BrandColours {
  Rgb band;     // the cover band, as picked
  Rgb accent;   // rules and bars, as picked
  Rgb text;     // headings, captions, table header fill: readable on white (4.5:1)
  Rgb on_band;  // text on the band: white, or dark ink when the band is too light
};
BrandColours BrandColoursOf(Rgb picked);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_BRAND_H_
