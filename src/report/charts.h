// Chart layout, shared by the PDF and HTML writers: a chart of the model is
// laid out once as simple primitives (rectangles, lines, pie wedges, text) in
// points, then drawn with cairo (PDF) or written as SVG (HTML). Every bar,
// wedge and point carries its figure as a text label, formatted like the
// table it comes from.
//
// Text widths are estimated (DejaVu Sans metrics), so labels are laid out the
// same way in both outputs.
#ifndef AMIABLE_REPORT_CHARTS_H_
#define AMIABLE_REPORT_CHARTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"  // XmlEscape, used with the charts
#include "report/model.h"

namespace amiable::report {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0-1
  std::string Hex() const;     // "#1f4e79"
};

struct Primitive {
  enum class Kind { kRect, kLine, kPolyline, kWedge, kCircle, kText };
  enum class Anchor { kStart, kMiddle, kEnd };
  Kind kind = Kind::kRect;
  double x = 0, y = 0, w = 0, h = 0;             // rect; line: (x, y) -> (w, h) as x2, y2
  std::vector<double> points;                    // polyline: x0, y0, x1, y1...
  double cx = 0, cy = 0, r = 0, a0 = 0, a1 = 0;  // wedge / circle; angles in radians
  Rgb fill;
  Rgb stroke;
  double stroke_width = 0;  // 0: no stroke
  bool dashed = false;
  std::string text;  // kText: x, y is the baseline point
  double size = 8;   // font size, points
  bool bold = false;
  Anchor anchor = Anchor::kStart;
};

struct ChartScene {
  double width = 0;
  double height = 0;
  std::vector<Primitive> items;
};

// Lays out `c` (of section `s`) in a box `width` points wide; the height
// depends on the chart type and the number of categories.
ChartScene LayoutChart(const Section& s, const Chart& c, double width);

// An inline SVG element: role="img", aria-labelledby pointing at its <title>
// (the chart title) and <desc> (the text alternative). `id` must be unique in
// the page.
std::string SceneToSvg(const ChartScene& scene, std::string_view id, std::string_view title,
                       std::string_view desc);

// Estimated advance width of `text` in DejaVu Sans at `size` points.
double EstimateTextWidth(std::string_view text, double size, bool bold = false);

// Escapes `text` like XmlEscape and turns its **bold** spans into
// `open`...`close` tags (report/markup.h InlineTo: an unpaired last "**" is
// printed as is, invalid UTF-8 and controls made safe). Used by the PDF
// (pango markup) and HTML writers.
std::string BoldSpansToMarkup(std::string_view text, std::string_view open,
                              std::string_view close);

}  // namespace amiable::report

#endif  // AMIABLE_REPORT_CHARTS_H_
